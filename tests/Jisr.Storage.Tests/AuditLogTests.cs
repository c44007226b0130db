using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

public sealed class AuditLogTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_AfterConcurrentAppends_IsIntactWithoutGaps(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);

        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => world.Audit.AppendAsync(new AuditEvent("record.read", Detail: $"read {i} — قراءة"))));
        await using var db = world.Database.Open();
        var result = await AuditVerifier.VerifyAsync(db);

        Assert.True(result.IsIntact, result.Reason);
        Assert.Equal(300, result.EntriesChecked);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), await db.AuditLog.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_WhenOneByteOfOneEntryChanges_NamesThatEntry(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        for (var i = 0; i < 20; i++)
        {
            await world.Audit.AppendAsync(new AuditEvent("search", Purpose: "enquête 2026/114", Detail: $"q=suspect{i}"));
        }

        await using (var db = world.Database.Open())
        {
            var entry = await db.AuditLog.SingleAsync(e => e.Sequence == 13);
            entry.Detail = "q=suspect12".Replace('2', '3'); // one byte
            await db.SaveChangesAsync();
        }

        await using var check = world.Database.Open();
        var result = await AuditVerifier.VerifyAsync(check);

        Assert.False(result.IsIntact);
        Assert.Equal(13, result.BrokenAt);
        Assert.Contains("changed", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_WhenAnEntryIsRemoved_NamesTheGap(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        for (var i = 0; i < 10; i++)
        {
            await world.Audit.AppendAsync(new AuditEvent("record.read"));
        }

        await using (var db = world.Database.Open())
        {
            await db.AuditLog.Where(e => e.Sequence == 4).ExecuteDeleteAsync();
        }

        await using var check = world.Database.Open();
        var result = await AuditVerifier.VerifyAsync(check);

        Assert.Equal(4, result.BrokenAt);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_WhenAHashIsRecomputedAfterTampering_StillBreaksAtTheNextEntry(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        for (var i = 0; i < 5; i++)
        {
            await world.Audit.AppendAsync(new AuditEvent("record.read", Detail: i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await using (var db = world.Database.Open())
        {
            var entry = await db.AuditLog.SingleAsync(e => e.Sequence == 2);
            entry.Detail = "forged";
            entry.Hash = AuditHasher.ComputeHash(entry, entry.PreviousHash);
            await db.SaveChangesAsync();
        }

        await using var check = world.Database.Open();
        Assert.Equal(3, (await AuditVerifier.VerifyAsync(check)).BrokenAt);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SaveWithAudit_WhenTheChangeFails_WritesNoEntryAndTheChainGoesOn(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        await world.Audit.AppendAsync(new AuditEvent("before"));

        await using (var db = world.Database.Open())
        {
            db.Agencies.Add(Domain.Agencies.Agency.Create("MA-POL", "duplicate code", "MA", DateTimeOffset.UtcNow));
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => world.Audit.SaveWithAuditAsync(db, new AuditEvent("agency.create")));
        }

        await world.Audit.AppendAsync(new AuditEvent("after"));
        await using var check = world.Database.Open();
        var result = await AuditVerifier.VerifyAsync(check);
        Assert.True(result.IsIntact, result.Reason);
        Assert.Equal(["before", "after"], await check.AuditLog.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SaveWithAudit_AChangeMadeOnlyOnATrackedObject_IsStoredCountedAndChained(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var created = await world.AddRecordAsync(world.Police, "before");

        await using (var db = world.Database.Open())
        {
            var record = await db.Records.SingleAsync(r => r.Id == created.Id);
            var version = DataChanges.VersionOf(db);

            // A plain property change: no Update() call and no entry API, so only a scan of the tracked objects finds it.
            record.Update(StorageWorld.Content("after"), DateTimeOffset.UtcNow);
            await world.Audit.SaveWithAuditAsync(db, new AuditEvent("record.update", TargetType: "record", TargetId: created.Id.ToString()));

            Assert.True(db.ChangeTracker.AutoDetectChangesEnabled);
            Assert.Equal(version + 1, DataChanges.VersionOf(db));
        }

        await using var check = world.Database.Open();
        Assert.Equal("after", (await check.Records.SingleAsync(r => r.Id == created.Id)).Title);
        Assert.Equal(["record.create", "record.update"], await check.AuditLog.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
        Assert.True((await AuditVerifier.VerifyAsync(check)).IsIntact);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Writes_AreAuditedInTheSameTransaction(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);

        var record = await world.AddRecordAsync(world.Police, "audited write");

        await using var db = world.Database.Open();
        var entry = await db.AuditLog.SingleAsync(e => e.Action == "record.create");
        Assert.Equal(record.Id.ToString(), entry.TargetId);
        Assert.Equal(world.Police.Id, entry.AgencyId);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task GroupCommit_WhenOneItemOfABatchFails_OnlyThatItemFails(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;

        var attempts = Enumerable.Range(0, 40).Select(i => world.Audit.AppendAsync(
            new AuditEvent("agency.create", Detail: i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            db => db.Agencies.Add(Domain.Agencies.Agency.Create(i == 17 ? "MA-POL" : $"AG-{i}", "agency", "MA", now)))).ToList();
        var outcomes = await Task.WhenAll(attempts.Select(async a =>
        {
            try
            {
                await a;
                return true;
            }
            catch (DbUpdateException)
            {
                return false;
            }
        }));

        Assert.Equal(39, outcomes.Count(ok => ok));
        Assert.False(outcomes[17]);
        await using var check = world.Database.Open();
        Assert.Equal(41, await check.Agencies.CountAsync());
        Assert.Equal(39, await check.AuditLog.CountAsync(e => e.Action == "agency.create"));
        Assert.DoesNotContain("17", await check.AuditLog.Select(e => e.Detail).ToListAsync());
        Assert.True((await AuditVerifier.VerifyAsync(check)).IsIntact);
    }
}
