using Jisr.Policy;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Audit;

/// <summary>
/// Filters on an agency's audit trail: <see cref="Action"/> (e.g. <c>search</c>, <c>record.read</c>) and
/// <see cref="Target"/> (an item id) narrow it; <see cref="Before"/> pages back from a sequence number.
/// </summary>
public sealed record AuditQuery(long? Before, int? Limit, string? Action, string? Target)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}

/// <summary>Reading the audit trail: an agency sees its own entries only, and reading them is itself audited.</summary>
public sealed class AuditTrail(JisrDbContext db, AuditLog audit)
{
    /// <summary>The caller's agency's entries, newest first: who searched for what and why, who read a given item.</summary>
    public async Task<List<AuditEntry>> ReadAsync(Principal principal, AuditQuery filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(filter);
        var size = Math.Clamp(filter.Limit ?? AuditQuery.DefaultLimit, 1, AuditQuery.MaxLimit);
        var query = db.AuditLog.AsNoTracking().Where(AccessPolicy.VisibleAuditEntries<AuditEntry>(principal, e => e.AgencyId));
        if (filter.Before is { } before)
        {
            query = query.Where(e => e.Sequence < before);
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var wanted = filter.Action.Trim();
            query = query.Where(e => e.Action == wanted);
        }

        if (!string.IsNullOrWhiteSpace(filter.Target))
        {
            var wanted = filter.Target.Trim().ToLowerInvariant();
            query = query.Where(e => e.TargetId == wanted);
        }

        var entries = await query.OrderByDescending(e => e.Sequence).Take(size).ToListAsync(cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.AuditRead, detail: $"action={filter.Action}; target={filter.Target}; before={filter.Before}; {entries.Count} entries"));
        return entries;
    }
}
