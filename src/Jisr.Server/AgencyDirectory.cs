namespace Jisr.Server;

/// <summary>Agency id → agency (code, name), for responses. Agencies are few and rarely added, so they are kept in memory.</summary>
public sealed class AgencyDirectory(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<AgencyId, Domain.Agencies.Agency> _byId = new();

    public async Task<AgencyRef> GetAsync(AgencyId id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } agency ? new AgencyRef(agency.Id.Value, agency.Code) : new AgencyRef(id.Value, "?");

    /// <summary>The agency with this id, or null when there is none.</summary>
    public async Task<Domain.Agencies.Agency?> FindAsync(AgencyId id, CancellationToken cancellationToken)
    {
        if (_byId.TryGetValue(id, out var known))
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        foreach (var agency in await scope.ServiceProvider.GetRequiredService<AccountService>().ListAgenciesAsync(cancellationToken))
        {
            _byId[agency.Id] = agency;
        }

        return _byId.GetValueOrDefault(id);
    }

    /// <summary>Where a record comes from: its originator and, for a release copy, its provenance.</summary>
    public Task<RecordOrigin> OriginOfAsync(Domain.Records.Record record, CancellationToken cancellationToken) =>
        OriginOfAsync(Domain.Records.RecordHeader.Of(record), cancellationToken);

    /// <summary>Where a listed record comes from: its originator and, for a release copy, its provenance.</summary>
    public async Task<RecordOrigin> OriginOfAsync(Domain.Records.RecordHeader record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var originator = await GetAsync(record.OriginatorAgencyId, cancellationToken);
        if (record.Provenance is not { } p)
        {
            return new RecordOrigin(originator, null);
        }

        return new RecordOrigin(originator, new ProvenanceResponse(
            p.ReleaseId.Value,
            await GetAsync(p.ReleasingAgencyId, cancellationToken),
            p.ReleasedByUserId.Value,
            p.ReleasedAt,
            record.ReleasedUnderAgreementId?.Value,
            p.OriginalRecordId.Value,
            p.SourceRecordId.Value));
    }
}
