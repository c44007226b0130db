namespace Jisr.Storage.Exchange;

/// <summary>
/// The status resource of a TAXII POST (TAXII 2.1 §4.3), kept in the database so a client can read it after the node
/// restarts. An import is finished when the POST answers, so a status never changes once written.
/// </summary>
public sealed class TaxiiStatus
{
    /// <summary>How long a status is kept: long enough for any client to come back for it.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(30);

    public Guid Id { get; set; }

    /// <summary>The agency whose collection was posted to: only its accounts see the status.</summary>
    public Guid AgencyId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The status resource as served (<c>application/taxii+json</c>).</summary>
    public string Json { get; set; } = "";
}
