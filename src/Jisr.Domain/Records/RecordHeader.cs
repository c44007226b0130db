namespace Jisr.Domain.Records;

/// <summary>
/// What a list of records shows of each (the API's summary, the web tables): no body, no entities, no search text.
/// Lists and searches read only these columns, so a page of fifty costs what fifty rows of a dozen columns cost.
/// </summary>
public sealed record RecordHeader(
    RecordId Id,
    RecordKind Kind,
    string Title,
    string Language,
    AgencyId OriginatorAgencyId,
    ReleaseProvenance? Provenance,
    AgreementId? ReleasedUnderAgreementId,
    DateTimeOffset CreatedAt,
    Marking Marking,
    SourceGrading SourceGrading,
    IReadOnlyList<ThreatDomain> ThreatDomains,
    DateOnly ReviewDate,
    DateTimeOffset RetentionUntil)
{
    /// <summary>The header of a record read whole.</summary>
    public static RecordHeader Of(Record record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new RecordHeader(record.Id, record.Kind, record.Title, record.Language, record.OriginatorAgencyId, record.Provenance,
            record.ReleasedUnderAgreementId, record.CreatedAt, record.Marking, record.SourceGrading, record.ThreatDomains, record.ReviewDate, record.RetentionUntil);
    }
}
