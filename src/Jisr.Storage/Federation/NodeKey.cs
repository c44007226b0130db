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
        Guard.That(!string.IsNullOrEmpty(passphrase) && passphrase.Length >= 12, PassphraseVariable, "the node key's passphrase must have at least 12 characters");
        path = System.IO.Path.GetFullPath(path);
        var key = PrivateKeyFile.LoadOrCreate(
            path,
            "the node key",
            created => created.ExportEncryptedPkcs8PrivateKeyPem(passphrase.AsSpan(), Encryption),
            (loaded, pem) => loaded.ImportFromEncryptedPem(pem, passphrase),
            $"cannot be opened: wrong passphrase in {PassphraseVariable}, or not an encrypted ECDSA key");
        return new NodeKey(key, path);
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
