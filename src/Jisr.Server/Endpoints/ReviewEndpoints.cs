using Jisr.Domain.Common;
using Jisr.Domain.Users;
using Jisr.Policy;
using Jisr.Server.Contracts;
using Jisr.Server.Errors;
using Jisr.Storage.Records;

namespace Jisr.Server.Endpoints;

/// <summary>
/// The legal reviewers' review queue: records whose review date has come, and the decision on each: keep it until
/// a later review (with a reason) or delete it (with a reason). Both decisions are audited with the reason.
/// </summary>
public static class ReviewEndpoints
{
    public static RouteGroupBuilder MapReviewEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/review-queue", QueueAsync).WithTags("Review").WithName("ReviewQueue")
            .ListsItems<PageResponse<RecordSummary>>("List the records due for review", "Legal reviewers: records whose review date has come.")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);
        api.MapPost("/records/{id:guid}/review", ReviewAsync).WithTags("Review").WithName("ReviewRecord")
            .ChangesItem<RecordSummary>("Decide on a record due for review", "Legal reviewers: 'extend' (200, with the next review date) or 'delete' (204), always with a reason, which is audited.")
            .Produces(StatusCodes.Status204NoContent)
            .Problems(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<IResult> QueueAsync(Principal caller, ReviewQueue queue, AgencyDirectory agencies, TimeProvider time, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (!caller.Has(Role.LegalReviewer))
        {
            return ProblemResponses.Forbidden("the review queue is for legal reviewers");
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var page = await queue.ListAsync(caller, today, cursor, limit ?? RecordEndpoints.DefaultPageSize, cancellationToken);
        return Results.Ok(await RecordEndpoints.ToSummariesAsync(page, agencies, cancellationToken));
    }

    private static async Task<IResult> ReviewAsync(
        Guid id, ReviewRequest request, Principal caller, RecordStore store, ReviewQueue queue, AgencyDirectory agencies, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = await store.FindForUpdateAsync(caller, new RecordId(id), cancellationToken);
        if (record is null)
        {
            return ProblemResponses.NotFound($"record {id}");
        }

        var decision = AccessPolicy.CanReview(caller, record, now);
        if (!decision.IsAllowed)
        {
            return decision.Outcome == PolicyOutcome.NotVisible ? ProblemResponses.NotFound($"record {id}") : ProblemResponses.Forbidden(decision.Reason!);
        }

        var reason = Guard.Text(request.Reason, "reason", 1000);
        switch (request.Decision?.Trim().ToLowerInvariant())
        {
            case "extend":
                record.ExtendReview(
                    request.ReviewDate ?? throw new DomainValidationException("reviewDate", "is required to extend (the date of the next review)"),
                    request.RetentionUntil,
                    now);
                await queue.SaveExtensionAsync(caller, record, reason, cancellationToken);
                var summary = RecordMapping.ToSummary(record, await agencies.OriginOfAsync(record, cancellationToken));
                return Results.Ok(summary);
            case "delete":
                await store.DeleteAsync(caller, record, cancellationToken, reason);
                return Results.NoContent();
            default:
                throw new DomainValidationException("decision", "must be 'extend' or 'delete'");
        }
    }
}

/// <summary>A reviewer's decision: <c>extend</c> (with the next <c>reviewDate</c>, optionally a new <c>retentionUntil</c>) or <c>delete</c>; always with a <c>reason</c>.</summary>
public sealed record ReviewRequest(string? Decision, string? Reason, DateOnly? ReviewDate, DateTimeOffset? RetentionUntil);
