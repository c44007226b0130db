using Jisr.Storage.Audit;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

/// <summary>
/// The audit group commit on SQLite keeps its context and connection between batches (its statements prepared once):
/// batches of the same shape store every row and entry, and between batches it holds no lock and no read snapshot.
/// </summary>
public sealed class KeptAuditWriterTests
{
    [Fact]
    public async Task BatchesOfTheSameShape_StoreEveryRecord_AndBetweenBatchesNothingBlocksACheckpointOrAnotherWriter()
    {
        await using var world = await StorageWorld.CreateAsync("sqlite");
        var written = new List<Domain.Records.Record>();
        for (var i = 0; i < 5; i++)
        {
            written.Add(await world.AddRecordAsync(world.Police, $"report {i}"));
        }

        // Between batches the kept connection holds no snapshot: a full checkpoint of the write-ahead log finishes.
        await using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={world.Database.Location.Target}"))
        {
            await other.OpenAsync();
            await using var checkpoint = other.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using var result = await checkpoint.ExecuteReaderAsync();
            Assert.True(await result.ReadAsync());
            Assert.Equal(0L, result.GetInt64(0)); // 1: a reader kept the checkpoint from finishing
            Assert.NotEqual(-1L, result.GetInt64(1)); // -1: not in WAL mode, and the check would prove nothing
        }

        // ... and no write lock: another writer (another process's audit log on the same file) appends at once.
        await using (var second = new AuditLog(world.Database.Open, TimeProvider.System))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await second.AppendAsync(new AuditEvent("record.read")).WaitAsync(timeout.Token);
        }

        written.Add(await world.AddRecordAsync(world.Police, "after the other writer"));
        await using var check = world.Database.Open();
        Assert.Equal(written.Select(r => r.Title).Order(), (await check.Records.Select(r => r.Title).ToListAsync()).Order());
        Assert.Equal(
            [.. Enumerable.Repeat("record.create", 5), "record.read", "record.create"],
            await check.AuditLog.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
        Assert.True((await AuditVerifier.VerifyAsync(check)).IsIntact);
    }
}
