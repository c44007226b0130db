namespace Jisr.Storage.Federation;

/// <summary>
/// The node's long-term federation key: ECDSA P-256, kept outside the database in an encrypted PKCS#8 PEM file that
/// only the node's user may read (0600), created on first use. Its fingerprint (SHA-256 of the public key) is the
/// node's identity: partners pin it out of band, it signs every message and acknowledgement, and the node's TLS
/// certificate is made with the same key, so one pinned value authenticates both the channel and the messages.
/// </summary>
public sealed class NodeKey : IDisposable
{
    public const string FileSuffix = ".node-key";

    /// <summary>Where PostgreSQL nodes keep the key unless told otherwise: the working directory.</summary>
    public const string PostgresDefaultFile = "jisr" + FileSuffix;

    /// <summary>The environment variable the passphrase comes from (never a command-line argument, which others can see).</summary>
    public const string PassphraseVariable = "JISR_NODE_KEY_PASSPHRASE";

    // PBKDF2 work per load: the file is read once per process, so it can be slow for someone guessing the passphrase.
    private static readonly PbeParameters Encryption = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 200_000);

    private NodeKey(ECDsa key, string path)
    {
        Key = key;
        Path = path;
        SubjectPublicKeyInfo = key.ExportSubjectPublicKeyInfo();
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(SubjectPublicKeyInfo));
    }

    public string Path { get; }

    /// <summary>The private key: signs messages, acknowledgements and the TLS certificate.</summary>
    public ECDsa Key { get; }

    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>Lower-case hex SHA-256 of <see cref="SubjectPublicKeyInfo"/>.</summary>
    public string Fingerprint { get; }

    /// <summary>The key file for a database when none is given: <c>PATH.node-key</c> for <c>sqlite:PATH</c>, else <c>./jisr.node-key</c>.</summary>
    public static string DefaultPath(DatabaseLocation location) => PrivateKeyFile.DefaultPath(location, FileSuffix);

    /// <summary>Loads the key with <paramref name="passphrase"/>, creating it (mode 0600) if the file does not exist yet.</summary>
    public static NodeKey LoadOrCreate(string path, string passphrase)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Guard.That(!string.IsNullOrEmpty(passphrase) && passphrase.Length >= 12, PassphraseVariable, ValidationCodes.TooShort, "the node key's passphrase must have at least 12 characters", 12);
        path = System.IO.Path.GetFullPath(path);
        var key = PrivateKeyFile.LoadOrCreate(
            path,
            "the node key",
            created => created.ExportEncryptedPkcs8PrivateKeyPem(passphrase.AsSpan(), Encryption),
            (loaded, pem) => loaded.ImportFromEncryptedPem(pem, passphrase),
            $"cannot be opened: wrong passphrase in {PassphraseVariable}, or not an encrypted ECDSA key");
        return new NodeKey(key, path);
    }

    /// <summary>
    /// A new key for a rotation, written beside the current one (<c>PATH.next</c>, 0600, the same passphrase) until
    /// <see cref="Promote"/> puts it in place. Refused while a <c>.next</c> file is there: an earlier rotation did not finish.
    /// </summary>
    public static NodeKey CreateNext(string path, string passphrase)
    {
        var next = System.IO.Path.GetFullPath(path) + ".next";
        if (File.Exists(next))
        {
            throw new DomainStateException($"{next} exists: an earlier key rotation was interrupted after its new key was made. If the node's messages announce it (federation.node.key-rotate in the audit log), move it over {path}; else delete it");
        }

        return LoadOrCreate(next, passphrase);
    }

    /// <summary>Puts <paramref name="next"/> in place of <paramref name="current"/>'s file; the old key is kept beside it as <c>PATH.retired-NODEID</c>.</summary>
    public static void Promote(NodeKey current, NodeKey next)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        File.Move(current.Path, $"{current.Path}.retired-{current.Fingerprint[..16]}");
        File.Move(next.Path, current.Path);
    }

    public void Dispose() => Key.Dispose();
}

/// <summary>The node's federation key if federation is set up (a passphrase given), else none: federation then answers that it is off.</summary>
public sealed class NodeIdentity(NodeKey? key) : IDisposable
{
    public NodeKey? Key { get; } = key;

    /// <summary>The key, or a state error (409) saying how to set federation up.</summary>
    public NodeKey Require() => Key ?? throw new DomainStateException(
        $"federation is not set up on this node: set {NodeKey.PassphraseVariable} and run 'jisr node init', then restart the node");

    public void Dispose() => Key?.Dispose();
}
