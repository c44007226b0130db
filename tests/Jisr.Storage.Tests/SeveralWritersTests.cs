using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

/// <summary>
/// Several processes writing one database, each with its own audit log (as the CLI beside a node, or two node
/// processes): the chain head is read under the database's write lock, so the chain never forks.
/// </summary>
public sealed class SeveralWritersTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TwoAuditLogsOnOneDatabase_WritingAtOnce_KeepOneUnbrokenChain(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var first = new AuditLog(JisrDatabase.PooledFactory(database.Location), TimeProvider.System);
        await using var second = new AuditLog(JisrDatabase.PooledFactory(database.Location), TimeProvider.System);
        var now = DateTimeOffset.UtcNow;

        // 8 writers, alternating logs: group-committed reads, and changes saved with their entry.
        var writers = Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            var audit = writer % 2 == 0 ? first : second;
            for (var i = 0; i < 25; i++)
            {
                await audit.AppendAsync(new AuditEvent("record.read", Detail: $"{writer}/{i}"));
                await using var db = database.Open();
                db.Agencies.Add(Agency.Create($"AG-{writer}-{i}", "agency", "MA", now));
                await audit.SaveWithAuditAsync(db, new AuditEvent("agency.create", Detail: $"{writer}/{i}"));
            }
        }));
        await Task.WhenAll(writers);

        await using var check = database.Open();
        var result = await AuditVerifier.VerifyAsync(check);
        Assert.True(result.IsIntact, result.Reason);
        Assert.Equal(400, result.EntriesChecked);
        Assert.Equal(200, await check.Agencies.CountAsync());
    }

    [Fact]
    public async Task Append_WhenTheQueueIsFull_WaitsInsteadOfGrowingTheQueue()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        using var writing = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var pooled = JisrDatabase.PooledFactory(database.Location);
        await using var audit = new AuditLog(
            () =>
            {
                writing.Set();
                proceed.Wait(TimeSpan.FromSeconds(30)); // holds the writer inside its first batch
                return pooled();
            },
            TimeProvider.System,
            queueCapacity: 4);

        var appends = new List<Task> { audit.AppendAsync(new AuditEvent("first")) };
        Assert.True(writing.Wait(TimeSpan.FromSeconds(10)));
        appends.AddRange(Enumerable.Range(0, 10).Select(i => audit.AppendAsync(new AuditEvent($"queued {i}"))));
        await Task.Delay(200);

        Assert.Equal(4, audit.QueueDepth);
        Assert.All(appends, a => Assert.False(a.IsCompleted));

        proceed.Set();
        await Task.WhenAll(appends).WaitAsync(TimeSpan.FromSeconds(30));
        await using var check = database.Open();
        Assert.Equal(11, (await AuditVerifier.VerifyAsync(check)).EntriesChecked);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task JobLease_WhileAnotherProcessHoldsIt_IsRefused_UntilItRunsOut(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var clock = new AdjustableClock(DateTimeOffset.UtcNow);
        await using var first = database.Open();
        await using var second = database.Open();
        var hour = TimeSpan.FromMinutes(55);

        var both = await Task.WhenAll(
            new JobLeases(first, clock).TryAcquireAsync("purge", "process-1", hour),
            new JobLeases(second, clock).TryAcquireAsync("purge", "process-2", hour));

        Assert.Equal(1, both.Count(taken => taken));
        var holder = both[0] ? "process-1" : "process-2";
        var other = both[0] ? "process-2" : "process-1";
        Assert.True(await new JobLeases(first, clock).TryAcquireAsync("purge", holder, hour)); // the holder renews
        clock.Advance(TimeSpan.FromMinutes(54));
        Assert.False(await new JobLeases(second, clock).TryAcquireAsync("purge", other, hour));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await new JobLeases(second, clock).TryAcquireAsync("purge", other, hour));
        Assert.False(await new JobLeases(first, clock).TryAcquireAsync("purge", holder, hour));
    }
}
