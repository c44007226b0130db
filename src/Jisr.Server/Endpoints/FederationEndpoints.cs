using Jisr.Server.Federation;

namespace Jisr.Server.Endpoints;

/// <summary>
/// Federation: <c>/api/v1/federation</c> for node administrators (peers, message log), and <c>/federation/v1</c>
/// between nodes, where the caller is not a user but a node that proves itself by the signature on each message (see
/// docs/federation.md); those two routes allow anonymous callers because the signature, checked against the pinned
/// key, is the authentication.
/// </summary>
public static class FederationEndpoints
{
    public static RouteGroupBuilder MapFederationEndpoints(this RouteGroupBuilder api)
    {
        var federation = api.MapGroup("/federation").WithTags("Federation");
        federation.MapGet("/peers", (Principal caller, FederationService service, CancellationToken ct) =>
            service.ListPeersAsync(caller, ct).OkAsync(p => Task.FromResult(p))).WithName("ListPeers")
            .ListsItems<List<PeerResponse>>("List the partner nodes this node is peered with", "Node administrators.")
            .Problems(StatusCodes.Status403Forbidden);
        federation.MapPost("/peers", (PeerRequest request, Principal caller, FederationService service, CancellationToken ct) =>
            service.AddPeerAsync(caller, request, ct).CreatedAsync(p => $"/api/v1/federation/peers/{p.Id}", p => Task.FromResult(p))).WithName("AddPeer")
            .CreatesItem<PeerResponse>(
                "Peer with a partner node",
                "Node administrators: the partner's https:// address and its key fingerprint, obtained out of band. The partner must prove it holds that key (TLS and its description); its agencies become known here.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        federation.MapPost("/peers/{id:guid}/revoke", (Guid id, Principal caller, FederationService service, CancellationToken ct) =>
            service.RevokePeerAsync(caller, id, ct).OkAsync(p => Task.FromResult(p))).WithName("RevokePeer")
            .Describe("Revoke a peer", "Node administrators: nothing more is sent to or accepted from that node; its undelivered messages are abandoned.")
            .Produces<PeerResponse>()
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        federation.MapGet("/messages", (Principal caller, FederationService service, CancellationToken ct) =>
            service.MessagesAsync(caller, ct).OkAsync(m => Task.FromResult(m))).WithName("ListFederationMessages")
            .ListsItems<FederationMessagesResponse>(
                "Messages sent to and received from peers, with their delivery status",
                "Node administrators: the latest 500 each way; sent ones are pending, delivered, rejected (the peer refused what it asked) or abandoned.")
            .Problems(StatusCodes.Status403Forbidden);
        return api;
    }

    /// <summary>The node-to-node routes: the node's description (its key and agencies) and the message inbox (one message, or a batch).</summary>
    public static void MapFederationPeerEndpoints(this IEndpointRouteBuilder app)
    {
        var peers = app.MapGroup("/federation/v1").AllowAnonymous().ExcludeFromDescription();
        peers.MapGet("/node", async (FederationService service, CancellationToken ct) => Results.Json(await service.DescribeAsync(ct), FederationJson.Options));
        peers.MapPost("/messages", async (HttpRequest request, FederationReceiver receiver, CancellationToken ct) =>
        {
            var result = await receiver.ReceiveAsync(await BodyAsync(request, ct), ct);
            return SignedAnswer(result.Ack, result.StatusCode, result.Problem, "The message cannot be read");
        });
        peers.MapPost("/messages/batch", async (HttpRequest request, FederationReceiver receiver, CancellationToken ct) =>
        {
            var result = await receiver.ReceiveBatchAsync(await BodyAsync(request, ct), ct);
            return SignedAnswer(result.Acks, result.StatusCode, result.Problem, "The batch cannot be read");
        });
        peers.MapPost("/hello", async (HttpRequest request, FederationReceiver receiver, CancellationToken ct) =>
        {
            var (status, problem) = await receiver.ReceiveHelloAsync(await BodyAsync(request, ct), ct);
            return problem is null ? Results.StatusCode(status) : Results.Problem(problem, statusCode: status, title: "The hello is refused");
        });
    }

    /// <summary>A peer's request as the text it sent: signatures are checked over exactly those characters.</summary>
    private static async Task<string> BodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>The receiver's signed acknowledgement(s) in the federation's JSON, or a problem when the request could not be read at all.</summary>
    private static IResult SignedAnswer<TAnswer>(TAnswer? answer, int statusCode, string? problem, string title)
        where TAnswer : class =>
        answer is not null ? Results.Json(answer, FederationJson.Options, statusCode: statusCode) : Results.Problem(problem, statusCode: statusCode, title: title);
}
