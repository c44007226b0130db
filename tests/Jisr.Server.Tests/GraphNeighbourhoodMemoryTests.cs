using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Users;
using Jisr.Fusion.Graph;
using Jisr.Policy;
using Jisr.Server.Application.Fusion;
using Jisr.Storage;
using Jisr.Storage.Audit;
using Jisr.Storage.Fusion;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Server.Tests;

/// <summary>
/// A node's neighbourhoods searched over the links it holds in memory (<see cref="LinkAdjacency"/>) are the ones read
/// ring by ring from the database, and stay so while records change under them through another context (as the CLI or
/// a second node would write): a record's links replaced, a record raised above the caller's clearance, a new record.
/// After each change the next answer comes from memory and equals the database's. On both engines.
/// </summary>
public sealed class GraphNeighbourhoodMemoryTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheNeighbourhoodFromMemory_IsTheDatabases_AfterEveryChangeOfLinksOrReadability(string provider)
    {
        await using var node = await TestNode.StartAsync(provider);
        var agency = await node.AddAgencyAsync("MA-MEM");
        var analyst = await node.AddUserAsync(agency, "analyst.mem", [Role.Analyst], Classification.Confidential);
        var principal = new Principal(new UserId(analyst.Id), analyst.UserName, agency.Id, agency.Code, new HashSet<Role> { Role.Analyst }, Classification.Confidential);
        var adjacency = node.App.Services.GetRequiredService<LinkAdjacency>();
        var now = DateTimeOffset.UtcNow;
        var people = Enumerable.Range(0, 6).Select(i => (Entity)Person.Create(agency.Id, [PersonName.Create($"Person {i}")], null, null, Gender.Unknown, [], [], now)).ToList();
        string Name(string id) => $"p{people.FindIndex(p => p.Id.ToString() == id)}";

        RecordContent Content(Classification classification) => RecordContent.Create(
            RecordKind.IntelligenceReport, "who met whom", "body", "en", "basis", "purpose", now.AddYears(1),
            DateOnly.FromDateTime(now.UtcDateTime).AddDays(20), Marking.Create(classification, Tlp.Amber, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]);
        List<LinkDraft> Links(params (int A, int B)[] pairs) => [.. pairs.Select(p => LinkDraft.Create(people[p.A].Id, people[p.B].Id, LinkType.AssociateOf, null, null, now))];
        Record Make(Classification classification, params (int A, int B)[] pairs)
        {
            var record = Record.Create(agency.Id, new UserId(analyst.Id), Content(classification), now);
            record.SetAssertions(people, Links(pairs));
            return record;
        }

        async Task SaveAsync(IEnumerable<Entity> entities, params Record[] records)
        {
            await using var db = node.Database.Open();
            db.Entities.AddRange(entities);
            foreach (var record in records)
            {
                db.Records.Add(record);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, []);
            }

            await db.SaveChangesAsync();
        }

        async Task ChangeAsync(RecordId id, Action<Record> change)
        {
            await using var db = node.Database.Open();
            var record = await db.Records.Include(r => r.Links).Include(r => r.Mentions).SingleAsync(r => r.Id == id);
            change(record);
            await db.SaveChangesAsync();
        }

        // The centre's neighbourhood (depth 2) from memory and from the rings, equal in every entity, edge, weight, kind
        // and their order (at every cap); the entities it shows, by name.
        async Task<string> AroundAsync(int maxNodes = GraphService.MaxNodes)
        {
            await using var scope = node.App.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var rings = new GraphService(
                new FusionStore(services.GetRequiredService<JisrDbContext>(), services.GetRequiredService<AuditLog>(), services.GetRequiredService<TimeProvider>(), services.GetRequiredService<EntityCache>()),
                services.GetRequiredService<GraphCache>());
            var searches = adjacency.Searches;
            var fromMemory = await services.GetRequiredService<GraphService>().NeighbourhoodOfAsync(principal, people[0].Id, 2, maxNodes, CancellationToken.None);
            Assert.Equal(searches + 1, adjacency.Searches);
            var fromRings = await rings.NeighbourhoodOfAsync(principal, people[0].Id, 2, maxNodes, CancellationToken.None);
            Assert.Equal(Exactly(fromRings!.Value.Around), Exactly(fromMemory!.Value.Around));
            Assert.Equal(fromRings.Value.Entities.Keys.Order(StringComparer.Ordinal), fromMemory.Value.Entities.Keys.Order(StringComparer.Ordinal));
            return Describe(fromMemory.Value.Around);
        }

        static string Exactly(Neighbourhood around) =>
            $"{string.Join(' ', around.Distances.Select(d => $"{d.Key}:{d.Value}"))} / {string.Join('|', around.Edges.Select(e => $"{e.A} {e.B} {e.Weight} {string.Join(',', e.Types)}"))} / {around.Truncated} {around.Omitted}";

        string Describe(Neighbourhood around) =>
            string.Join(' ', around.Distances.Select(d => $"{Name(d.Key)}:{d.Value}").Order(StringComparer.Ordinal))
            + " / " + string.Join(' ', around.Edges.Select(e => string.Join('-', new[] { Name(e.A), Name(e.B) }.Order(StringComparer.Ordinal)) + $"x{e.Weight}").Order(StringComparer.Ordinal));

        var first = Make(Classification.Restricted, (0, 1), (1, 2));
        var second = Make(Classification.Restricted, (2, 3), (1, 2));
        var secret = Make(Classification.Secret, (0, 4));
        await SaveAsync(people, first, second, secret);
        Assert.Equal("p0:0 p1:1 p2:2 / p0-p1x1 p1-p2x2", await AroundAsync());

        // Links replaced by another process: the old ones are gone and the new ones followed at once.
        await ChangeAsync(first.Id, r => r.SetAssertions(people, Links((0, 1), (0, 5), (5, 3))));
        Assert.Equal("p0:0 p1:1 p2:2 p3:2 p5:1 / p0-p1x1 p0-p5x1 p1-p2x1 p2-p3x1 p3-p5x1", await AroundAsync());

        // A record raised above the caller's clearance: its links are no longer followed.
        await ChangeAsync(first.Id, r => r.Update(Content(Classification.Secret), now));
        Assert.Equal("p0:0 / ", await AroundAsync());

        // A new record: its links are followed.
        await SaveAsync([], Make(Classification.Confidential, (0, 3)));
        Assert.Equal("p0:0 p2:2 p3:1 / p0-p3x1 p2-p3x1", await AroundAsync());

        // Links both ways between two entities, of several kinds, one twice: one edge whose weight counts the links and
        // whose kinds come in the graph's order, from memory as from the rings.
        var mixed = Record.Create(agency.Id, new UserId(analyst.Id), Content(Classification.Restricted), now);
        mixed.SetAssertions(people, [
            LinkDraft.Create(people[3].Id, people[0].Id, LinkType.Owns, null, null, now),
            LinkDraft.Create(people[0].Id, people[3].Id, LinkType.Called, null, null, now),
            LinkDraft.Create(people[0].Id, people[3].Id, LinkType.Called, null, null, now),
            LinkDraft.Create(people[3].Id, people[0].Id, LinkType.MemberOf, null, null, now),
            LinkDraft.Create(people[4].Id, people[3].Id, LinkType.Funded, null, null, now),
            LinkDraft.Create(people[1].Id, people[3].Id, LinkType.LocatedAt, null, null, now)]);
        await SaveAsync([], mixed);
        Assert.Equal("p0:0 p1:2 p2:2 p3:1 p4:2 / p0-p3x5 p1-p2x1 p1-p3x1 p2-p3x1 p3-p4x1", await AroundAsync());

        // Capped: the same entities kept and the same counted out, from memory as from the rings.
        foreach (var cap in new[] { 1, 2, 3, 4 })
        {
            Assert.Equal(Math.Min(cap, 5), (await AroundAsync(cap)).Split(" / ")[0].Split(' ').Length);
        }
    }

    /// <summary>The memory search keeps an edge's kinds from and to an entity as the bits of two 16-bit halves of one number: a 17th link kind would need another layout.</summary>
    [Fact]
    public void LinkKinds_FitTheSixteenBitsTheMemorySearchKeepsForThem() =>
        Assert.All(Enum.GetValues<LinkType>(), kind => Assert.InRange((int)kind, 0, 15));
}
