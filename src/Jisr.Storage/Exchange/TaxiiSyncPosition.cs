namespace Jisr.Storage.Exchange;

/// <summary>
/// Where <c>jisr sync pull</c> stands with one TAXII collection of one source, for one agency: the <c>added_after</c>
/// the pull under way asks with (the last finished pull's <c>X-TAXII-Date-Added-Last</c>), the server's <c>next</c>
/// cursor while a pull is in progress, and the latest <c>date_added</c> taken in so far. Timestamps are kept as the
/// server wrote them (no precision lost).
/// </summary>
public sealed class TaxiiSyncPosition
{
    public const int MaxSourceLength = 2000;

    public Guid AgencyId { get; set; }

    public string Source { get; set; } = "";

    public string Collection { get; set; } = "";

    /// <summary>The <c>added_after</c> of the pull under way (null: from the beginning).</summary>
    public string? AddedAfter { get; set; }

    /// <summary>The server's cursor to the next page of the pull under way (null: no pull in progress).</summary>
    public string? Next { get; set; }

    /// <summary>The latest <c>X-TAXII-Date-Added-Last</c> of a page imported so far.</summary>
    public string? LatestAdded { get; set; }

    public long ObjectsPulled { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
