namespace Jisr.Storage.Records;

/// <summary>The audit events the record, entity, graph, review and subject-access stores write for a caller.</summary>
internal static class CallerEvents
{
    /// <summary>An event by <paramref name="principal"/>: about a record when <paramref name="recordId"/> is given, else about the named target (or none, for a list or a search).</summary>
    public static AuditEvent For(Principal principal, string action, RecordId? recordId, string outcome, string? purpose = null, string? detail = null, string? targetType = null, string? targetId = null) =>
        new(action, principal.UserId, principal.UserName, principal.AgencyId,
            TargetType: targetType ?? (recordId is null ? null : AuditTargets.Record),
            TargetId: targetId ?? recordId?.ToString(),
            Purpose: purpose,
            Outcome: outcome,
            Detail: detail);
}
