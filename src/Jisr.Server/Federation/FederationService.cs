namespace Jisr.Server.Federation;

/// <summary>
/// Federation for node administrators (the API) and the node's operator (the command line): who this node is, its
/// peers (added by URL and pinned fingerprint, revoked), and the messages exchanged with them.
/// </summary>
public sealed class FederationService(FederationStore store, PeerChannel channel, NodeIdentity identity, TimeProvider time)
{
    public const int MessageListLimit = 500;

    /// <summary>What this node says about itself to peers: its key and the agencies it hosts.</summary>
    public async Task<NodeDescription> DescribeAsync(CancellationToken cancellationToken)
    {
        var key = identity.Require();
        var agencies = await store.OwnAgenciesAsync(cancellationToken);
        return new NodeDescription(key.Fingerprint, Convert.ToBase64String(key.SubjectPublicKeyInfo), [.. agencies.Select(a => new NodeAgency(a.Id.Value, a.Code, a.Name, a.Country))]);
    }

    public async Task<Outcome<List<PeerResponse>>> ListPeersAsync(Principal caller, CancellationToken cancellationToken)
    {
        if (Refusal.Of(AccessPolicy.CanAdministerFederation(caller), "peers") is { } refused)
        {
            return refused;
        }

        var peers = await store.ListPeersAsync(Actor(caller), cancellationToken);
        var list = new List<PeerResponse>();
        foreach (var peer in peers)
        {
            list.Add(await ToResponseAsync(peer, cancellationToken));
        }

        return list;
    }

    public async Task<Outcome<PeerResponse>> AddPeerAsync(Principal caller, PeerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refusal.Of(AccessPolicy.CanAdministerFederation(caller), "peers") is { } refused)
        {
            return refused;
        }

        return await AddPeerAsync(Actor(caller), request.Url, request.Fingerprint, cancellationToken);
    }

    /// <summary>Peers with the node at <paramref name="url"/> if it proves it holds the key of <paramref name="fingerprint"/>; audited as <paramref name="by"/>.</summary>
    public async Task<PeerResponse> AddPeerAsync(AuditEvent by, string? url, string? fingerprint, CancellationToken cancellationToken)
    {
        identity.Require();
        var pinned = NodeFingerprint.Normalize(fingerprint)
            ?? throw DomainValidationException.Coded("fingerprint", ValidationCodes.NotAFingerprint, "is not a node fingerprint: 64 hexadecimal digits (SHA-256 of the peer's public key, as 'jisr node show' prints it)");
        Guard.That(Uri.TryCreate(url, UriKind.Absolute, out var address) && address.Scheme == Uri.UriSchemeHttps, "url", ValidationCodes.NotHttps, $"'{url}' is not an https:// address: nodes talk over HTTPS only", url ?? string.Empty);
        NodeDescription description;
        try
        {
            description = await channel.DescribeAsync(address!, pinned, cancellationToken);
        }
        catch (PeerException ex)
        {
            throw DomainValidationException.Coded("url", ValidationCodes.PeerUnreachable, ex.Message, ex.Message);
        }

        var now = time.GetUtcNow();
        var agencies = description.Agencies.Select((a, i) => Agency.Remote(new AgencyId(a.Id), a.Code, a.Name, a.Country, now)).ToList();
        var peer = await store.AddPeerAsync(by, address!, pinned, Convert.FromBase64String(description.PublicKey), agencies, cancellationToken);
        return await ToResponseAsync(peer, cancellationToken);
    }

    public async Task<Outcome<PeerResponse>> RevokePeerAsync(Principal caller, Guid id, CancellationToken cancellationToken)
    {
        if (Refusal.Of(AccessPolicy.CanAdministerFederation(caller), "peers") is { } refused)
        {
            return refused;
        }

        var peer = await store.RevokePeerAsync(Actor(caller), id, cancellationToken);
        return peer is null ? Refusal.NotFound($"peer {id}") : await ToResponseAsync(peer, cancellationToken);
    }

    public async Task<Outcome<FederationMessagesResponse>> MessagesAsync(Principal caller, CancellationToken cancellationToken)
    {
        if (Refusal.Of(AccessPolicy.CanAdministerFederation(caller), "federation messages") is { } refused)
        {
            return refused;
        }

        var peers = (await store.ListPeersAsync(cancellationToken)).ToDictionary(p => p.Id, p => FederationStore.ShortId(p.Fingerprint));
        var (sent, received) = await store.MessagesAsync(Actor(caller), MessageListLimit, cancellationToken);
        return new FederationMessagesResponse([
            .. sent.Select(m => new FederationMessageResponse(m.Id, "sent", peers.GetValueOrDefault(m.PeerId, "?"), m.Sequence, m.Type, m.PayloadDigest, m.Status, m.Attempts, m.CreatedAt, m.DeliveredAt, m.LastError)),
            .. received.Select(m => new FederationMessageResponse(m.Id, "received", peers.GetValueOrDefault(m.PeerId, "?"), m.Sequence, m.Type, m.PayloadDigest, ReceivedStatus(m), 1, m.ReceivedAt, m.ReceivedAt, null)),
        ]);
    }

    private static string ReceivedStatus(InboxMessage message) =>
        FederationJson.Read<FederationAck>(message.Acknowledgement).Status;

    private async Task<PeerResponse> ToResponseAsync(FederationPeer peer, CancellationToken cancellationToken)
    {
        var agencies = await store.AgencyCodesOfPeerAsync(peer.Id, cancellationToken);
        return new PeerResponse(peer.Id, FederationStore.ShortId(peer.Fingerprint), peer.Url, peer.Fingerprint, peer.Status, agencies, peer.AddedAt, peer.RevokedAt, peer.LastSequenceOut, await store.LastSequenceInAsync(peer.Id, cancellationToken));
    }

    private static AuditEvent Actor(Principal caller) => new("", caller.UserId, caller.UserName, caller.AgencyId);
}
