namespace Jisr.Server.Endpoints;

/// <summary>
/// The legal reviewers' review queue: records whose review date has come, and the decision on each: keep it until
/// a later review (with a reason) or delete it (with a reason). Both decisions are audited with the reason (see <see cref="ReviewService"/>).
/// </summary>
public static class ReviewEndpoints
{
    public static RouteGroupBuilder MapReviewEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/review-queue", (Principal caller, ReviewService service, AgencyDirectory agencies, string? cursor, int? limit, CancellationToken ct) =>
            service.QueueAsync(caller, cursor, limit ?? RecordEndpoints.DefaultPageSize, ct).OkAsync(page => RecordEndpoints.ToSummariesAsync(page, agencies, ct))).WithTags("Review").WithName("ReviewQueue")
            .ListsItems<PageResponse<RecordSummary>>("List the records due for review", "Legal reviewers: records whose review date has come.")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);
        api.MapPost("/records/{id:guid}/review", (Guid id, ReviewRequest request, Principal caller, ReviewService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ReviewAsync(caller, id, request, ct).AnswerAsync(async review => review.Decision == ReviewDecision.Delete
                ? Results.NoContent()
                : Results.Ok(RecordMapping.ToSummary(review.Record, await agencies.OriginOfAsync(review.Record, ct))))).WithTags("Review").WithName("ReviewRecord")
            .ChangesItem<RecordSummary>("Decide on a record due for review", "Legal reviewers: 'extend' (200, with the next review date) or 'delete' (204), always with a reason, which is audited.")
            .Produces(StatusCodes.Status204NoContent)
            .Problems(StatusCodes.Status403Forbidden);
        return api;
    }
}
