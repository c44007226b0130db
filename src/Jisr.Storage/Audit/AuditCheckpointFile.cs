using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jisr.Storage.Audit;

/// <summary>
/// Checkpoints exported to a place an agency trusts (<c>jisr audit checkpoint --out FILE</c>), with the public key that
/// signed them. Verifying against this file detects a rewritten chain even when the checkpoint table was rewritten too.
/// </summary>
public sealed class AuditCheckpointFile
{
    public const string CurrentFormat = "jisr-audit-checkpoints/1";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private AuditCheckpointFile(AuditPublicKey publicKey, IReadOnlyList<AuditCheckpoint> checkpoints)
    {
        PublicKey = publicKey;
        Checkpoints = checkpoints;
    }

    public AuditPublicKey PublicKey { get; }

    public IReadOnlyList<AuditCheckpoint> Checkpoints { get; }

    /// <summary>Reads a checkpoint file; a file that is not one fails with a message naming it.</summary>
    public static AuditCheckpointFile Read(string path)
    {
        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json);
            if (stored is null || stored.Format != CurrentFormat || stored.PublicKey is null || stored.Checkpoints is null)
            {
                throw new InvalidDataException($"{path} is not a Jisr audit checkpoint file ({CurrentFormat})");
            }

            var checkpoints = stored.Checkpoints.Select(c => new AuditCheckpoint
            {
                Sequence = c.Sequence,
                EntryHash = Convert.FromHexString(c.EntryHash ?? string.Empty),
                At = c.At,
                KeyId = c.KeyId ?? string.Empty,
                Signature = Convert.FromBase64String(c.Signature ?? string.Empty),
            }).ToList();
            return new AuditCheckpointFile(AuditPublicKey.FromPem(stored.PublicKey), checkpoints);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidDataException($"{path} is not a Jisr audit checkpoint file ({CurrentFormat}): {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Adds <paramref name="checkpoint"/> to the file at <paramref name="path"/> (creating it), keeping the checkpoints
    /// exported before. A file of another key is refused rather than mixed.
    /// </summary>
    public static void Append(string path, AuditPublicKey publicKey, AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var checkpoints = new List<AuditCheckpoint>();
        if (File.Exists(path))
        {
            var existing = Read(path);
            if (existing.PublicKey.KeyId != publicKey.KeyId)
            {
                throw new InvalidDataException($"{path} holds checkpoints of another audit key ({existing.PublicKey.KeyId}); write to a new file");
            }

            checkpoints.AddRange(existing.Checkpoints.Where(c => c.Sequence != checkpoint.Sequence));
        }

        checkpoints.Add(checkpoint);
        var stored = new Stored(
            CurrentFormat,
            publicKey.Pem,
            [.. checkpoints.OrderBy(c => c.Sequence).Select(c => new StoredCheckpoint(c.Sequence, Convert.ToHexStringLower(c.EntryHash), c.At, c.KeyId, Convert.ToBase64String(c.Signature)))]);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(stored, Json));
        File.Move(temporary, path, overwrite: true);
    }

    private sealed record Stored(
        [property: JsonRequired] string? Format,
        [property: JsonRequired] string? PublicKey,
        [property: JsonRequired] List<StoredCheckpoint>? Checkpoints);

    private sealed record StoredCheckpoint(long Sequence, string? EntryHash, DateTimeOffset At, string? KeyId, string? Signature);
}
