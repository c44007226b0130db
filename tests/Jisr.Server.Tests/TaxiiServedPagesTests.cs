using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Jisr.Exchange.Stix.Export;
using Jisr.Exchange.Taxii;
using Jisr.Policy;
using Jisr.Storage;
using Jisr.Storage.Exchange;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Server.Tests;

/// <summary>
/// An agreement's collection is built from the export's plan, ordered before any text exists, its texts made in page
/// order while the first pages are served. Every page it serves (objects and manifest, small limits, several filters)
/// must be the very page the former path gave: the policy's records exported as one bundle, the bundle read back into
/// object versions (<see cref="FromBundle"/>, that path's code kept here as the model) and paged as a plain list. Random
/// worlds with refusals of every kind (TLP:RED, clearance, retention, uncovered marking or threat domain), entities shared
/// by records of different TLPs and dates, an agreement opened between the records' dates; both engines.
/// </summary>
public sealed class TaxiiServedPagesTests
{
    [Theory]
    [InlineData(3, "sqlite")]
    [InlineData(20261201, "sqlite")]
    [InlineData(5, "postgres")]
    public async Task EveryPage_IsThePageTheExportBundleGave(int seed, string provider)
    {
        var random = new Random(seed);
        await using var node = await TestNode.StartAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var holder = await node.AddAgencyAsync($"TS-{seed % 1000}-A");
        var partner = await node.AddAgencyAsync($"TS-{seed % 1000}-B");
        var users = new List<(TestUser User, Classification Clearance)>();
        foreach (var clearance in new[] { Classification.Restricted, Classification.Secret })
        {
            users.Add((await node.AddUserAsync(holder, $"ts{seed % 1000}.{clearance}".ToLowerInvariant(), [Role.Analyst], clearance), clearance));
        }

        var domains = Enum.GetValues<ThreatDomain>();
        var from = today.AddDays(-400);
        var agreement = SharingAgreement.Propose(
            new SharingTerms(holder.Id, partner.Id, [.. domains.Where(_ => random.Next(3) != 0).DefaultIfEmpty(domains[0])], (Classification)random.Next(1, 4),
            [.. Enum.GetValues<HandlingCode>().Where(_ => random.Next(3) != 0).DefaultIfEmpty(HandlingCode.H0)], from, today.AddDays(400)),
            new UserId(Guid.NewGuid()), now.AddDays(-420));
        agreement.Accept(new UserId(Guid.NewGuid()), now.AddDays(-random.Next(100, 300))); // opened between the records' dates

        // Entities shared by several records: each goes out once, marked as the most restricted record mentioning it.
        var entities = new List<Entity>();
        for (var i = 0; i < 30; i++)
        {
            var at = now.AddDays(-random.Next(1, 900)).AddMilliseconds(random.Next(1000));
            entities.Add((i % 5) switch
            {
                0 => Person.Create(holder.Id, [PersonName.Create($"Person {seed} {i}")], null, null, Gender.Unknown, [], [], at),
                1 => PhoneNumber.Create(holder.Id, $"+2126{seed % 100:D2}{i:D6}", at),
                2 => EmailAddress.Create(holder.Id, $"p{i}.{seed}@example.org", at),
                3 => Organisation.Create(holder.Id, $"Organisation {seed} {i}", [], "MA", at),
                _ => Location.Create(holder.Id, $"Place {i}", "MA", 33.5 + i, -7.6, at),
            });
        }

        var records = new List<Record>();
        for (var i = 0; i < 70; i++)
        {
            var createdAt = now.AddDays(-random.Next(2, 700)).AddMilliseconds(random.Next(1000));
            var retention = random.Next(10) == 0 ? createdAt + ((now - createdAt) / 2) : now.AddDays(random.Next(30, 2000)); // run out, or not
            var content = RecordContent.Create(
                RecordKind.IntelligenceReport, $"served r{i}", "body", "en", "basis", "purpose", retention,
                DateOnly.FromDateTime(retention.UtcDateTime).AddDays(-1),
                Marking.Create((Classification)random.Next(4), (Tlp)random.Next(5), (HandlingCode)random.Next(3)),
                SourceGrading.Parse("B2"), [.. domains.Where(_ => random.Next(4) == 0).DefaultIfEmpty(domains[random.Next(domains.Length)])]);
            var author = users[random.Next(users.Count)].User;
            var record = Record.Create(holder.Id, new UserId(author.Id), content, createdAt);
            var mentioned = entities.OrderBy(_ => random.Next()).Take(random.Next(0, 5)).ToList();
            var links = mentioned.Count >= 2 && random.Next(2) == 0
                ? [LinkDraft.Create(mentioned[0].Id, mentioned[1].Id, LinkType.Owns, null, null, createdAt)]
                : new List<LinkDraft>();
            record.SetAssertions(mentioned, links);
            if (record.Marking.Tlp == Tlp.Red)
            {
                record.SetRecipients([new UserId(author.Id)]);
            }

            records.Add(record);
        }

        await using (var db = node.Database.Open())
        {
            db.Agreements.Add(agreement);
            db.Entities.AddRange(entities);
            var byId = entities.ToDictionary(e => e.Id);
            foreach (var record in records)
            {
                db.Records.Add(record);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, record.Mentions.Select(m => byId[m.EntityId]));
            }

            await db.SaveChangesAsync();
        }

        var collection = agreement.Id.Value;
        var middle = records.Select(r => r.CreatedAt).Order().ElementAt(records.Count / 2);
        string[] queries = ["limit=1", "limit=3", "limit=7", string.Empty, "match[type]=report,identity&limit=4", $"added_after={Uri.EscapeDataString(TaxiiTime.Format(middle))}&limit=5"];
        int pages = 0, objects = 0;
        foreach (var (user, clearance) in users)
        {
            var expected = await FormerCollectionAsync(node, user, clearance, collection);
            var served = expected.Count(o => o.Type == "report");
            Assert.True(served > 0 && served < records.Count, $"{served} of {records.Count} records served: the world must serve some and refuse some");
            foreach (var query in queries)
            {
                foreach (var what in new[] { "objects", "manifest" })
                {
                    string? next = null;
                    do
                    {
                        var parameters = query + (next is null ? string.Empty : $"&next={Uri.EscapeDataString(next)}");
                        var filter = TaxiiFilter.Parse(name => System.Web.HttpUtility.ParseQueryString(parameters)[name]);
                        var model = TaxiiQuery.Select(expected, filter);
                        using var request = new HttpRequestMessage(HttpMethod.Get, $"/taxii2/api/collections/{collection}/{what}/?{parameters.TrimStart('&')}");
                        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(TaxiiApiTests.Accept));
                        using var response = await user.Client.SendAsync(request);
                        var body = await response.Content.ReadAsStringAsync();
                        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what}?{parameters}: {(int)response.StatusCode} {body}");
                        using var document = JsonDocument.Parse(body);
                        var root = document.RootElement;
                        var items = root.TryGetProperty("objects", out var array) ? array.EnumerateArray().ToList() : [];
                        Assert.Equal(model.Items.Count, items.Count);
                        for (var i = 0; i < items.Count; i++)
                        {
                            if (what == "objects")
                            {
                                Assert.Equal(Comparable(model.Items[i].Json), Comparable(items[i].GetRawText()));
                            }
                            else
                            {
                                Assert.Equal(model.Items[i].Id, items[i].GetProperty("id").GetString());
                                Assert.Equal(model.Items[i].Version, items[i].GetProperty("version").GetString());
                                Assert.Equal(TaxiiTime.Format(model.Items[i].DateAdded), items[i].GetProperty("date_added").GetString());
                            }
                        }

                        Assert.Equal(model.More, root.GetProperty("more").GetBoolean());
                        next = root.TryGetProperty("next", out var cursor) ? cursor.GetString() : null;
                        Assert.Equal(model.Next, next);
                        Assert.Equal(model.First is { } first ? TaxiiTime.Format(first) : null, response.Headers.TryGetValues("X-TAXII-Date-Added-First", out var f) ? f.Single() : null);
                        Assert.Equal(model.Last is { } last ? TaxiiTime.Format(last) : null, response.Headers.TryGetValues("X-TAXII-Date-Added-Last", out var l) ? l.Single() : null);
                        pages++;
                        objects += items.Count;
                    }
                    while (next is not null);
                }
            }
        }

        Assert.True(pages > 50 && objects > 0, $"{pages} pages, {objects} objects: too few to compare");
    }

    /// <summary>
    /// The text as it is, but a report's <c>object_refs</c> in one order: they follow the order the database returns a
    /// record's mentions in, which no query fixes (two reads of the same record may differ, on PostgreSQL).
    /// </summary>
    private static string Comparable(string json)
    {
        if (!json.Contains("\"object_refs\"", StringComparison.Ordinal))
        {
            return json;
        }

        var item = JsonNode.Parse(json)!.AsObject();
        item["object_refs"] = new JsonArray([.. item["object_refs"]!.AsArray().Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal).Select(r => (JsonNode)r)]);
        return item.ToJsonString();
    }

    /// <summary>The collection as the former path built it: the policy's records, their export bundle, read back.</summary>
    private static async Task<List<TaxiiObject>> FormerCollectionAsync(TestNode node, TestUser user, Classification clearance, Guid collection)
    {
        await using var scope = node.App.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<StixObjectStore>();
        var db = scope.ServiceProvider.GetRequiredService<JisrDbContext>();
        var agreement = await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == new AgreementId(collection));
        var agency = await db.Agencies.AsNoTracking().SingleAsync(a => a.Id == user.Agency.Id);
        var principal = new Principal(new UserId(user.Id), user.UserName, agency.Id, agency.Code, new HashSet<Role> { Role.Analyst }, clearance);
        var now = DateTimeOffset.UtcNow;
        var received = await store.ReceivedIdsAsync(principal.AgencyId, CancellationToken.None);
        var records = (await store.RecordsToExportAsync(principal, CancellationToken.None))
            .Where(r => AccessPolicy.CanServeOverTaxii(principal, r, agreement, received.ContainsKey(r.Id.Value), now).IsAllowed)
            .ToList();
        if (records.Count == 0)
        {
            return [];
        }

        var entities = await store.EntitiesAsync(records.SelectMany(r => r.Mentions.Select(m => m.EntityId)), CancellationToken.None);
        using var output = new MemoryStream();
        await StixAgencyExport.WriteAsync(output, new StixExportInput(agency, records, entities, new Dictionary<Guid, string>(), AsyncEnumerable.Empty<Jisr.Domain.Exchange.ReceivedStixObject>()), CancellationToken.None);
        var openedAt = new[] { agreement.AcceptedAt ?? agreement.ProposedAt, agreement.StatusChangedAt ?? agreement.ProposedAt, new DateTimeOffset(agreement.ValidFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) }.Max();
        return FromBundle(output.ToArray(), openedAt, now);
    }

    /// <summary>The former <c>TaxiiFeed.FromBundle</c>, as it was: the model the collection built from the plan must match.</summary>
    private static List<TaxiiObject> FromBundle(ReadOnlyMemory<byte> utf8, DateTimeOffset openedAt, DateTimeOffset now)
    {
        using var document = JsonDocument.Parse(utf8);
        var items = document.RootElement.TryGetProperty("objects", out var objects) && objects.ValueKind == JsonValueKind.Array
            ? objects.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object).ToList()
            : [];
        var added = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        static string? Text(JsonElement item, string name) => item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        string VersionOf(JsonElement item) => Text(item, "modified") ?? Text(item, "created") ?? TaxiiTime.Format(now);
        void Raise(string id, DateTimeOffset at) => added[id] = added.TryGetValue(id, out var known) && known >= at ? known : at;
        foreach (var item in items)
        {
            var at = TaxiiTime.Parse(VersionOf(item)) ?? now;
            Raise(Text(item, "id")!, at);
            if (Text(item, "type") == "report" && item.TryGetProperty("object_refs", out var refs) && refs.ValueKind == JsonValueKind.Array)
            {
                foreach (var reference in refs.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!))
                {
                    Raise(reference, at);
                }
            }
        }

        return
        [
            .. items.Select(item =>
            {
                var id = Text(item, "id")!;
                var at = added[id] < openedAt ? openedAt : added[id];
                return new TaxiiObject(id, Text(item, "type")!, VersionOf(item), Text(item, "spec_version") ?? "2.1", at, item.GetRawText());
            }),
        ];
    }
}
