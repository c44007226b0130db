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
/// List and search pages read on SQLite read lanes (kept statements) are exactly the pages the request's own context
/// reads: the same records in the same order with the same cursors, for random principals over a random world of
/// agencies, classifications and TLP:RED records with named recipients (the policy decides what each principal sees).
/// </summary>
public sealed class RecordPagesOnLanesTests
{
    [Fact]
    public async Task ListAndSearchPages_OnLanes_AreThePagesOfTheRequestContext()
    {
        var random = new Random(4242);
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var now = DateTimeOffset.UtcNow;
        var agencies = Enumerable.Range(0, 4).Select(i => Agency.Create($"AG-{i}", $"Agency {i}", "MA", now)).ToList();
        var users = Enumerable.Range(0, 6).Select(_ => new UserId(Guid.NewGuid())).ToList();
        string[] words = ["tanger", "rabat", "مراقبة", "الإدريسي"];
        await using (var db = database.Open())
        {
            db.Agencies.AddRange(agencies);
            db.Users.AddRange(users.Select((u, i) => new Accounts.JisrUser
            {
                Id = u.Value, UserName = $"user{i}", AgencyId = agencies[i % agencies.Count].Id, Roles = [Role.Analyst], Clearance = Classification.Secret, CreatedAt = now,
            }));
            for (var i = 0; i < 300; i++)
            {
                var agency = agencies[random.Next(agencies.Count)];
                var red = random.Next(5) == 0;
                var content = RecordContent.Create(
                    RecordKind.IntelligenceReport, $"rapport {words[random.Next(words.Length)]} {i}", words[random.Next(words.Length)], "fr", "basis", "purpose",
                    now.AddDays(random.Next(30, 3000)), DateOnly.FromDateTime(now.AddDays(20).UtcDateTime),
                    Marking.Create((Classification)random.Next(4), red ? Tlp.Red : Tlp.Amber, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]);
                var record = Record.Create(agency.Id, users[random.Next(users.Count)], content, now);
                if (red)
                {
                    record.SetRecipients([users[random.Next(users.Count)]]);
                }

                db.Records.Add(record);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, []);
            }

            await db.SaveChangesAsync();
        }

        await using var audit = new Audit.AuditLog(database.Open, TimeProvider.System);
        using var lanes = new SqliteReadLanes(database.Location, maxLanes: 2);
        var pages = 0;
        for (var p = 0; p < 24; p++)
        {
            var agency = agencies[random.Next(agencies.Count)];
            var principal = new Principal(users[random.Next(users.Count)], $"user{p}", agency.Id, agency.Code, new HashSet<Role> { Role.Analyst }, (Classification)random.Next(4));
            var size = random.Next(1, 40);
            pages += await SamePagesAsync((store, cursor) => store.ListAsync(principal, cursor, size, CancellationToken.None));
            var query = random.Next(3) switch
            {
                0 => words[random.Next(words.Length)],
                1 => words[random.Next(words.Length)][..3], // a prefix
                _ => $"rapport {words[random.Next(words.Length)]}",
            };
            pages += await SamePagesAsync((store, cursor) => store.SearchAsync(principal, query, "lane test", cursor, size, CancellationToken.None));
        }

        Assert.True(pages > 200, $"only {pages} pages compared");
        Assert.True(lanes.OpenLanes > 0, "the pages were not read on lanes");

        // Walks every page both ways, page by page; returns how many pages it compared.
        async Task<int> SamePagesAsync(Func<RecordStore, string?, Task<Page<RecordHeader>>> read)
        {
            var entityCache = new EntityCache();
            await using var onLanes = database.Open();
            await using var onContext = database.Open();
            var laneStore = new RecordStore(onLanes, audit, entityCache, TimeProvider.System, lanes);
            var contextStore = new RecordStore(onContext, audit, entityCache, TimeProvider.System);
            string? cursor = null;
            var count = 0;
            do
            {
                var expected = await read(contextStore, cursor);
                var actual = await read(laneStore, cursor);
                Assert.Equal(expected.Items.Select(r => r.Id), actual.Items.Select(r => r.Id));
                Assert.Equal(expected.Next, actual.Next);
                cursor = expected.Next;
                count++;
            }
            while (cursor is not null);

            return count;
        }
    }
}
