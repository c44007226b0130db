using System.Buffers.Binary;

namespace Jisr.Exchange.Federation;

/// <summary>
/// One message between two nodes, signed by its sender. It is stored as is on both sides (outbox, inbox) and kept as
/// evidence after the TLS session that carried it is gone, so its signature, not the channel, is what proves who sent
/// what: the sender node (the fingerprint of its key), the recipient node, the per-peer sequence that orders it, when it
/// was made and until when it may be applied, and the SHA-256 of the payload (a JSON document whose shape the
/// <see cref="Type"/> names).
/// </summary>
public sealed record FederationEnvelope(
    Guid Id,
    string Type,
    string Sender,
    string Recipient,
    long Sequence,
    DateTimeOffset Created,
    DateTimeOffset Expires,
    string PayloadDigest,
    string Payload,
    string Signature)
{
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("jisr federation message v1\n");

    /// <summary>A new envelope around <paramref name="payload"/>, signed with <paramref name="senderKey"/>.</summary>
    public static FederationEnvelope Create(
        ECDsa senderKey, Guid id, string type, string recipient, long sequence, DateTimeOffset created, TimeSpan lifetime, string payload) =>
        Create(senderKey, NodeFingerprint.Of(senderKey), id, type, recipient, sequence, created, lifetime, payload);

    /// <summary>
    /// As <see cref="Create(ECDsa, Guid, string, string, long, DateTimeOffset, TimeSpan, string)"/>, with the sender's
    /// fingerprint known already (a node writing many messages need not export and hash its public key for each).
    /// </summary>
    public static FederationEnvelope Create(
        ECDsa senderKey, string senderFingerprint, Guid id, string type, string recipient, long sequence, DateTimeOffset created, TimeSpan lifetime, string payload)
    {
        ArgumentNullException.ThrowIfNull(senderKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(senderFingerprint);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        ArgumentNullException.ThrowIfNull(payload);
        created = new DateTimeOffset(created.UtcTicks - (created.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var unsigned = new FederationEnvelope(id, type, senderFingerprint, recipient, sequence, created, created + lifetime, Digest(payload), payload, "");
        return unsigned with { Signature = Convert.ToBase64String(senderKey.SignData(unsigned.SignedContent(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)) };
    }

    /// <summary>Lower-case hex SHA-256 of the payload's UTF-8 bytes.</summary>
    public static string Digest(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)));
    }

    /// <summary>Whether <paramref name="senderPublicKey"/> signed exactly this envelope (every field, in a fixed order).</summary>
    public bool IsSignedBy(ECDsa senderPublicKey)
    {
        ArgumentNullException.ThrowIfNull(senderPublicKey);
        try
        {
            return senderPublicKey.VerifyData(SignedContent(), Convert.FromBase64String(Signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The bytes signed: a fixed label, then every field but the signature, each length-prefixed (big-endian), times as
    /// UTC ticks. No JSON canonicalisation to get wrong: the same fields always give the same bytes.
    /// </summary>
    internal byte[] SignedContent() => SignedFields.Write(Label, w =>
    {
        w.Bytes(Id.ToByteArray(bigEndian: true));
        w.Text(Type);
        w.Text(Sender);
        w.Text(Recipient);
        w.Number(Sequence);
        w.Number(Created.UtcTicks);
        w.Number(Expires.UtcTicks);
        w.Text(PayloadDigest);
        w.Text(Payload);
    });
}

/// <summary>
/// The receiver's signed answer to one message: accepted (applied now), duplicate (taken before, nothing changed),
/// rejected (taken, but what it asks is refused here) or refused (not taken; retried). The sender keeps it as proof.
/// </summary>
public sealed record FederationAck(
    Guid MessageId,
    string PayloadDigest,
    string Receiver,
    string Status,
    string? Reason,
    DateTimeOffset At,
    string Signature)
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    /// <summary>Not taken (unknown peer, bad signature, clock, order): nothing applied, the sender retries.</summary>
    public const string Refused = "refused";

    /// <summary>Taken but what it asks is refused here (policy, state): recorded, final, the sequence moves on.</summary>
    public const string Rejected = "rejected";

    private static readonly byte[] Label = Encoding.ASCII.GetBytes("jisr federation ack v1\n");

    public bool Delivered => Status is Accepted or Duplicate;

    public static FederationAck Create(ECDsa receiverKey, FederationEnvelope message, string status, string? reason, DateTimeOffset at) =>
        Create(receiverKey, NodeFingerprint.Of(receiverKey), message, status, reason, at);

    /// <summary>
    /// As <see cref="Create(ECDsa, FederationEnvelope, string, string?, DateTimeOffset)"/>, with the receiver's fingerprint
    /// known already (a batch signs many acknowledgements: exporting the public key for each one costs more than the signature).
    /// </summary>
    public static FederationAck Create(ECDsa receiverKey, string receiverFingerprint, FederationEnvelope message, string status, string? reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(receiverKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(receiverFingerprint);
        ArgumentNullException.ThrowIfNull(message);
        at = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var unsigned = new FederationAck(message.Id, message.PayloadDigest, receiverFingerprint, status, reason, at, "");
        return unsigned with { Signature = Convert.ToBase64String(receiverKey.SignData(unsigned.SignedContent(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)) };
    }

    public bool IsSignedBy(ECDsa receiverPublicKey)
    {
        ArgumentNullException.ThrowIfNull(receiverPublicKey);
        try
        {
            return receiverPublicKey.VerifyData(SignedContent(), Convert.FromBase64String(Signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    internal byte[] SignedContent() => SignedFields.Write(Label, w =>
    {
        w.Bytes(MessageId.ToByteArray(bigEndian: true));
        w.Text(PayloadDigest);
        w.Text(Receiver);
        w.Text(Status);
        w.Text(Reason ?? "");
        w.Number(At.UtcTicks);
    });
}

/// <summary>Length-prefixed fields after a label: the one encoding every signature of the protocol covers.</summary>
internal sealed class SignedFields
{
    private readonly MemoryStream _stream = new();

    public static byte[] Write(byte[] label, Action<SignedFields> fields)
    {
        var writer = new SignedFields();
        writer._stream.Write(label);
        fields(writer);
        return writer._stream.ToArray();
    }

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        _stream.Write(length);
        _stream.Write(bytes);
    }

    public void Text(string text) => Bytes(Encoding.UTF8.GetBytes(text));

    public void Number(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        _stream.Write(bytes);
    }
}

/// <summary>A node's identity: the lower-case hex SHA-256 of its public key's SubjectPublicKeyInfo (64 digits).</summary>
public static class NodeFingerprint
{
    public static string Of(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Of(key.ExportSubjectPublicKeyInfo());
    }

    public static string Of(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    /// <summary>A fingerprint as people copy it (upper case, colons, spaces allowed), normalised; null when it is not one.</summary>
    public static string? Normalize(string? text)
    {
        var hex = new string((text ?? "").Where(c => c is not (':' or ' ' or '-')).ToArray()).ToLowerInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    /// <summary>The short node id shown to people: the first 16 hex digits of the fingerprint.</summary>
    public static string ShortId(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        return fingerprint[..Math.Min(16, fingerprint.Length)];
    }
}
