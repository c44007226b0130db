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
/// Reading the audit trail: an agency sees its own entries only, and of those about its records (or about a release,
/// consent request or declassification of one) only the ones the caller may read
/// (<see cref="AccessPolicy.AuditEntryAboutRecordShown"/>); reading them is itself audited.
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
        var concerns = await ConcernedRecordsAsync(batch, cancellationToken);
        var ids = concerns.Values.SelectMany(r => r).Distinct().ToList();
        if (ids.Count == 0)
        {
            return batch;
        }

        var held = await db.Records.Where(r => ids.Contains(r.Id) && r.HolderAgencyId == principal.AgencyId).Select(r => r.Id).ToListAsync(cancellationToken);
        var readable = await db.Records.Where(AccessPolicy.ReadableRecords(principal, time.GetUtcNow(), db.Agreements)).Where(r => held.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken);
        return batch.Where(e => !concerns.TryGetValue(e, out var records)
            || records.All(id => AccessPolicy.AuditEntryAboutRecordShown(held.Contains(id), readable.Contains(id))));
    }

    /// <summary>
    /// The records each entry is about: its target when that is a record; the record (and the copy) a release, consent
    /// request or declassification concerns. An item that no longer exists concerns nothing: its entries are history.
    /// </summary>
    private async Task<Dictionary<AuditEntry, List<RecordId>>> ConcernedRecordsAsync(List<AuditEntry> batch, CancellationToken cancellationToken)
    {
        List<Guid> TargetsOf(string type) =>
            [.. batch.Where(e => e.TargetType == type && Guid.TryParse(e.TargetId, out _)).Select(e => Guid.Parse(e.TargetId!)).Distinct()];

        var releaseIds = TargetsOf(AuditTargets.Release).Select(id => new ReleaseId(id)).ToList();
        var consentIds = TargetsOf(AuditTargets.Consent).Select(id => new ConsentId(id)).ToList();
        var declassificationIds = TargetsOf(AuditTargets.Declassification).Select(id => new DeclassificationId(id)).ToList();
        var releases = releaseIds.Count == 0 ? [] : await db.Releases.AsNoTracking().Where(r => releaseIds.Contains(r.Id))
            .Select(r => new { r.Id, r.RecordId, r.CopyRecordId }).ToDictionaryAsync(r => r.Id.Value, r => r.CopyRecordId is { } copy ? new List<RecordId> { r.RecordId, copy } : [r.RecordId], cancellationToken);
        var consents = consentIds.Count == 0 ? [] : await db.ConsentRequests.AsNoTracking().Where(c => consentIds.Contains(c.Id))
            .Select(c => new { c.Id, c.RecordId, c.OriginalRecordId }).ToDictionaryAsync(c => c.Id.Value, c => new List<RecordId> { c.RecordId, c.OriginalRecordId }, cancellationToken);
        var declassifications = declassificationIds.Count == 0 ? [] : await db.Declassifications.AsNoTracking().Where(d => declassificationIds.Contains(d.Id))
            .Select(d => new { d.Id, d.RecordId }).ToDictionaryAsync(d => d.Id.Value, d => new List<RecordId> { d.RecordId }, cancellationToken);

        var concerns = new Dictionary<AuditEntry, List<RecordId>>(ReferenceEqualityComparer.Instance);
        foreach (var entry in batch)
        {
            if (!Guid.TryParse(entry.TargetId, out var id))
            {
                continue;
            }

            List<RecordId>? records = entry.TargetType switch
            {
                AuditTargets.Record => [new RecordId(id)],
                AuditTargets.Release => releases.GetValueOrDefault(id),
                AuditTargets.Consent => consents.GetValueOrDefault(id),
                AuditTargets.Declassification => declassifications.GetValueOrDefault(id),
                _ => null,
            };
            if (records is not null)
            {
                concerns[entry] = records;
            }
        }

        return concerns;
    }
}
