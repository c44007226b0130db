using System.Data.Common;
using Jisr.Domain.Common;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

/// <summary>
/// On PostgreSQL a group-commit batch of entries alone (reads, searches) goes to the server as one batch of INSERTs,
/// not through EF Core's SaveChanges: its rows must be exactly the rows SaveChanges stores (the verifier re-hashes what
/// EF Core reads back, and other processes write the same table through SaveChanges), and a batch stores all or nothing.
/// </summary>
public sealed class PostgresAuditBatchTests
{
    [Fact]
    public async Task EntriesAlone_StoredInOneBatch_AreStoredAsSaveChangesStoresThem_AndTheChainVerifies()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await AuditRowsBothWays.WriteAsync(database, concurrent: 40);

        await using var check = database.Open();
        Assert.Equal(await StoredAsync(check, 2), await StoredAsync(check, 1));
        Assert.Equal(await StoredAsync(check, 3), await StoredAsync(check, 4));
        Assert.Contains("\"Detail\": \"q=الإدريسي; 3 results\"", await StoredAsync(check, 1), StringComparison.Ordinal);
        Assert.Contains("\"Detail\": null", await StoredAsync(check, 4), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, 44).Select(i => (long)i), await check.AuditLog.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync());
        var first = await check.AuditLog.AsNoTracking().SingleAsync(e => e.Sequence == 1);
        var read = AuditRowsBothWays.Filled;
        Assert.Equal((read.ActorUserId, read.AgencyId, read.Purpose, read.Detail, Instants.Normalize(AuditRowsBothWays.At)), (first.ActorUserId, first.AgencyId, first.Purpose, first.Detail, first.At));
        var result = await AuditVerifier.VerifyAsync(check);
        Assert.True(result.IsIntact, result.Reason);
    }

    [Fact]
    public async Task ABatchWithAnEntryTheServerRefuses_StoresNoneOfIt_AndTheChainGoesOnFromTheStoredHead()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await using (var audit = new AuditLog(JisrDatabase.PooledFactory(database.Location), TimeProvider.System))
        {
            // The action column holds 64 characters: the server refuses this entry, and with it the batch it is in.
            var refused = new AuditEvent(new string('x', 65));
            var appends = Enumerable.Range(0, 30).Select(i => i == 15 ? refused : new AuditEvent("record.read", Detail: $"read {i}"))
                .Select(e => (e, audit.AppendAsync(e))).ToList();
            var outcomes = new List<(AuditEvent Event, bool Stored)>();
            foreach (var (e, append) in appends)
            {
                try
                {
                    await append;
                    outcomes.Add((e, true));
                }
                catch (DbException)
                {
                    outcomes.Add((e, false));
                }
            }

            Assert.DoesNotContain(outcomes, o => o.Event == refused && o.Stored);
            await audit.AppendAsync(new AuditEvent("record.read", Detail: "after"));

            await using var check = database.Open();
            var details = await check.AuditLog.OrderBy(e => e.Sequence).Select(e => e.Detail).ToListAsync();

            // Exactly the answered appends are stored (none of a failed batch), in one unbroken chain.
            Assert.Equal([.. outcomes.Where(o => o.Stored).Select(o => o.Event.Detail), "after"], details);
            var result = await AuditVerifier.VerifyAsync(check);
            Assert.True(result.IsIntact, result.Reason);
        }
    }

    /// <summary>An entry's stored row as JSON, without the columns that differ by position (sequence and hashes).</summary>
    private static async Task<string> StoredAsync(JisrDbContext db, long sequence) =>
        await db.Database.SqlQuery<string>($"""SELECT (to_jsonb(a) - 'Sequence' - 'Hash' - 'PreviousHash')::text AS "Value" FROM "AuditLog" AS a WHERE a."Sequence" = {sequence}""").SingleAsync();
}
