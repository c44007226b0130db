using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Storage.Audit;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Storage.Tests;

public sealed class RetentionPurgeTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Purge_RemovesExpiredRecordsAndTheEntitiesOnlyTheyMention_AndKeepsNoPersonalDataInTheAudit(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var past = now.AddDays(-100);
        var onlyInExpired = Person.Create(world.Police.Id, [PersonName.Create("Rachid Oubaha")], null, null, Gender.Male, [], [], past);
        var shared = PhoneNumber.Create(world.Police.Id, "+212611111111", past);
        var expired = Record.Create(world.Police.Id, new UserId(Guid.NewGuid()), RecordContent.Create(
            RecordKind.FieldReport, "Rachid Oubaha vu à Nador", "", "fr", "basis", "purpose", now.AddDays(-1), DateOnly.FromDateTime(now.AddDays(-2).UtcDateTime),
            Marking.Create(Classification.Restricted, Tlp.Green, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.DrugTrafficking]), past);
        expired.SetAssertions([onlyInExpired, shared], [LinkDraft.Create(onlyInExpired.Id, shared.Id, LinkType.Owns, null, null, past)]);
        await using (var db = world.Database.Open())
        {
            await world.Store(db).CreateAsync(world.AnalystOf(world.Police), expired, [onlyInExpired, shared], [onlyInExpired, shared], CancellationToken.None);
        }

        var kept = await world.AddRecordAsync(world.Police, "still valid");
        await using (var db = world.Database.Open())
        {
            var record = await db.Records.Include(r => r.Mentions).SingleAsync(r => r.Id == kept.Id);
            record.SetAssertions([shared], []);
            await db.SaveChangesAsync();
        }

        int purged;
        await using (var db = world.Database.Open())
        {
            purged = await new RetentionPurge(db, world.Audit, world.EntityCache).PurgeExpiredAsync(now, CancellationToken.None);
        }

        await using var check = world.Database.Open();
        Assert.Equal(1, purged);
        Assert.False(await check.Records.AnyAsync(r => r.Id == expired.Id));
        Assert.True(await check.Records.AnyAsync(r => r.Id == kept.Id));
        Assert.False(await check.Entities.AnyAsync(e => e.Id == onlyInExpired.Id));
        Assert.True(await check.Entities.AnyAsync(e => e.Id == shared.Id));
        var entries = await check.AuditLog.Where(e => e.Action == "record.purge" || e.Action == "retention.purge").ToListAsync();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.DoesNotContain("Oubaha", (e.Detail ?? "") + e.TargetId + e.Purpose, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.TargetId == expired.Id.ToString());
        Assert.True((await AuditVerifier.VerifyAsync(check)).IsIntact);
    }

    /// <summary>
    /// A notice about a person whom only an expired record mentions: the record goes, the person stays while the notice
    /// is about them. Before, deleting the person failed on the notice's foreign key, every hour, and nothing was purged.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Purge_KeepsAnEntityANoticeIsAbout_AndStillPurgesTheRecord(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var past = now.AddDays(-100);
        var subject = Person.Create(world.Police.Id, [PersonName.Create("Karim Ziani")], null, null, Gender.Male, [], [], past);
        var expired = Record.Create(world.Police.Id, new UserId(Guid.NewGuid()), RecordContent.Create(
            RecordKind.FieldReport, "Karim Ziani vu à Oujda", "", "fr", "basis", "purpose", now.AddDays(-1), DateOnly.FromDateTime(now.AddDays(-2).UtcDateTime),
            Marking.Create(Classification.Restricted, Tlp.Green, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.DrugTrafficking]), past);
        expired.SetAssertions([subject], []);
        await using (var db = world.Database.Open())
        {
            await world.Store(db).CreateAsync(world.AnalystOf(world.Police), expired, [subject], [subject], CancellationToken.None);
            db.Notices.Add(Domain.Notices.Notice.Create(
                world.Police.Id, new UserId(Guid.NewGuid()), Domain.Notices.NoticeColor.Blue, subject.Id, "Localisation", "Information", "trafic de stupéfiants",
                ThreatDomain.DrugTrafficking, [world.Intelligence.Id], [], past));
            await db.SaveChangesAsync();
        }

        for (var run = 0; run < 2; run++)
        {
            await using var db = world.Database.Open();
            await new RetentionPurge(db, world.Audit, world.EntityCache).PurgeExpiredAsync(now, CancellationToken.None);
        }

        await using var check = world.Database.Open();
        Assert.False(await check.Records.AnyAsync(r => r.Id == expired.Id));
        Assert.True(await check.Entities.AnyAsync(e => e.Id == subject.Id));
        Assert.False(await check.AuditLog.AnyAsync(e => e.Action == "record.purge" && e.Outcome == "failed"));
    }
}
