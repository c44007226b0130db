namespace Jisr.Storage.Audit;

/// <summary>
/// A signed statement "the audit chain's entry <see cref="Sequence"/> has hash <see cref="EntryHash"/>", made by the
/// node's audit key (<see cref="AuditSigningKey"/>), which lives outside the database. Whoever rewrites entries and
/// recomputes the plain hash chain cannot sign a matching checkpoint without that key.
/// </summary>
public sealed class AuditCheckpoint
{
    /// <summary>The entry the checkpoint vouches for (and, through the chain, every entry before it).</summary>
    public long Sequence { get; set; }

    public byte[] EntryHash { get; set; } = [];

    /// <summary>When the checkpoint was signed.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Which key signed it (<see cref="AuditPublicKey.KeyId"/>).</summary>
    public string KeyId { get; set; } = string.Empty;

    /// <summary>ECDSA P-256 with SHA-256 over <see cref="AuditPublicKey.SignedContent"/>, in IEEE P1363 form (64 bytes).</summary>
    public byte[] Signature { get; set; } = [];
}
