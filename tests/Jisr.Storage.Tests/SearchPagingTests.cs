using System.Globalization;
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
/// Search pages walk the records newest first and stop once a page is full (the text match is a condition on the row,
/// not a list of ids): small pages over a mix of matching and not, readable and not, must still give every readable
/// match exactly once, newest first, on both engines.
/// </summary>
public sealed class SearchPagingTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SmallSearchPages_GiveEveryReadableMatchOnce_NewestFirst(string provider)
    {
        var random = new Random(4242);
        await using var database = await TestDatabase.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var agencies = Enumerable.Range(0, 2).Select(i => Agency.Create($"SP-{i}", $"Agency {i}", "MA", now)).ToList();
        var records = new List<(Record Record, bool Matches)>();
        await using (var db = database.Open())
        {
            db.Agencies.AddRange(agencies);
            for (var i = 0; i < 90; i++)
            {
                // A third of the records hold the searched words (Latin and Arabic); the rest hold only one of them.
                var matches = random.Next(3) == 0;
                var title = matches ? $"convoi شاحنة {i}" : random.Next(2) == 0 ? $"convoi {i}" : $"شاحنة {i}";
                var content = RecordContent.Create(
                    RecordKind.IntelligenceReport, title, "", "fr", "basis", "purpose",
                    now.AddDays(400), DateOnly.FromDateTime(now.AddDays(20).UtcDateTime),
                    Marking.Create((Classification)random.Next(4), Tlp.Amber, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]);
                var record = Record.Create(agencies[random.Next(2)].Id, new UserId(Guid.NewGuid()), content, now);
                records.Add((record, matches));
                db.Records.Add(record);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, []);
                await db.SaveChangesAsync(); // one by one: the insertion order is the newest-first order
            }
        }

        await using var audit = new Audit.AuditLog(database.Open, TimeProvider.System);
        var principal = new Principal(new UserId(Guid.NewGuid()), "searcher", agencies[0].Id, agencies[0].Code, new HashSet<Role> { Role.Analyst }, Classification.Confidential);
        var expected = records
            .Where(r => r.Matches && r.Record.HolderAgencyId == principal.AgencyId && r.Record.Marking.Classification <= principal.Clearance)
            .Select(r => r.Record.Id).Reverse().ToList();
        Assert.True(expected.Count > 8, expected.Count.ToString(CultureInfo.InvariantCulture));

        await using var store = database.Open();
        var found = new List<RecordId>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await new RecordStore(store, audit, new EntityCache(), TimeProvider.System).SearchAsync(principal, "CONVOI الشاحنة", "test", cursor, 3, CancellationToken.None);
            Assert.True(page.Items.Count <= 3);
            found.AddRange(page.Items.Select(r => r.Id));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null && pages < 100); // a cursor that does not move ends here and fails below

        Assert.Equal(expected, found);
        Assert.True(pages >= expected.Count / 3);
    }
}
