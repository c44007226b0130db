using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Storage.Records;
using Jisr.Storage.Sharing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

/// <summary>
/// Record reads on SQLite lanes (connections kept open with their statements prepared): only the query's plan is kept,
/// so a change that hides a record (an agreement suspended, its retention ended) takes effect on the very next read
/// through the same lane and the same kept statement.
/// </summary>
public sealed class SqliteReadLanesTests
{
    [Fact]
    public async Task ASuspendedAgreement_HidesTheCopy_OnTheVeryNextReadThroughTheSameKeptStatement()
    {
        await using var world = await StorageWorld.CreateAsync("sqlite");
        using var lanes = new SqliteReadLanes(world.Database.Location, maxLanes: 1);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var agreement = SharingAgreement.Propose(
            new SharingTerms(world.Police.Id, world.Intelligence.Id, [ThreatDomain.Terrorism], Classification.Secret, [HandlingCode.H2], today, today.AddYears(1)),
            new UserId(Guid.NewGuid()), now);
        agreement.Accept(new UserId(Guid.NewGuid()), now);
        var record = await world.AddRecordAsync(world.Police, "shared report", classification: Classification.Confidential);
        RecordId copyId;
        await using (var db = world.Database.Open())
        {
            db.Agreements.Add(agreement);
            await db.SaveChangesAsync();
            var principal = world.AnalystOf(world.Police);
            var source = await world.Store(db).FindForUpdateAsync(principal, record.Id, CancellationToken.None);
            var release = Release.Request(source!, world.Intelligence.Id, agreement, principal.UserId, [], null, needsSecondPerson: false, now);
            await new ReleaseStore(db, world.Audit, TimeProvider.System).RequestAsync(principal, release, source!, agreement, CancellationToken.None);
            copyId = release.CopyRecordId!.Value;
        }

        var partner = world.AnalystOf(world.Intelligence);
        async Task<bool> PartnerReadsAsync()
        {
            await using var db = world.Database.Open();
            return await new RecordStore(db, world.Audit, world.EntityCache, TimeProvider.System, lanes).ReadAsync(partner, copyId, CancellationToken.None) is not null;
        }

        async Task ChangeAgreementAsync(Action<SharingAgreement> change)
        {
            await using var db = world.Database.Open();
            change(await db.Agreements.SingleAsync(a => a.Id == agreement.Id));
            await db.SaveChangesAsync();
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.True(await PartnerReadsAsync());
        }

        Assert.Equal(1, lanes.OpenLanes); // every read went through the one lane, its statement kept

        // Between reads the lane holds no read snapshot: a full checkpoint of the write-ahead log is not blocked by it.
        await using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={world.Database.Location.Target}"))
        {
            await other.OpenAsync();
            await using var checkpoint = other.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using var result = await checkpoint.ExecuteReaderAsync();
            Assert.True(await result.ReadAsync());
            Assert.Equal(0L, result.GetInt64(0)); // 1 would mean a reader kept the checkpoint from finishing
            Assert.NotEqual(-1L, result.GetInt64(1)); // -1: not in WAL mode, and the check would prove nothing
        }

        await ChangeAgreementAsync(a => a.Suspend(world.Police.Id, "partner under review", DateTimeOffset.UtcNow));
        Assert.False(await PartnerReadsAsync());

        await ChangeAgreementAsync(a => a.Resume("review done", DateTimeOffset.UtcNow));
        Assert.True(await PartnerReadsAsync());

        // Other inputs of the rule on the same kept statement: the reader's clearance, then the copy's retention.
        await using (var db = world.Database.Open())
        {
            Assert.Null(await new RecordStore(db, world.Audit, world.EntityCache, TimeProvider.System, lanes)
                .ReadAsync(world.AnalystOf(world.Intelligence, Classification.Restricted), copyId, CancellationToken.None));
            await db.Records.Where(r => r.Id == copyId).ExecuteUpdateAsync(s => s.SetProperty(r => r.RetentionUntil, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        Assert.False(await PartnerReadsAsync());
        Assert.Equal(1, lanes.OpenLanes);
    }

    [Fact]
    public async Task ReadsOnLanesAndOnRequestContexts_RunOneCompiledQuery_InAnyOrder()
    {
        await using var world = await StorageWorld.CreateAsync("sqlite");
        using var lanes = new SqliteReadLanes(world.Database.Location, maxLanes: 1);
        using var noLane = new SqliteReadLanes(world.Database.Location, maxLanes: 0); // every read falls back
        var police = world.AnalystOf(world.Police);
        var record = await world.AddRecordAsync(world.Police, "read on both paths");
        foreach (var through in new[] { noLane, lanes, null, lanes, noLane })
        {
            await using var db = world.Database.Open();
            Assert.NotNull(await new RecordStore(db, world.Audit, world.EntityCache, TimeProvider.System, through).ReadAsync(police, record.Id, CancellationToken.None));
        }

        Assert.Equal(1, lanes.OpenLanes);
        Assert.Equal(0, noLane.OpenLanes);
    }

    [Fact]
    public async Task ARecordOfManyPersonsAndLinks_ReadOnALaneInSteps_IsTheRecordTheSingleStatementReads()
    {
        await using var world = await StorageWorld.CreateAsync("sqlite");
        using var lanes = new SqliteReadLanes(world.Database.Location, maxLanes: 1);
        using var noLane = new SqliteReadLanes(world.Database.Location, maxLanes: 0);
        var now = DateTimeOffset.UtcNow;
        var police = world.AnalystOf(world.Police);
        List<Entity> persons = [.. Enumerable.Range(0, 8).Select(i => (Entity)Person.Create(world.Police.Id, [PersonName.Create($"Person {i} El Idrissi")], null, null, Gender.Male, [], [], now))];
        var record = Jisr.Domain.Records.Record.Create(world.Police.Id, police.UserId, StorageWorld.Content("eight persons in a ring"), now);
        record.SetAssertions(persons, [.. persons.Select((p, i) => LinkDraft.Create(p.Id, persons[(i + 1) % persons.Count].Id, LinkType.AssociateOf, PartialDate.Parse("2024"), null, now))]);
        await using (var db = world.Database.Open())
        {
            await world.Store(db).CreateAsync(police, record, persons, persons, CancellationToken.None);
        }

        async Task<RecordDetails> ReadAsync(SqliteReadLanes through)
        {
            await using var db = world.Database.Open();
            return (await new RecordStore(db, world.Audit, world.EntityCache, TimeProvider.System, through).ReadAsync(police, record.Id, CancellationToken.None))!;
        }

        var single = await ReadAsync(noLane);
        var inSteps = await ReadAsync(lanes);
        Assert.Equal(1, lanes.OpenLanes); // the read ran on the lane
        Assert.Equal(8, single.Record.Links.Count);
        Assert.Equal(8, single.Record.Mentions.Count);
        Assert.Equal(single.Record.Links.Select(l => (l.Id, l.FromEntityId, l.ToEntityId, l.Type)).Order(), inSteps.Record.Links.Select(l => (l.Id, l.FromEntityId, l.ToEntityId, l.Type)).Order());
        Assert.Equal(single.Record.Mentions.Select(m => m.EntityId).Order(), inSteps.Record.Mentions.Select(m => m.EntityId).Order());
        Assert.Equal(single.Entities.Select(e => e.Id).Order(), inSteps.Entities.Select(e => e.Id).Order());
        Assert.Equal(single.Record.Title, inSteps.Record.Title);
    }

    [Fact]
    public async Task LanesOnAnotherMemoryCache_ThanTheRequestContexts_TakeTheReads()
    {
        await using var world = await StorageWorld.CreateAsync("sqlite");

        // A node's contexts use the application's memory cache; the lanes' compiled queries are those of their own cache.
        var other = new DbContextOptionsBuilder<SqliteJisrDbContext>();
        JisrDatabase.ConfigureSqlite(other, world.Database.Location.Target);
        using var cache = new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions());
        using var lanes = new SqliteReadLanes(world.Database.Location, other.UseMemoryCache(cache).Options, maxLanes: 1);
        var police = world.AnalystOf(world.Police);
        var record = await world.AddRecordAsync(world.Police, "read on a lane of another cache");
        for (var i = 0; i < 2; i++)
        {
            await using var db = world.Database.Open();
            Assert.Equal(record.Id, (await new RecordStore(db, world.Audit, world.EntityCache, TimeProvider.System, lanes).ReadAsync(police, record.Id, CancellationToken.None))?.Record.Id);
        }

        Assert.Equal(1, lanes.OpenLanes);
    }
}
