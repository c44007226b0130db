namespace Jisr.Server.Web;

/// <summary>A record in a list, with where it comes from (originator, and for a partner's copy who released it).</summary>
public sealed record RecordRow(RecordHeader Record, RecordOrigin Origin)
{
    /// <summary>Rows of records read whole (the review queue, a person's records).</summary>
    public static Task<List<RecordRow>> ForAsync(IEnumerable<Record> records, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        ForAsync(records.Select(RecordHeader.Of), agencies, cancellationToken);

    public static async Task<List<RecordRow>> ForAsync(IEnumerable<RecordHeader> records, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(agencies);
        var rows = new List<RecordRow>();
        foreach (var record in records)
        {
            rows.Add(new RecordRow(record, await agencies.OriginOfAsync(record, cancellationToken)));
        }

        return rows;
    }
}
