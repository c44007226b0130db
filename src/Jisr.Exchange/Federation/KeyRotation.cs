namespace Jisr.Exchange.Federation;

/// <summary>
/// A node's new key, announced to a peer in a message signed by its old key (the envelope: continuity of the pinned
/// identity), with <paramref name="Proof"/>, a signature by the new key over both fingerprints and the time (the node
/// holds the new key). Once the peer applies it, it pins the new key: messages under the old one are refused.
/// </summary>
public sealed record KeyRotationMessage(string OldFingerprint, string NewFingerprint, string NewPublicKey, DateTimeOffset At, string Proof)
{
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("jisr federation key rotation v1\n");

    public static KeyRotationMessage Create(string oldFingerprint, ECDsa newKey, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        at = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var unsigned = new KeyRotationMessage(oldFingerprint, NodeFingerprint.Of(newKey), Convert.ToBase64String(newKey.ExportSubjectPublicKeyInfo()), at, "");
        return unsigned with { Proof = Convert.ToBase64String(newKey.SignData(unsigned.SignedContent(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)) };
    }

    /// <summary>Null when the announcement holds for a message from <paramref name="sender"/>, else why not.</summary>
    public string? WhyRefused(string sender)
    {
        if (OldFingerprint != sender)
        {
            return "the rotation names another node's old key";
        }

        byte[] publicKey;
        try
        {
            publicKey = Convert.FromBase64String(NewPublicKey);
        }
        catch (FormatException)
        {
            return "the new public key is not base64";
        }

        if (NodeFingerprint.Of(publicKey) != NewFingerprint || NewFingerprint == OldFingerprint)
        {
            return "the new key does not match its fingerprint, or is the old key";
        }

        using var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(publicKey, out _);
            return key.KeySize == 256 && key.VerifyData(SignedContent(), Convert.FromBase64String(Proof), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                ? null
                : "the new key's proof does not verify: the sender does not hold the key it announces";
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return "the new public key is not a P-256 key";
        }
    }

    private byte[] SignedContent() => SignedFields.Write(Label, w =>
    {
        w.Text(OldFingerprint);
        w.Text(NewFingerprint);
        w.Text(NewPublicKey);
        w.Number(At.UtcTicks);
    });
}
