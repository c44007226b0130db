namespace Jisr.Server.Application;

/// <summary>What a legal reviewer decided on a record due for review.</summary>
public enum ReviewDecision
{
    /// <summary>Kept until a later review date.</summary>
    Extend,

    /// <summary>Deleted.</summary>
    Delete,
}

/// <summary>A reviewed record and the decision taken on it (a deleted record is gone from the store).</summary>
public sealed record RecordReview(Record Record, ReviewDecision Decision);

/// <summary>
/// The legal reviewers' review queue: records whose review date has come, and the decision on each: keep it until
/// a later review (with a reason) or delete it (with a reason). Both decisions are audited with the reason.
/// </summary>
public sealed class ReviewService(ReviewQueue queue, RecordStore records, TimeProvider time)
{
    public const int MaxReasonLength = 1000;

    /// <summary>The caller's records due for review today, newest first.</summary>
    public async Task<Outcome<Page<Record>>> QueueAsync(Principal caller, string? cursor, int limit, CancellationToken cancellationToken)
    {
        if (Refusal.Of(AccessPolicy.CanReadReviewQueue(caller), "the review queue") is { } refused)
        {
            return refused;
        }

        return await queue.ListAsync(caller, AccessPolicy.Today(time.GetUtcNow()), cursor, limit, cancellationToken);
    }

    /// <summary>
    /// Extends the review (the next <c>reviewDate</c> is required, a new <c>retentionUntil</c> optional) or deletes the
    /// record, always with a reason, which the audit entry keeps. The record must be readable (404) and the caller may
    /// review it (403) before the request is checked.
    /// </summary>
    public async Task<Outcome<RecordReview>> ReviewAsync(Principal caller, Guid id, ReviewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var (reason, taken) = (string.Empty, ReviewDecision.Extend);
        var reviewed = await Change.ApplyAsync(
            await records.FindForUpdateAsync(caller, new RecordId(id), cancellationToken),
            $"record {id}",
            record => AccessPolicy.CanReview(caller, record, now, request.ReviewDate, request.RetentionUntil),
            record => (reason, taken) = Apply(record, request, now),
            record => taken == ReviewDecision.Delete
                ? records.DeleteAsync(caller, record, cancellationToken, reason)
                : queue.SaveExtensionAsync(caller, record, reason, cancellationToken));
        if (reviewed.Refusal is { } refused)
        {
            return refused;
        }

        return new RecordReview(reviewed.Value!, taken);
    }

    /// <summary>Checks the request and applies it to the record: an extension moves its review date; a deletion is the store's to make.</summary>
    private static (string Reason, ReviewDecision Decision) Apply(Record record, ReviewRequest request, DateTimeOffset now)
    {
        var reason = Guard.Text(request.Reason, "reason", MaxReasonLength);
        switch (request.Decision?.Trim().ToLowerInvariant())
        {
            case "extend":
                record.ExtendReview(
                    request.ReviewDate ?? throw DomainValidationException.Coded("reviewDate", ValidationCodes.Required, "is required to extend (the date of the next review)"),
                    request.RetentionUntil,
                    now);
                return (reason, ReviewDecision.Extend);
            case "delete":
                return (reason, ReviewDecision.Delete);
            default:
                throw DomainValidationException.Coded("decision", ValidationCodes.MustBeOneOf, "must be 'extend' or 'delete'", "extend, delete");
        }
    }
}
