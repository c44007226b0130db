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
/// The record list's filters (threat domain, classification, originator, creation dates) as SQL on both engines:
/// over a random world, every filter and page size gives exactly the readable records the filter keeps, newest first,
/// each once; a domain matches whole ("terrorism" is not "terrorism-financing"), and a filter never shows more than
/// the read rule allows.
/// </summary>
public sealed class RecordFilterTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Filtered_pages_give_every_readable_record_the_filter_keeps_once_newest_first(string provider)
    {
        var random = new Random(9090);
        await using var database = await TestDatabase.CreateAsync(provider);
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var agencies = Enumerable.Range(0, 2).Select(i => Agency.Create($"RF-{i}", $"Agency {i}", "MA", start)).ToList();
        var domains = new[] { ThreatDomain.Terrorism, ThreatDomain.TerrorismFinancing, ThreatDomain.Cybercrime, ThreatDomain.DrugTrafficking };
        var records = new List<Record>();
        await using (var db = database.Open())
        {
            db.Agencies.AddRange(agencies);
            for (var i = 0; i < 80; i++)
            {
                var chosen = domains.Where(_ => random.Next(3) == 0).DefaultIfEmpty(domains[random.Next(domains.Length)]).Distinct().ToArray();
                var created = start.AddHours(i * 7);
                var content = RecordContent.Create(
                    RecordKind.IntelligenceReport, $"rapport {i}", "", "fr", "basis", "purpose",
                    created.AddDays(400), DateOnly.FromDateTime(created.AddDays(20).UtcDateTime),
                    Marking.Create((Classification)random.Next(4), Tlp.Amber, HandlingCode.H0), SourceGrading.Parse("B2"), chosen);
                var record = Record.Create(agencies[random.Next(2)].Id, new UserId(Guid.NewGuid()), content, created);
                records.Add(record);
                db.Records.Add(record);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, []);
                await db.SaveChangesAsync(); // one by one: the insertion order is the newest-first order
            }
        }

        await using var audit = new Audit.AuditLog(database.Open, TimeProvider.System);
        var principal = new Principal(new UserId(Guid.NewGuid()), "reader", agencies[0].Id, agencies[0].Code, new HashSet<Role> { Role.Analyst }, Classification.Confidential);
        var readable = records.Where(r => r.HolderAgencyId == principal.AgencyId && r.Marking.Classification <= principal.Clearance).ToList();
        var day = DateOnly.FromDateTime(start.UtcDateTime);
        var filters = new List<RecordFilter>
        {
            new() { ThreatDomain = ThreatDomain.Terrorism },
            new() { ThreatDomain = ThreatDomain.TerrorismFinancing, Classification = Classification.Restricted },
            new() { Classification = Classification.Secret },
            new() { Originator = agencies[0].Id },
            new() { Originator = agencies[1].Id },
            new() { CreatedFrom = day.AddDays(5), CreatedTo = day.AddDays(12) },
            new() { ThreatDomain = ThreatDomain.Cybercrime, CreatedFrom = day.AddDays(10) },
            new() { CreatedTo = day },
        };
        for (var i = 0; i < 6; i++)
        {
            filters.Add(new RecordFilter
            {
                ThreatDomain = random.Next(2) == 0 ? domains[random.Next(domains.Length)] : null,
                Classification = random.Next(2) == 0 ? (Classification)random.Next(4) : null,
                CreatedFrom = random.Next(2) == 0 ? day.AddDays(random.Next(12)) : null,
            });
        }

        await using var store = database.Open();
        var recordStore = new RecordStore(store, audit, new EntityCache(), TimeProvider.System);
        foreach (var filter in filters)
        {
            var expected = readable.Where(r => Keeps(filter, r)).Select(r => r.Id).Reverse().ToList();
            var size = random.Next(1, 6);
            var found = new List<RecordId>();
            string? cursor = null;
            var pages = 0;
            do
            {
                var page = await recordStore.ListAsync(principal, filter, cursor, size, CancellationToken.None);
                Assert.True(page.Items.Count <= size);
                found.AddRange(page.Items.Select(r => r.Id));
                cursor = page.Next;
                pages++;
            }
            while (cursor is not null && pages < 200);

            Assert.True(expected.SequenceEqual(found), $"{provider} {filter} (pages of {size}): expected {expected.Count}, found {found.Count}");
        }

        // Another agency's records stay out whatever the filter names: it only narrows what the read rule gives.
        var fromPartner = await recordStore.ListAsync(principal, new RecordFilter { Originator = agencies[1].Id }, null, 50, CancellationToken.None);
        var readableIds = readable.Select(r => r.Id).ToHashSet();
        Assert.All(fromPartner.Items, r => Assert.Contains(r.Id, readableIds));
        Assert.True(readable.Count(r => r.ThreatDomains.Contains(ThreatDomain.TerrorismFinancing) && !r.ThreatDomains.Contains(ThreatDomain.Terrorism)) > 0,
            "the world holds records of terrorism financing alone, which the terrorism filter must leave out");
        Assert.Contains(filters, f => readable.Count(r => Keeps(f, r)) > 5);
    }

    private static bool Keeps(RecordFilter filter, Record record) =>
        (filter.ThreatDomain is not { } domain || record.ThreatDomains.Contains(domain))
        && (filter.Classification is not { } classification || record.Marking.Classification == classification)
        && (filter.Originator is not { } originator || record.OriginatorAgencyId == originator)
        && (filter.CreatedFrom is not { } from || DateOnly.FromDateTime(record.CreatedAt.UtcDateTime) >= from)
        && (filter.CreatedTo is not { } to || DateOnly.FromDateTime(record.CreatedAt.UtcDateTime) <= to);
}
