using System.Diagnostics;
using System.Globalization;
using Jisr.Domain.Common;
using Jisr.Storage.Audit;
using Jisr.Testing;

namespace Jisr.Bench.Api;

/// <summary>Time for <c>audit verify</c> over a chain of N entries (default one million).</summary>
internal static class AuditBench
{
    public static async Task RunAsync(BenchOptions options)
    {
        await RunProviderAsync("sqlite", options.Entries);
        if (options.Postgres is not null)
        {
            Environment.SetEnvironmentVariable(TestDatabase.PostgresVariable, options.Postgres);
            await RunProviderAsync("postgres", options.Entries);
        }
    }

    private static async Task RunProviderAsync(string provider, int entries)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var fill = Stopwatch.StartNew();
        await using (var audit = new AuditLog(database.Open, TimeProvider.System))
        {
            // Appended through the real writer, in large batches so filling takes seconds, not minutes.
            const int batch = 10_000;
            for (var done = 0; done < entries; done += batch)
            {
                await using var db = database.Open();
                var events = Enumerable.Range(done, Math.Min(batch, entries - done))
                    .Select(i => new AuditEvent("record.read", new UserId(Guid.NewGuid()), "bench.reader", new AgencyId(Guid.NewGuid()), "record", Guid.NewGuid().ToString("D"), Purpose: i % 10 == 0 ? "enquête 2026/114" : null))
                    .ToList();
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                await audit.SaveWithAuditAsync(db, events);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{provider}: audit log filled with {entries} entries in {fill.Elapsed.TotalSeconds:F1} s"));
        await using var check = database.Open();
        var verify = Stopwatch.StartNew();
        var result = await AuditVerifier.VerifyAsync(check);
        verify.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{provider}: audit verify over {result.EntriesChecked} entries: {verify.Elapsed.TotalSeconds:F2} s ({(result.IsIntact ? "OK" : "BROKEN")})"));
    }
}
