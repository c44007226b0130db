using Jisr.Storage.Audit;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr audit verify</c>: walk the hash chain and check the signed checkpoints; <c>jisr audit checkpoint</c>: sign one now and export it.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
        var exported = new Option<string?>("--checkpoints")
        {
            Description = "A file written by 'jisr audit checkpoint --out': its checkpoints and key are checked too (kept outside the database, it also catches a rewritten checkpoint table)",
        };
        var verify = new Command(
            "verify",
            "Check the audit log's hash chain and its signed checkpoints: 'OK N entries; K signed checkpoints, the last at entry S' or 'BROKEN at entry N: REASON' (exit 1)")
        {
            db, auditKey, exported,
        };
        verify.SetAction(async (parsed, cancellationToken) =>
        {
            var location = DatabaseLocation.Parse(parsed.GetValue(db));
            await JisrDatabase.MigrateAsync(location, cancellationToken);
            await using var context = JisrDatabase.Open(location);
            var trust = await TrustAsync(context, CommonOptions.AuditKeyPath(location, parsed.GetValue(auditKey)), parsed.GetValue(exported), cancellationToken);
            try
            {
                var result = await AuditVerifier.VerifyAsync(context, trust, cancellationToken);
                if (!result.IsIntact)
                {
                    Console.WriteLine($"BROKEN at entry {result.BrokenAt}: {result.Reason}");
                    return 1;
                }

                Console.WriteLine(result.LastCheckpoint is { } last
                    ? $"OK {result.EntriesChecked} entries; {result.CheckpointsChecked} signed checkpoints, the last at entry {last}"
                    : $"OK {result.EntriesChecked} entries; no signed checkpoint yet");
                return 0;
            }
            finally
            {
                foreach (var key in trust.Keys)
                {
                    key.Dispose();
                }
            }
        });

        var output = new Option<string>("--out") { Description = "File to add the checkpoint and the public key to (keep it outside the node)", Required = true };
        var checkpoint = new Command("checkpoint", "Sign a checkpoint of the audit chain now and add it, with the public key, to a file: 'OK checkpoint at entry N (key ID) in FILE'")
        {
            db, auditKey, output,
        };
        checkpoint.SetAction(async (parsed, cancellationToken) =>
        {
            var location = DatabaseLocation.Parse(parsed.GetValue(db));
            await JisrDatabase.MigrateAsync(location, cancellationToken);
            var key = AuditSigningKey.LoadOrCreate(CommonOptions.AuditKeyPath(location, parsed.GetValue(auditKey)));
            await using var audit = new AuditLog(JisrDatabase.PooledFactory(location), TimeProvider.System, new AuditCheckpointPolicy(key) { Interval = TimeSpan.Zero });
            var signed = await audit.CheckpointAsync(cancellationToken) ?? throw new CommandException("the audit log is empty: there is nothing to sign yet");
            var path = parsed.GetValue(output)!;
            try
            {
                AuditCheckpointFile.Append(path, key.PublicKey, signed);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new CommandException($"--out: {ex.Message}", ex);
            }

            Console.WriteLine($"OK checkpoint at entry {signed.Sequence} (key {signed.KeyId}) in {path}");
            return 0;
        });
        return new Command("audit", "Audit log") { verify, checkpoint };
    }

    /// <summary>
    /// The keys and exported checkpoints verification trusts: the node's key file (if present) and the exported file.
    /// Stored checkpoints with no key to check them against are an error, not a silent pass.
    /// </summary>
    private static async Task<AuditTrust> TrustAsync(JisrDbContext context, string keyPath, string? exportedPath, CancellationToken cancellationToken)
    {
        var keys = new List<AuditPublicKey>();
        var exported = new List<AuditCheckpoint>();
        if (exportedPath is not null)
        {
            try
            {
                var file = AuditCheckpointFile.Read(exportedPath);
                keys.Add(file.PublicKey);
                exported.AddRange(file.Checkpoints);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new CommandException($"--checkpoints: {ex.Message}", ex);
            }
        }

        if (File.Exists(keyPath))
        {
            var key = AuditPublicKey.FromKeyFile(keyPath);
            if (keys.Any(k => k.KeyId == key.KeyId))
            {
                key.Dispose();
            }
            else
            {
                keys.Add(key);
            }
        }

        if (keys.Count == 0 && await context.AuditCheckpoints.AnyAsync(cancellationToken))
        {
            throw new CommandException($"no audit key at {keyPath} to check the signed checkpoints with: give --audit-key FILE or --checkpoints FILE");
        }

        return new AuditTrust(keys, exported);
    }
}
