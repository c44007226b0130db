using System.Globalization;

namespace Jisr.Storage.Records;

/// <summary>
/// What a list of records may be narrowed to: a threat domain, a classification, an originator, a creation date range
/// (from and to, inclusive, whole UTC days). Applied after the read rule, so it only ever narrows what the caller may read.
/// </summary>
public sealed record RecordFilter
{
    public static readonly RecordFilter None = new();

    public ThreatDomain? ThreatDomain { get; init; }

    public Classification? Classification { get; init; }

    public AgencyId? Originator { get; init; }

    public DateOnly? CreatedFrom { get; init; }

    public DateOnly? CreatedTo { get; init; }

    public bool IsEmpty => this == None;

    /// <summary>The filter as the audit entry of a list keeps it (vocabulary names, ISO dates).</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (ThreatDomain is { } domain)
        {
            parts.Add($"domain={RecordVocabulary.ThreatDomains[domain]}");
        }

        if (Classification is { } classification)
        {
            parts.Add($"classification={Marking.ClassificationNames[classification]}");
        }

        if (Originator is { } originator)
        {
            parts.Add($"originator={originator.Value}");
        }

        if (CreatedFrom is { } from)
        {
            parts.Add($"from={from.ToString("O", CultureInfo.InvariantCulture)}");
        }

        if (CreatedTo is { } to)
        {
            parts.Add($"to={to.ToString("O", CultureInfo.InvariantCulture)}");
        }

        return string.Join("; ", parts);
    }

    /// <summary>
    /// What a record's threat-domain column holds between commas when it has <paramref name="domain"/>: the column holds
    /// the domains' names joined by commas, so a name matches whole between the separators (<see cref="CompiledPages"/>).
    /// </summary>
    internal static string DomainPattern(ThreatDomain domain) => "," + RecordVocabulary.ThreatDomains[domain] + ",";

    /// <summary>The first instant of a UTC day (a creation date bound: from is inclusive, to is the start of the next day).</summary>
    internal static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
