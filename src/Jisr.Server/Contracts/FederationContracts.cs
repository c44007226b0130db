namespace Jisr.Server.Contracts;

/// <summary>A partner node to peer with: its HTTPS address and the fingerprint of its key, obtained out of band.</summary>
public sealed record PeerRequest(string? Url, string? Fingerprint);

public sealed record PeerResponse(
    Guid Id,
    string NodeId,
    string Url,
    string Fingerprint,
    string Status,
    IReadOnlyList<string> Agencies,
    DateTimeOffset AddedAt,
    DateTimeOffset? RevokedAt,
    long LastSequenceSent,
    long LastSequenceReceived);

/// <summary>One message to or from a peer and where its delivery stands (pending, delivered, rejected, abandoned; received).</summary>
public sealed record FederationMessageResponse(
    Guid Id,
    string Direction,
    string PeerNodeId,
    long Sequence,
    string Type,
    string PayloadDigest,
    string Status,
    int Attempts,
    DateTimeOffset At,
    DateTimeOffset? DeliveredAt,
    string? LastError);

public sealed record FederationMessagesResponse(IReadOnlyList<FederationMessageResponse> Items);
