namespace Jisr.Exchange.Federation;

/// <summary>
/// "I am up": a signed envelope a node sends each peer when it starts, outside the ordered message stream (no
/// sequence, no outbox row, nothing applied). A peer that has messages waiting for it under a retry back-off (up to
/// five minutes after a long outage) takes it as the signal to deliver at once instead of at the next retry. It is
/// signed and checked like any message (pinned key, digest, clock, five-minute lifetime), so nobody but the peer can
/// make its partners hammer it; a replay within its lifetime only causes one early retry.
/// </summary>
public static class PeerHello
{
    public const string Type = "node.hello";

    /// <summary>Short: it says something about now, and a late one is worthless.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public static FederationEnvelope Create(ECDsa senderKey, string recipient, DateTimeOffset now) =>
        FederationEnvelope.Create(senderKey, Guid.CreateVersion7(now), Type, recipient, 0, now, Lifetime, "{}");
}
