using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Users;
using Jisr.Policy;
using Jisr.Storage.Records;
using Jisr.Testing;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Storage.Tests;

/// <summary>
/// Random worlds on both providers: for every (user, record) pair, what each read path returns (list, search, single
/// read) equals what a reference model written in the test says the user may see.
/// </summary>
public sealed class PolicyFilterPropertyTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EveryReadPath_ReturnsExactlyWhatTheReferenceModelAllows(string provider)
    {
        var random = new Random(provider.Length * 7919);
        await using var database = await TestDatabase.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var agencies = Enumerable.Range(0, 8).Select(i => Agency.Create($"AG-{i}", $"Agency {i}", "MA", now)).ToList();
        var records = new List<Record>();
        await using (var db = database.Open())
        {
            db.Agencies.AddRange(agencies);
            for (var i = 0; i < 240; i++)
            {
                var agency = agencies[random.Next(agencies.Count)];
                var content = RecordContent.Create(
                    RecordKind.IntelligenceReport, $"rapport commun numéro {i}", "مراقبة", "fr", "basis", "purpose",
                    now.AddDays(random.Next(30, 3000)), DateOnly.FromDateTime(now.AddDays(20).UtcDateTime),
                    Marking.Create((Classification)random.Next(4), Tlp.Amber, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]);
                var record = Record.Create(agency.Id, new UserId(Guid.NewGuid()), content, now);
                var phone = Domain.Entities.PhoneNumber.Create(agency.Id, $"+2126{i:D8}", now);
                record.SetAssertions([phone], []);
                records.Add(record);
                db.Entities.Add(phone);
                db.Records.Add(record);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, []);
            }

            await db.SaveChangesAsync();
        }

        await using var audit = new Audit.AuditLog(database.Open, TimeProvider.System);
        var entityCache = new EntityCache(); // shared by every principal, as on a node

        // On SQLite single reads go through read lanes as on a node (kept statements, two lanes so both are reused).
        using var lanes = database.Provider == DatabaseProvider.Sqlite ? new SqliteReadLanes(database.Location, maxLanes: 2) : null;
        var pairs = 0;
        for (var u = 0; u < 30; u++)
        {
            var agency = agencies[random.Next(agencies.Count)];
            var principal = new Principal(new UserId(Guid.NewGuid()), $"user{u}", agency.Id, agency.Code, new HashSet<Role> { Role.Analyst }, (Classification)random.Next(4));
            var expected = records.Where(r => r.OriginatorAgencyId == principal.AgencyId && (int)r.Marking.Classification <= (int)principal.Clearance)
                .Select(r => r.Id).ToHashSet();
            await using var db = database.Open();
            var store = new RecordStore(db, audit, entityCache, TimeProvider.System, lanes);

            var listed = new HashSet<RecordId>();
            string? cursor = null;
            do
            {
                var page = await store.ListAsync(principal, cursor, 50, CancellationToken.None);
                listed.UnionWith(page.Items.Select(r => r.Id));
                cursor = page.Next;
            }
            while (cursor is not null);

            var found = new HashSet<RecordId>();
            cursor = null;
            do
            {
                var page = await store.SearchAsync(principal, "rapport commun", "property test", cursor, 200, CancellationToken.None);
                found.UnionWith(page.Items.Select(r => r.Id));
                cursor = page.Next;
            }
            while (cursor is not null);

            Assert.Equal(expected, listed);
            Assert.Equal(expected, found);
            foreach (var record in records.OrderBy(_ => random.Next()).Take(40))
            {
                var read = await store.ReadAsync(principal, record.Id, CancellationToken.None);
                Assert.Equal(expected.Contains(record.Id), read is not null);
                if (read is not null)
                {
                    var entity = Assert.Single(read.Entities);
                    Assert.Equal(principal.AgencyId, entity.AgencyId);
                    Assert.Equal(record.Mentions.Single().EntityId, entity.Id);
                }
                pairs++;
            }

            pairs += records.Count * 2;
        }

        Assert.True(pairs >= 15_000);
    }
}
