using Jisr.Server.HitCheck;

namespace Jisr.Server.Endpoints;

/// <summary><c>/api/v1/hits</c>: check a name or an identifier against partners' hit/no-hit filters on this node; publish this node's filters now.</summary>
public static class HitCheckEndpoints
{
    public static RouteGroupBuilder MapHitCheckEndpoints(this RouteGroupBuilder api)
    {
        var hits = api.MapGroup("/hits").WithTags("Hit/no-hit");
        hits.MapPost("/check", (HttpContext context, HitCheckRequest request, Principal caller, HitCheckService service, CancellationToken ct) =>
            service.CheckAsync(caller, request, Purpose.Of(context), ct).OkAsync(r => Task.FromResult(r))).WithName("CheckHits").RequirePurpose()
            .Describe(
                "Check a name or an identifier against partners' filters",
                "Analysts, field and liaison officers, with a declared purpose (audited). Nothing leaves this node: the partners' filters are already here. The answer is `no-hit`, or `hit` with each partner agency to ask and the parts of the query that produced the hit (for a name: the pairs of name parts, e.g. `yusuf + idrisi`). A name that shares only one part with a longer name a partner holds is a `possible-hit`: that partner is listed with `strength` `possible` (`hit` otherwise), since it is a short alias of that person as often as another person with the same given or family name; it is audited, told to the owner and may open a request like a hit. A name in any script and transliteration; an identifier as `KIND:VALUE` (phone, email, iban, passport:CC:NUMBER, identity-card:CC:NUMBER, imei, bitcoin, ethereum...).")
            .Produces<HitCheckResponse>()
            .Problems(StatusCodes.Status403Forbidden);
        hits.MapPost("/filters/publish", (Principal caller, HitFilterPublisher publisher, CancellationToken ct) =>
            publisher.PublishAsync(caller, ct).OkAsync(r => Task.FromResult(r))).WithName("PublishHitFilters")
            .Describe("Rebuild and send this node's filters now", "Node administrators. Filters are rebuilt every 5 minutes anyway; this sends those whose holdings, key epoch or agreement changed at once.")
            .Produces<HitFilterPublishResponse>()
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        api.MapHitRequestEndpoints();
        return api;
    }
}
