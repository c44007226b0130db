namespace Jisr.Server.Application;

/// <summary>The agency's audit trail, for its legal reviewers and administrators: who searched for what and why, who read a record. Reading it is itself audited.</summary>
public sealed class AuditTrailService(AuditTrail trail)
{
    /// <summary>Newest first; <see cref="AuditQuery.Action"/> and <see cref="AuditQuery.Target"/> narrow it.</summary>
    public async Task<Outcome<List<AuditEntry>>> ReadAsync(Principal caller, AuditQuery query, CancellationToken cancellationToken)
    {
        if (Refusal.Of(AccessPolicy.CanReadAudit(caller), "the audit trail") is { } refused)
        {
            return refused;
        }

        return await trail.ReadAsync(caller, query, cancellationToken);
    }
}
