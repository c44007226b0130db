namespace Jisr.Storage.Audit;

/// <summary>
/// One entry of the append-only audit log. <see cref="Hash"/> is the SHA-256 of the previous entry's hash and
/// this entry's canonical content (<see cref="AuditHasher"/>), so changing, removing or reordering any stored
/// entry breaks the chain from that point on.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Position in the chain, 1, 2, 3... without gaps.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset At { get; set; }

    public UserId? ActorUserId { get; set; }

    public string? ActorName { get; set; }

    public AgencyId? AgencyId { get; set; }

    /// <summary>What happened, e.g. <c>record.read</c>, <c>record.create</c>, <c>search</c>, <c>sign-in</c>.</summary>
    public string Action { get; set; } = string.Empty;

    public string? TargetType { get; set; }

    public string? TargetId { get; set; }

    /// <summary>The purpose the caller declared (searches, exports), or null.</summary>
    public string? Purpose { get; set; }

    /// <summary>success, denied, not-found, failed...</summary>
    public string Outcome { get; set; } = "success";

    /// <summary>Small free-form detail (e.g. the search text); never a whole record.</summary>
    public string? Detail { get; set; }

    public byte[] PreviousHash { get; set; } = [];

    public byte[] Hash { get; set; } = [];
}
