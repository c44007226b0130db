namespace Jisr.Storage.Audit;

/// <summary>What is to be written to the audit log; <see cref="AuditLog"/> gives it its place and hash in the chain.</summary>
public sealed record AuditEvent(
    string Action,
    UserId? ActorUserId = null,
    string? ActorName = null,
    AgencyId? AgencyId = null,
    string? TargetType = null,
    string? TargetId = null,
    string? Purpose = null,
    string Outcome = "success",
    string? Detail = null)
{
    public const int MaxDetailLength = 2000;
    public const int MaxPurposeLength = 500;

    /// <summary>A read by <paramref name="principal"/>: of one item (its id, found or not) when <paramref name="targetId"/> is given, else of a list.</summary>
    public static AuditEvent Read(Principal principal, string action, string? targetType = null, string? targetId = null, bool found = true, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new(action, principal.UserId, principal.UserName, principal.AgencyId, targetType, targetId, Outcome: found ? "success" : "not-found", Detail: detail);
    }

    internal AuditEntry ToEntry(long sequence, DateTimeOffset at, byte[] previousHash)
    {
        var entry = new AuditEntry
        {
            Sequence = sequence,
            At = at,
            ActorUserId = ActorUserId,
            ActorName = ActorName,
            AgencyId = AgencyId,
            Action = Action,
            TargetType = TargetType,
            TargetId = TargetId,
            Purpose = Clip(Purpose, MaxPurposeLength),
            Outcome = Outcome,
            Detail = Clip(Detail, MaxDetailLength),
            PreviousHash = previousHash,
        };
        entry.Hash = AuditHasher.ComputeHash(entry, previousHash);
        return entry;
    }

    private static string? Clip(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
