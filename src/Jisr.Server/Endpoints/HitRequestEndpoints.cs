using Jisr.Server.HitCheck;

namespace Jisr.Server.Endpoints;

/// <summary>
/// <c>/api/v1/hits/requests</c>: after a hit, a formal request to the owner agency (sent as a signed message); the
/// requests your agency sent and those it must answer; the owner's liaison officer's answer (a release or a refusal);
/// what partners asked, per partner and agreement.
/// </summary>
public static class HitRequestEndpoints
{
    public static RouteGroupBuilder MapHitRequestEndpoints(this RouteGroupBuilder api)
    {
        var requests = api.MapGroup("/hits/requests").WithTags("Hit/no-hit");
        requests.MapPost("/", (HttpContext context, HitRequestBody body, Principal caller, HitRequestService service, CancellationToken ct) =>
            service.OpenAsync(caller, body, Purpose.Of(context), ct).CreatedAsync(r => $"/api/v1/hits/requests/{r.Id}", r => Task.FromResult(r))).WithName("OpenHitRequest").RequirePurpose()
            .CreatesItem<HitRequestResponse>(
                "Ask the owner of a hit for what it holds",
                "Analysts, field and liaison officers, with a declared purpose (`X-Jisr-Purpose`), a legal basis, a handling code and an urgency (routine, urgent, immediate: 14, 3 or 1 day to answer). The query must hit that agency's filter now (it is checked again, and audited as a check). The request goes to the owner's node as a signed `hitrequest.open` message; the owner agency sees who asked, why, and the query.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        requests.MapGet("/", (string? status, int? offset, int? limit, Principal caller, HitRequestService service, CancellationToken ct) => service.ListAsync(caller, status, ct, offset, limit)).WithName("ListHitRequests")
            .ListsItems<List<HitRequestResponse>>(
                "List hit requests your agency sent or must answer",
                "Sent: those you asked (liaison officers, legal reviewers and administrators: all of the agency's). Received: every request to your agency (liaison officers, legal reviewers, administrators), with who asked and why, the deadline, reminders and overdue ones.")
            .QueryParameter("status", "Only requests in this state: open, release-pending, released or refused.")
            .QueryParameter("offset", "Skip this many of the newest (the next page: the previous offset plus its limit).")
            .QueryParameter("limit", "At most this many (1 to 500; 500 when not given).")
            .Problems(StatusCodes.Status400BadRequest);
        requests.MapGet("/tally", (Principal caller, HitRequestService service, CancellationToken ct) => service.TallyAsync(caller, ct).OkAsync(t => Task.FromResult(t))).WithName("TallyHitRequests")
            .Describe("Count what partners asked your agency", "Per requester agency and agreement: all requests, the last day's, by state, those refused for the partner's rate (a flood) and the overdue ones; and `hits`: how many of the partner's checks hit your agency's filter (hit notices, with or without a request). Liaison officers, legal reviewers and administrators.")
            .Produces<List<HitRequestTallyResponse>>()
            .Problems(StatusCodes.Status403Forbidden);
        requests.MapGet("/{id:guid}", (Guid id, Principal caller, HitRequestService service, CancellationToken ct) => service.ReadAsync(caller, id, ct).OkAsync(r => Task.FromResult(r)))
            .WithName("GetHitRequest").ReadsItem<HitRequestResponse>("Read a hit request");
        requests.MapPost("/{id:guid}/reply", (Guid id, HitReplyBody body, Principal caller, HitRequestService service, CancellationToken ct) =>
            service.ReplyAsync(caller, id, body, ct).OkAsync(r => Task.FromResult(r))).WithName("ReplyToHitRequest")
            .ChangesItem<HitRequestResponse>(
                "Answer a hit request: release a record or refuse",
                "The owner agency's liaison officers. `release` releases the record to the requester under the request's agreement through the release path (a marking that needs a second person waits for a legal reviewer: the request is then `release-pending`, and the answer follows the approval or refusal); `refuse` needs a reason. The answer travels back as a signed `hitrequest.reply` message.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        api.MapGet("/hits/notices", (int? offset, int? limit, Principal caller, HitRequestService service, CancellationToken ct) => service.NoticesAsync(caller, ct, offset, limit).OkAsync(n => Task.FromResult(n))).WithTags("Hit/no-hit")
            .WithName("ListHitNotices")
            .Describe(
                "List the hits partners' checks found on your agency's data",
                "Every check on a partner's node that hit your agency's filter is notified here (signed `hit.notice`): which agency, when, under which agreement, and how many of the query's keys hit; never the query. A partner's hits over the notice rate (20 a minute per agreement by default) are counted on its latest notice (`hits`, `lastReceivedAt`) instead of each adding one. Newest first, a page at a time. Liaison officers, legal reviewers and administrators.")
            .QueryParameter("offset", "Skip this many of the newest (the next page: the previous offset plus its limit).")
            .QueryParameter("limit", "At most this many (1 to 500; 500 when not given).")
            .Produces<List<HitNoticeResponse>>()
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);
        return api;
    }
}
