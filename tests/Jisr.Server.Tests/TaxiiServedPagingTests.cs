using System.Text.Json.Nodes;
using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Jisr.Exchange.Stix;
using Jisr.Exchange.Stix.Export;
using Jisr.Exchange.Taxii;
using Jisr.Storage;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Server.Tests;

/// <summary>
/// An agreement's collection is read a page at a time from the stored records. Paged in threes over records the
/// policy refuses scattered between those it allows (TLP:RED, above the agreement's classification, an uncovered
/// threat domain), with entities shared between records, and with records added between page requests, every object
/// comes exactly once, and the objects are exactly the agency export of the records a plain model allows (the same
/// text, the entities marked as the most restricted of their served records); the manifest gives them in date-added
/// order, an entity added with the latest served record that mentions it, nothing before the feed opened.
/// </summary>
public sealed class TaxiiServedPagingTests
{
    private static readonly ThreatDomain[] Covered = [ThreatDomain.Terrorism, ThreatDomain.Cybercrime];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task SmallPages_OverScatteredRefusals_AndRecordsAddedBetweenRequests_ServeEachAllowedObjectOnce(string provider)
    {
        await using var node = await TestNode.StartAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var a = await node.AddAgencyAsync("TP-A");
        var b = await node.AddAgencyAsync("TP-B", "FR");
        var analyst = await node.AddUserAsync(a, "tp.analyst", [Role.Analyst], Classification.Secret);
        var validFrom = today.AddDays(-30);
        var agreement = SharingAgreement.Propose(new SharingTerms(a.Id, b.Id, Covered, Classification.Confidential, [HandlingCode.H0, HandlingCode.H1], validFrom, today.AddDays(300)), new UserId(Guid.NewGuid()), now.AddDays(-31));
        agreement.Accept(new UserId(Guid.NewGuid()), now.AddDays(-31));
        var opened = new DateTimeOffset(validFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var records = new List<Record>();
        var entities = new List<Entity>();
        var shared = Person.Create(a.Id, [PersonName.Create("Shared Person")], null, null, Gender.Unknown, [], [], now.AddDays(-45));
        var halfRefused = Person.Create(a.Id, [PersonName.Create("Half Refused")], null, null, Gender.Unknown, [], [], now.AddDays(-45));
        entities.AddRange([shared, halfRefused]);
        Record Add(int i, DateTimeOffset at, params Entity[] extra)
        {
            // Every third record refused, for a different reason each time; the allowed ones over every TLP a feed carries.
            var refusal = i % 3 == 1 ? (i / 3) % 3 : -1;
            var tlp = refusal == 0 ? Tlp.Red : (Tlp)(i % 4);
            var classification = refusal == 1 ? Classification.Secret : (Classification)(i % 3);
            ThreatDomain[] domains = refusal == 2 ? [ThreatDomain.DrugTrafficking] : [Covered[i % 2]];
            var content = RecordContent.Create(
                RecordKind.IntelligenceReport, $"paged r{i}", "paging", "en", "basis", "purpose", now.AddDays(400), today.AddDays(300),
                Marking.Create(classification, tlp, HandlingCode.H0), SourceGrading.Parse("B2"), domains);
            var record = Record.Create(a.Id, new UserId(analyst.Id), content, at);
            var person = Person.Create(a.Id, [PersonName.Create($"Person {i}")], null, null, Gender.Unknown, [], [], at);
            var phone = PhoneNumber.Create(a.Id, $"+2127{i:D8}", at);
            record.SetAssertions([person, phone, .. extra], [LinkDraft.Create(person.Id, phone.Id, LinkType.Owns, null, null, at)]);
            if (tlp == Tlp.Red)
            {
                record.SetRecipients([new UserId(analyst.Id)]);
            }

            entities.AddRange([person, phone]);
            records.Add(record);
            return record;
        }

        // Records from before the feed opened to yesterday; two share an entity, one shares one with a refused record.
        Record? latestWithShared = null;
        for (var i = 0; i < 24; i++)
        {
            var at = now.AddDays(-40 + i).AddMinutes(i);
            var record = Add(i, at, i is 2 or 21 ? [shared] : i is 3 or 4 ? [halfRefused] : []);
            latestWithShared = i == 21 ? record : latestWithShared;
        }

        Assert.True(Allowed(records[3], agreement, now) && !Allowed(records[4], agreement, now), "the world must share an entity between an allowed and a later refused record");
        Assert.True(Allowed(records[2], agreement, now) && Allowed(records[21], agreement, now) && records[2].Marking.Tlp > records[21].Marking.Tlp);
        await SaveAsync(node, entities, records, agreement);

        var served = new List<JsonObject>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await TaxiiApiTests.GetAsync(analyst.Client, $"/taxii2/api/collections/{agreement.Id.Value}/objects/?limit=3" + (next is null ? string.Empty : $"&next={next}"));
            var objects = page["objects"]?.AsArray().Select(o => o!.AsObject()).ToList() ?? [];
            Assert.True(objects.Count is > 0 and <= 3);
            served.AddRange(objects);
            next = page["next"]?.GetValue<string>();
            Assert.Equal(next is not null, page["more"]!.GetValue<bool>());
            pages++;
            if (pages is 1 or 12)
            {
                // Added between page requests: changed now, so they come after everything served so far.
                var before = records.Count;
                entities.Clear();
                Add(records.Count, DateTimeOffset.UtcNow);
                Add(records.Count, DateTimeOffset.UtcNow.AddMilliseconds(5));
                await SaveAsync(node, entities, records.Skip(before), null);
            }
        }
        while (next is not null);

        var ids = served.Select(o => o["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var expected = await ExportAsync(node, a, [.. records.Where(r => Allowed(r, agreement, now))]);
        var servedById = served.Where(o => o["type"]!.GetValue<string>() != "marking-definition").ToDictionary(o => o["id"]!.GetValue<string>());
        Assert.Equal(expected.Keys.Order(), servedById.Keys.Order());
        foreach (var (id, item) in expected)
        {
            Assert.True(JsonNode.DeepEquals(item, servedById[id]), $"{id}: served {servedById[id].ToJsonString()}, the export writes {item.ToJsonString()}");
        }

        Assert.Equal(
            [.. new[] { Tlp.Clear, Tlp.Green, Tlp.Amber, Tlp.AmberStrict }.Select(TlpMarkings.IdOf).Order()],
            served.Where(o => o["type"]!.GetValue<string>() == "marking-definition").Select(o => o["id"]!.GetValue<string>()).Order());
        Assert.DoesNotContain(records.Where(r => !Allowed(r, agreement, now)).Select(StixAgencyExport.ReportId), ids.Contains);
        Assert.True(records.Count(r => Allowed(r, agreement, now)) >= 16, "too few allowed records to prove anything");

        // The manifest, paged in fours: date-added order; the shared entity added with the later record; nothing before the feed opened.
        var manifest = new List<JsonObject>();
        next = null;
        do
        {
            var page = await TaxiiApiTests.GetAsync(analyst.Client, $"/taxii2/api/collections/{agreement.Id.Value}/manifest/?limit=4" + (next is null ? string.Empty : $"&next={next}"));
            manifest.AddRange(page["objects"]!.AsArray().Select(o => o!.AsObject()));
            next = page["next"]?.GetValue<string>();
        }
        while (next is not null);
        var added = manifest.Select(m => TaxiiTime.Parse(m["date_added"]!.GetValue<string>())!.Value).ToList();
        Assert.Equal(added.Order(), added);
        Assert.Equal(ids.Order(), manifest.Select(m => m["id"]!.GetValue<string>()).Order());
        Assert.All(added, d => Assert.True(d >= opened));
        DateTimeOffset AddedOf(string id) => added[manifest.FindIndex(m => m["id"]!.GetValue<string>() == id)];
        Assert.Equal(AddedOf(StixAgencyExport.ReportId(latestWithShared!)), AddedOf(StixAgencyExport.EntityObjectId(shared)));
        Assert.Equal(opened, AddedOf(StixAgencyExport.ReportId(records[0])));
        Assert.Equal(AddedOf(StixAgencyExport.ReportId(records[3])), AddedOf(StixAgencyExport.EntityObjectId(halfRefused)));
    }

    /// <summary>The plain model: the agency's own records, not TLP:RED, whose marking and threat domains the agreement covers (the analyst's clearance is the highest).</summary>
    private static bool Allowed(Record r, SharingAgreement agreement, DateTimeOffset now) =>
        r.Marking.Tlp != Tlp.Red && r.Marking.Classification <= agreement.HighestClassification && agreement.HandlingCodes.Contains(r.Marking.Handling)
        && r.ThreatDomains.All(agreement.ThreatDomains.Contains) && r.RetentionUntil > now;

    private static async Task SaveAsync(TestNode node, List<Entity> entities, IEnumerable<Record> records, SharingAgreement? agreement)
    {
        await using var db = node.Database.Open();
        if (agreement is not null)
        {
            db.Agreements.Add(agreement);
        }

        db.Entities.AddRange(entities);
        var byId = entities.ToDictionary(e => e.Id);
        foreach (var record in records)
        {
            db.Records.Add(record);
            db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, record.Mentions.Where(m => byId.ContainsKey(m.EntityId)).Select(m => byId[m.EntityId]));
        }

        await db.SaveChangesAsync();
    }

    /// <summary>The agency export of <paramref name="records"/> (what the collection must hold besides the TLP definitions), by id.</summary>
    private static async Task<Dictionary<string, JsonObject>> ExportAsync(TestNode node, Agency agency, List<Record> records)
    {
        await using var db = node.Database.Open();
        var recordIds = records.Select(r => r.Id).ToList();
        records = [.. db.Records.Where(r => recordIds.Contains(r.Id)).Include(r => r.Mentions).Include(r => r.Links).AsSplitQuery()]; // as stored: the served objects are made from these
        var ids = records.SelectMany(r => r.Mentions.Select(m => m.EntityId)).Distinct().ToList();
        var entities = db.Entities.Where(e => ids.Contains(e.Id)).ToDictionary(e => e.Id);
        using var output = new MemoryStream();
        await StixAgencyExport.WriteAsync(output, new StixExportInput(agency, records, entities, new Dictionary<Guid, string>(), Nothing()), CancellationToken.None);
        var bundle = JsonNode.Parse(output.ToArray())!;
        return bundle["objects"]!.AsArray().Select(o => o!.AsObject()).Where(o => o["type"]!.GetValue<string>() != "marking-definition").ToDictionary(o => o["id"]!.GetValue<string>(), o => (JsonObject)o.DeepClone());
    }

    private static async IAsyncEnumerable<Jisr.Domain.Exchange.ReceivedStixObject> Nothing()
    {
        await Task.CompletedTask;
        yield break;
    }
}
