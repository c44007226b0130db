namespace Jisr.Storage.Records;

/// <summary>
/// The legal reviewers' queue: the records whose review date has come, among those the caller may read
/// (<see cref="ReadableSets"/>), and the saving of a decision to keep one until a later review. Deleting one is a
/// record deletion (<see cref="RecordStore.DeleteAsync"/>) with the reviewer's reason.
/// </summary>
public sealed class ReviewQueue(JisrDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>The caller's records due for review (review date reached), newest first.</summary>
    public async Task<Page<Record>> ListAsync(Principal principal, DateOnly today, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var page = await Paging.NewestFirstAsync(db.ReadableRecords(principal, time).Where(r => r.ReviewDate <= today), cursor, limit, cancellationToken);
        await audit.AppendAsync(CallerEvents.For(principal, AuditActions.ReviewQueue, null, AuditOutcomes.Success, detail: $"{page.Items.Count} records"));
        return page;
    }

    /// <summary>Saves a review extension made on a record from <see cref="RecordStore.FindForUpdateAsync"/>, with the reviewer's reason in the audit entry.</summary>
    public Task SaveExtensionAsync(Principal principal, Record record, string reason, CancellationToken cancellationToken) =>
        audit.SaveWithAuditAsync(db, CallerEvents.For(principal, AuditActions.RecordReviewExtend, record.Id, AuditOutcomes.Success, detail: $"next review {record.ReviewDate:yyyy-MM-dd}; reason={reason}"), cancellationToken);
}
