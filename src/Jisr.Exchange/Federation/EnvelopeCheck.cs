namespace Jisr.Exchange.Federation;

/// <summary>
/// What a receiving node checks on every message before anything else, in this order: it is for this node, it comes
/// from the peer whose key was pinned, the payload matches its digest, the signature holds, it is not from the future
/// beyond the clock tolerance and not past its expiry. The sequence (replay, order) is judged against the inbox after.
/// </summary>
public static class EnvelopeCheck
{
    /// <summary>How far the sender's clock may run ahead of the receiver's: beyond it a message is refused, and retried.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    /// <summary>How long a message may wait for delivery before the receiver refuses it as expired.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>Null when the envelope passes, else the reason it is refused (said to the sender and audited).</summary>
    public static string? WhyRefused(FederationEnvelope envelope, string receiver, string pinnedSender, byte[] senderPublicKey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(senderPublicKey);
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(senderPublicKey, out _);
        return WhyRefused(envelope, receiver, pinnedSender, senderPublicKey, key, now);
    }

    /// <summary>
    /// As <see cref="WhyRefused(FederationEnvelope, string, string, byte[], DateTimeOffset)"/>, with the pinned key
    /// imported once already as <paramref name="senderKey"/> (a batch checks many envelopes of one peer).
    /// </summary>
    public static string? WhyRefused(FederationEnvelope envelope, string receiver, string pinnedSender, byte[] senderPublicKey, ECDsa senderKey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(senderPublicKey);
        ArgumentNullException.ThrowIfNull(senderKey);
        if (envelope.Recipient != receiver)
        {
            return $"the message is addressed to node {NodeFingerprint.ShortId(envelope.Recipient)}, not to this node ({NodeFingerprint.ShortId(receiver)})";
        }

        if (envelope.Sender != pinnedSender || NodeFingerprint.Of(senderPublicKey) != pinnedSender)
        {
            return "the sender's key does not match the fingerprint pinned for this peer";
        }

        if (FederationEnvelope.Digest(envelope.Payload) != envelope.PayloadDigest)
        {
            return "the payload does not match its digest: it was changed after signing";
        }

        if (!envelope.IsSignedBy(senderKey))
        {
            return "the signature does not verify with the peer's pinned key";
        }

        if (envelope.Created > now + ClockTolerance)
        {
            return $"the message was made at {envelope.Created:O}, more than {ClockTolerance.TotalMinutes:0} minutes ahead of this node's clock ({now:O}): check the sender's clock";
        }

        return envelope.Expires < now
            ? $"the message expired at {envelope.Expires:O}"
            : null;
    }

    /// <summary>
    /// Judges the sequence against the last one applied from this peer: the next one is applied; an earlier one is a
    /// duplicate when its id is already in the inbox with the same digest, else a replay; a later one leaves a gap.
    /// </summary>
    public static SequenceVerdict Order(long sequence, long lastApplied, bool sameMessageInInbox) =>
        sequence == lastApplied + 1 ? SequenceVerdict.Next
        : sequence <= lastApplied ? (sameMessageInInbox ? SequenceVerdict.Duplicate : SequenceVerdict.Replay)
        : SequenceVerdict.Gap;
}

public enum SequenceVerdict
{
    Next,
    Duplicate,
    Replay,
    Gap,
}
