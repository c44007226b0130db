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

    /// <summary>The records of <paramref name="query"/> this filter keeps (translated to SQL on both engines).</summary>
    internal IQueryable<Record> Apply(IQueryable<Record> query)
    {
        if (ThreatDomain is { } domain)
        {
            // The column holds the domains' names joined by commas: a name matches whole between the separators.
            var name = "," + RecordVocabulary.ThreatDomains[domain] + ",";
            query = query.Where(r => ("," + (string)(object)r.ThreatDomains + ",").Contains(name));
        }

        if (Classification is { } classification)
        {
            query = query.Where(r => r.Marking.Classification == classification);
        }

        if (Originator is { } originator)
        {
            query = query.Where(r => r.OriginatorAgencyId == originator);
        }

        if (CreatedFrom is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(r => r.CreatedAt >= start);
        }

        if (CreatedTo is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(r => r.CreatedAt < end);
        }

        return query;
    }
}
