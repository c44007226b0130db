using System.Text.Json;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Policy;
using Jisr.Storage.Records;
using Jisr.Storage.Sharing;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Storage.Tests;

/// <summary>
/// A record read on a SQLite read lane (the record under the policy rule, then its links and mentions by narrow
/// statements of their own) gives exactly what the single statement with its <c>Include</c>s gives, which is the read
/// of every request context, PostgreSQL and a busy node: every public property of the record, its links (all fields,
/// in the same order), its mentions and the entities served, compared as their JSON.
/// </summary>
public sealed class RecordReadShapeTests
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    [Fact]
    public async Task ARecordWithEveryKindOfChild_AndItsReleaseCopy_ReadOnALane_AreWhatTheSingleStatementReads()
    {
        await using var world = await StorageWorld.CreateAsync("sqlite");
        using var lanes = new SqliteReadLanes(world.Database.Location, maxLanes: 1);
        using var noLane = new SqliteReadLanes(world.Database.Location, maxLanes: 0); // every read on the request context
        var now = DateTimeOffset.UtcNow;
        var police = world.AnalystOf(world.Police);
        var partner = world.AnalystOf(world.Intelligence);
        var agency = world.Police.Id;
        List<Entity> entities =
        [
            Person.Create(agency, [PersonName.Create("Youssef El Idrissi"), PersonName.Create("يوسف الإدريسي")], PartialDate.Parse("1984-03"), "Tanger", Gender.Male, ["MA", "ES"], [PersonIdentifier.Create("passport", "AB123456", "MA")], now),
            Person.Create(agency, [PersonName.Create("Amina Benali")], null, null, Gender.Female, [], [], now),
            Organisation.Create(agency, "Réseau du Détroit", ["RD"], "MA", now),
            Location.Create(agency, "Port de Tanger Med", "MA", 35.88, -5.5, now),
            Event.Create(agency, "Rencontre", PartialDate.Parse("2024-05-17"), "Tétouan", now),
            PhoneNumber.Create(agency, "+212600000001", now),
            EmailAddress.Create(agency, "contact@example.org", now),
            Vehicle.Create(agency, "12345-A-6", "MA", "Dacia", "Logan", "blanc", now),
            Vessel.Create(agency, "Al Bahr", "9074729", null, "MA", now),
            BankAccount.Create(agency, "FR7630006000011234567890189", null, "R. D.", now),
        ];
        var linkTypes = Enum.GetValues<LinkType>();
        List<LinkDraft> links =
        [
            .. entities.Select((e, i) => LinkDraft.Create(
                e.Id,
                entities[(i + 1) % entities.Count].Id,
                linkTypes[i % linkTypes.Length],
                i % 3 == 0 ? null : PartialDate.Parse(i % 2 == 0 ? "2021" : "2022-07"),
                i % 3 == 1 ? PartialDate.Parse("2023-01-15") : null,
                now)),
        ];
        var content = RecordContent.Create(
            RecordKind.FieldReport, "تقرير ميداني: le réseau du détroit", "Corps du rapport, شبكة", "fr", "Loi 03-03", "Prévention du terrorisme",
            now.AddYears(3), DateOnly.FromDateTime(now.AddYears(1).UtcDateTime),
            Marking.Create(Classification.Confidential, Tlp.Amber, HandlingCode.H3, "pas d'usage judiciaire sans accord"), SourceGrading.Parse("B2"),
            [ThreatDomain.Terrorism, ThreatDomain.MigrantSmuggling, ThreatDomain.DrugTrafficking]);
        var record = Record.Create(agency, police.UserId, content, now);
        record.SetAssertions(entities, links);
        var bare = Record.Create(agency, police.UserId, StorageWorld.Content("nothing asserted"), now);
        await using (var db = world.Database.Open())
        {
            await world.Store(db).CreateAsync(police, record, entities, entities, CancellationToken.None);
            await world.Store(db).CreateAsync(police, bare, [], [], CancellationToken.None);
        }

        // A release copy held by the partner: provenance, the agreement it came under, the links copied with new ids.
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var agreement = SharingAgreement.Propose(
            new SharingTerms(world.Police.Id, world.Intelligence.Id, [ThreatDomain.Terrorism], Classification.Secret, [HandlingCode.H3], today, today.AddYears(1)),
            new UserId(Guid.NewGuid()), now);
        agreement.Accept(new UserId(Guid.NewGuid()), now);
        RecordId copyId;
        await using (var db = world.Database.Open())
        {
            db.Agreements.Add(agreement);
            await db.SaveChangesAsync();
            var source = await world.Store(db).FindForUpdateAsync(police, record.Id, CancellationToken.None);
            var release = Release.Request(source!, world.Intelligence.Id, agreement, police.UserId, [], null, needsSecondPerson: false, now);
            await new ReleaseStore(db, world.Audit, TimeProvider.System).RequestAsync(police, release, source!, agreement, CancellationToken.None);
            copyId = release.CopyRecordId!.Value;
        }

        async Task<RecordDetails?> ReadAsync(SqliteReadLanes through, Principal principal, RecordId id)
        {
            await using var db = world.Database.Open();
            return await new RecordStore(db, world.Audit, world.EntityCache, TimeProvider.System, through).ReadAsync(principal, id, CancellationToken.None);
        }

        foreach (var (principal, id, mentions, linkCount) in new[] { (police, record.Id, 10, 10), (partner, copyId, 10, 10), (police, bare.Id, 0, 0) })
        {
            var single = await ReadAsync(noLane, principal, id);
            var inSteps = await ReadAsync(lanes, principal, id);
            Assert.NotNull(single);
            Assert.NotNull(inSteps);
            Assert.Equal(mentions, inSteps.Record.Mentions.Count); // the comparison below is over something
            Assert.Equal(linkCount, inSteps.Record.Links.Count);
            Assert.Equal(Serialized(single), Serialized(inSteps));
        }

        Assert.NotNull((await ReadAsync(lanes, partner, copyId))!.Record.Provenance);
        Assert.Equal(1, lanes.OpenLanes); // the reads ran on the lane
        Assert.Equal(0, noLane.OpenLanes);

        // Not readable, by both shapes: another agency's record, a record above the reader's clearance, no record at all.
        foreach (var (principal, id) in new[] { (partner, record.Id), (world.AnalystOf(world.Police, Classification.Restricted), record.Id), (police, RecordId.New(now)) })
        {
            Assert.Null(await ReadAsync(noLane, principal, id));
            Assert.Null(await ReadAsync(lanes, principal, id));
        }
    }

    [Fact]
    public async Task AReadThatFailsOnALane_ClosesItsTransaction_AndTheNextReadsAndWritesGoOn()
    {
        await using var world = await StorageWorld.CreateAsync("sqlite");
        using var lanes = new SqliteReadLanes(world.Database.Location, maxLanes: 1);
        var police = world.AnalystOf(world.Police);
        var record = await world.AddRecordAsync(world.Police, "read after a failure");
        await using (var db = world.Database.Open())
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => lanes.RunAsync<int>(db, lane =>
            {
                Assert.NotNull(CompiledReads.RecordByIdInSteps((SqliteJisrDbContext)lane, record.Id, police, DateTimeOffset.UtcNow));
                throw new InvalidOperationException("the read failed inside its transaction");
            }));
        }

        Assert.Equal(0, lanes.OpenLanes); // the failed lane was closed, not reused

        // Had the failed lane's connection gone back to the pool inside its read transaction, this checkpoint would be
        // kept from finishing, and a later read on that connection would see an old snapshot.
        await world.AddRecordAsync(world.Police, "written after the failure");
        await using (var other = new Microsoft.Data.Sqlite.SqliteConnection(JisrDatabase.SqliteConnectionString(world.Database.Location.Target)))
        {
            await other.OpenAsync();
            await using var checkpoint = other.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using var result = await checkpoint.ExecuteReaderAsync();
            Assert.True(await result.ReadAsync());
            Assert.Equal(0L, result.GetInt64(0));
        }

        for (var i = 0; i < 2; i++)
        {
            await using var db = world.Database.Open();
            Assert.NotNull(await new RecordStore(db, world.Audit, world.EntityCache, TimeProvider.System, lanes).ReadAsync(police, record.Id, CancellationToken.None));
        }

        Assert.Equal(1, lanes.OpenLanes);
    }

    /// <summary>Every public property of the record (typed ids, marking, grading, provenance, links, mentions), then the entities by their own type.</summary>
    private static string Serialized(RecordDetails details) =>
        JsonSerializer.Serialize(details.Record, Json) + "\n"
        + string.Join("\n", details.Entities.Select(e => JsonSerializer.Serialize(e, e.GetType(), Json))) + "\n"
        + string.Join(",", details.Recipients);
}
