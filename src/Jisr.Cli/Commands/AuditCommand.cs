using System.CommandLine;
using Jisr.Storage.Audit;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr audit verify</c>: walk the hash chain.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var verify = new Command("verify", "Check the audit log's hash chain: 'OK N entries' or 'BROKEN at entry N: REASON' (exit 1)") { db };
        verify.SetAction(async (parsed, cancellationToken) =>
        {
            var location = Storage.DatabaseLocation.Parse(parsed.GetValue(db));
            await Storage.JisrDatabase.MigrateAsync(location, cancellationToken);
            await using var context = Storage.JisrDatabase.Open(location);
            var result = await AuditVerifier.VerifyAsync(context, cancellationToken);
            if (result.IsIntact)
            {
                Console.WriteLine($"OK {result.EntriesChecked} entries");
                return 0;
            }

            Console.WriteLine($"BROKEN at entry {result.BrokenAt}: {result.Reason}");
            return 1;
        });
        return new Command("audit", "Audit log") { verify };
    }
}
