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

/// <summary>
/// Reading the audit trail: an agency sees its own entries only, and of those about its records only the ones the
/// caller may read (<see cref="AccessPolicy.AuditEntryAboutRecordShown"/>); reading them is itself audited.
/// </summary>
public sealed class AuditTrail(JisrDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>The caller's agency's entries, newest first: who searched for what and why, who read a given item.</summary>
    public async Task<List<AuditEntry>> ReadAsync(Principal principal, AuditQuery filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(filter);
        var size = Math.Clamp(filter.Limit ?? AuditQuery.DefaultLimit, 1, AuditQuery.MaxLimit);
        var query = db.AuditLog.AsNoTracking().Where(AccessPolicy.VisibleAuditEntries<AuditEntry>(principal, e => e.AgencyId));
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

        // Entries the caller may not see are left out after the page is read, so pages are read until one is full.
        var entries = new List<AuditEntry>();
        var before = filter.Before;
        while (entries.Count < size)
        {
            var page = before is { } b ? query.Where(e => e.Sequence < b) : query;
            var batch = await page.OrderByDescending(e => e.Sequence).Take(size).ToListAsync(cancellationToken);
            entries.AddRange(await ShownAsync(principal, batch, cancellationToken));
            if (batch.Count < size)
            {
                break;
            }

            before = batch[^1].Sequence;
        }

        entries = [.. entries.Take(size)];
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.AuditRead, detail: $"action={filter.Action}; target={filter.Target}; before={filter.Before}; {entries.Count} entries"));
        return entries;
    }

    private async Task<IEnumerable<AuditEntry>> ShownAsync(Principal principal, List<AuditEntry> batch, CancellationToken cancellationToken)
    {
        var ids = batch.Where(e => e.TargetType == AuditTargets.Record && Domain.Common.RecordId.TryParse(e.TargetId, out _))
            .Select(e => Domain.Common.RecordId.Parse(e.TargetId!)).Distinct().ToList();
        if (ids.Count == 0)
        {
            return batch;
        }

        var held = await db.Records.Where(r => ids.Contains(r.Id) && r.HolderAgencyId == principal.AgencyId).Select(r => r.Id).ToListAsync(cancellationToken);
        var readable = await db.Records.Where(AccessPolicy.ReadableRecords(principal, time.GetUtcNow(), db.Agreements)).Where(r => held.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken);
        return batch.Where(e =>
            e.TargetType != AuditTargets.Record || !Domain.Common.RecordId.TryParse(e.TargetId, out var id)
            || AccessPolicy.AuditEntryAboutRecordShown(held.Contains(id), readable.Contains(id)));
    }
}
