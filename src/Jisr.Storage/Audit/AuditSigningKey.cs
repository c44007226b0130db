using System.Buffers.Binary;

namespace Jisr.Storage.Audit;

/// <summary>
/// The node's audit key: an ECDSA P-256 private key in a PEM file that only the node's user may read (0600), kept
/// outside the database (by default next to a SQLite file as <c>DB.audit-key</c>), created on first use. Every process
/// of one node must use the same file, or verification will not know the other keys.
/// </summary>
public sealed class AuditSigningKey : IDisposable
{
    public const string FileSuffix = ".audit-key";

    /// <summary>Where PostgreSQL nodes keep the key unless told otherwise: the working directory.</summary>
    public const string PostgresDefaultFile = "jisr" + FileSuffix;

    private readonly ECDsa _key;

    private AuditSigningKey(ECDsa key, string path)
    {
        _key = key;
        Path = path;
        PublicKey = AuditPublicKey.FromPem(key.ExportSubjectPublicKeyInfoPem());
    }

    public string Path { get; }

    public AuditPublicKey PublicKey { get; }

    /// <summary>The key file a node uses when none is given: <c>PATH.audit-key</c> for <c>sqlite:PATH</c>, else <c>./jisr.audit-key</c>.</summary>
    public static string DefaultPath(DatabaseLocation location) => PrivateKeyFile.DefaultPath(location, FileSuffix);

    /// <summary>Loads the key, creating it (mode 0600) if the file does not exist yet. Refuses a file others may read.</summary>
    public static AuditSigningKey LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        path = System.IO.Path.GetFullPath(path);
        var key = PrivateKeyFile.LoadOrCreate(
            path,
            "the audit key",
            created => created.ExportPkcs8PrivateKeyPem(),
            (loaded, pem) => loaded.ImportFromPem(pem),
            "is not an ECDSA private key in PEM form");
        return new AuditSigningKey(key, path);
    }

    /// <summary>Signs "entry <paramref name="sequence"/> has hash <paramref name="entryHash"/>" at <paramref name="at"/>.</summary>
    public AuditCheckpoint Sign(long sequence, byte[] entryHash, DateTimeOffset at)
    {
        var checkpoint = new AuditCheckpoint { Sequence = sequence, EntryHash = entryHash, At = at, KeyId = PublicKey.KeyId };
        checkpoint.Signature = _key.SignData(AuditPublicKey.SignedContent(checkpoint), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return checkpoint;
    }

    public void Dispose()
    {
        _key.Dispose();
        PublicKey.Dispose();
    }
}

/// <summary>The public half of an audit key: checks checkpoint signatures. Its id is the start of the SHA-256 of the key.</summary>
public sealed class AuditPublicKey : IDisposable
{
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("jisr audit checkpoint v1\n");

    private readonly ECDsa _key;

    private AuditPublicKey(ECDsa key, string pem, string keyId)
    {
        _key = key;
        Pem = pem;
        KeyId = keyId;
    }

    /// <summary>SubjectPublicKeyInfo in PEM form, as exported with checkpoints.</summary>
    public string Pem { get; }

    /// <summary>16 hex digits of the SHA-256 of the SubjectPublicKeyInfo.</summary>
    public string KeyId { get; }

    public static AuditPublicKey FromPem(string pem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new CryptographicException("not a P-256 key");
            }

            var spki = key.ExportSubjectPublicKeyInfo();
            return new AuditPublicKey(key, key.ExportSubjectPublicKeyInfoPem(), Convert.ToHexStringLower(SHA256.HashData(spki).AsSpan(0, 8)));
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The public key of a key file, for verification (the private key is read but not kept).</summary>
    public static AuditPublicKey FromKeyFile(string path)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return FromPem(key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>True when this key signed exactly this checkpoint (sequence, hash, time and key id).</summary>
    public bool Signed(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return checkpoint.KeyId == KeyId
            && _key.VerifyData(SignedContent(checkpoint), checkpoint.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public void Dispose() => _key.Dispose();

    /// <summary>What is signed: a fixed label, the sequence, the entry hash, the time (UTC ticks) and the key id, each at a fixed place.</summary>
    internal static byte[] SignedContent(AuditCheckpoint checkpoint)
    {
        var keyId = Encoding.UTF8.GetBytes(checkpoint.KeyId);
        var content = new byte[Domain.Length + 8 + 4 + checkpoint.EntryHash.Length + 8 + 4 + keyId.Length];
        var span = content.AsSpan();
        Domain.CopyTo(span);
        span = span[Domain.Length..];
        BinaryPrimitives.WriteInt64BigEndian(span, checkpoint.Sequence);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], checkpoint.EntryHash.Length);
        checkpoint.EntryHash.CopyTo(span[12..]);
        span = span[(12 + checkpoint.EntryHash.Length)..];
        BinaryPrimitives.WriteInt64BigEndian(span, checkpoint.At.UtcTicks);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], keyId.Length);
        keyId.CopyTo(span[12..]);
        return content;
    }
}
