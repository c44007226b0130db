namespace Jisr.Storage.Federation;

public static class PeerStatuses
{
    public const string Active = "active";
    public const string Revoked = "revoked";

    /// <summary>Not a peer: the node of an originator whose copies a peer passed on here (see FederationStore.Relayed).</summary>
    public const string Relayed = "relayed";
}

public static class DeliveryStatuses
{
    /// <summary>Waiting for (another) delivery attempt.</summary>
    public const string Pending = "pending";

    /// <summary>The peer acknowledged it (applied now or before); its signed acknowledgement is kept.</summary>
    public const string Delivered = "delivered";

    /// <summary>The peer took it and refused what it asks (its signed reason is kept): final, the sequence moves on.</summary>
    public const string Rejected = "rejected";

    /// <summary>Expired before the peer took it, or the peer was revoked: never retried.</summary>
    public const string Abandoned = "abandoned";
}

/// <summary>
/// A partner node, pinned by the fingerprint of its key (given out of band). The public key itself was fetched from
/// the peer over a TLS channel whose certificate key matched that fingerprint. Sequences order the messages each way.
/// </summary>
public sealed class FederationPeer
{
    public Guid Id { get; set; }

    public string Url { get; set; } = "";

    public string Fingerprint { get; set; } = "";

    public byte[] PublicKey { get; set; } = [];

    public string Status { get; set; } = PeerStatuses.Active;

    public DateTimeOffset AddedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The sequence of the last message written to this peer's outbox.</summary>
    public long LastSequenceOut { get; set; }

}

/// <summary>An agency hosted by a peer node: its <see cref="Domain.Agencies.Agency"/> row here has the id it has there.</summary>
public sealed class RemoteAgency
{
    public Domain.Common.AgencyId AgencyId { get; set; }

    public Guid PeerId { get; set; }
}

/// <summary>
/// What an outbox and an inbox row share: one signed envelope in a peer's ordered sequence. Not an entity of its own
/// (EF Core maps its properties into each row's table; there is no inheritance mapping).
/// </summary>
public abstract class SignedMessageRow
{
    public Guid Id { get; set; }

    public Guid PeerId { get; set; }

    public long Sequence { get; set; }

    public string Type { get; set; } = "";

    /// <summary>The signed envelope as JSON, as received, or as sent on every attempt.</summary>
    public string Envelope { get; set; } = "";

    public string PayloadDigest { get; set; } = "";
}

/// <summary>A message to a peer, signed and written in the transaction of the change that causes it; delivered by the outbox service.</summary>
public sealed class OutboxMessage : SignedMessageRow
{
    public DateTimeOffset CreatedAt { get; set; }

    public string Status { get; set; } = DeliveryStatuses.Pending;

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Why the last attempt failed (the peer's refusal or the network error).</summary>
    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>The peer's signed acknowledgement as JSON (proof of delivery).</summary>
    public string? Acknowledgement { get; set; }

    /// <summary>While staged (unsaved): how to seal it for another sequence. Internal, so not mapped by EF Core.</summary>
    internal StagedSeal? Staged { get; set; }
}

/// <summary>A message from a peer, kept as received (signed envelope) with the acknowledgement this node signed for it.</summary>
public sealed class InboxMessage : SignedMessageRow
{
    public DateTimeOffset ReceivedAt { get; set; }

    public string Acknowledgement { get; set; } = "";
}
