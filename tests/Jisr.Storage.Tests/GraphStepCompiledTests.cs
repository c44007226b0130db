using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Storage.Tests;

/// <summary>
/// The graph's one step and the single entity read run compiled queries with the policy's rules spliced in
/// (<see cref="CompiledEntityReads"/>). Over a random world of two agencies (records at every classification, entities
/// mentioned by several records, links between them, self-links, a link repeated), for callers of both agencies at every
/// clearance and every entity, they must give exactly what the policy's LINQ filters (every other read) give: the same
/// visible entities, the same links in the same order, the other ends. On SQLite also through read lanes, whose kept
/// statements must bind each caller's own inputs.
/// </summary>
public sealed class GraphStepCompiledTests
{
    [Theory]
    [InlineData("sqlite", false)]
    [InlineData("sqlite", true)]
    [InlineData("postgres", false)]
    public async Task TheCompiledStep_AndEntityRead_GiveWhatThePolicyFiltersGive(string engine, bool onLanes)
    {
        await using var world = await StorageWorld.CreateAsync(engine);
        using var lanes = onLanes ? new SqliteReadLanes(world.Database.Location, maxLanes: 2) : null;
        var random = new Random(20261201);
        var now = DateTimeOffset.UtcNow;
        var agencies = new[] { world.Police, world.Intelligence };
        var entities = agencies.ToDictionary(a => a.Id, a => Enumerable.Range(0, 12).Select(i => (Entity)Person.Create(a.Id, [PersonName.Create($"Person {a.Code} {i}")], null, null, Gender.Unknown, [], [], now)).ToList());
        var stored = new HashSet<Guid>();
        for (var i = 0; i < 30; i++)
        {
            var agency = agencies[random.Next(2)];
            var pool = entities[agency.Id];
            var mentioned = pool.OrderBy(_ => random.Next()).Take(random.Next(2, 6)).ToList();
            var drafts = Enumerable.Range(0, random.Next(1, 5)).Select(_ =>
            {
                var from = random.Next(mentioned.Count);
                var to = (from + 1 + random.Next(mentioned.Count - 1)) % mentioned.Count;
                return LinkDraft.Create(mentioned[from].Id, mentioned[to].Id, LinkType.AssociateOf, null, null, now);
            }).ToList();
            drafts.Add(drafts[0]); // the same link asserted twice in one record
            var principal = world.AnalystOf(agency);
            var record = Record.Create(agency.Id, principal.UserId, StorageWorld.Content($"record {i}", (Classification)random.Next(4)), now);
            record.SetAssertions(mentioned, drafts);
            var fresh = mentioned.Where(e => stored.Add(e.Id.Value)).ToList();
            await using var db = world.Database.Open();
            await world.Store(db).CreateAsync(principal, record, fresh, mentioned, CancellationToken.None);
        }

        var everyEntity = entities.Values.SelectMany(e => e).Where(e => stored.Contains(e.Id.Value)).Select(e => e.Id).ToList();
        var checkedSteps = 0;
        foreach (var agency in agencies)
        {
            foreach (var clearance in Enum.GetValues<Classification>())
            {
                var caller = world.AnalystOf(agency, clearance);
                foreach (var id in everyEntity)
                {
                    await using var db = world.Database.Open();
                    var step = await world.Graph(db, lanes).NeighboursAsync(caller, id, "test", CancellationToken.None);
                    var read = await new EntityStore(db, world.Audit, TimeProvider.System, lanes).ReadAsync(caller, id, CancellationToken.None);

                    // What the policy's LINQ filters give.
                    var visible = await db.ReadableEntities(caller, TimeProvider.System).AnyAsync(e => e.Id == id);
                    var readable = db.ReadableRecords(caller, TimeProvider.System);
                    var links = await db.Links.AsNoTracking()
                        .Where(l => (l.FromEntityId == id || l.ToEntityId == id) && readable.Any(r => r.Id == l.RecordId))
                        .OrderBy(l => l.Id).Select(l => l.Id).ToListAsync();

                    Assert.Equal(visible, read is not null);
                    Assert.Equal(visible, step is not null);
                    if (step is null)
                    {
                        continue;
                    }

                    checkedSteps++;
                    Assert.Equal(id, step.Entity.Id);
                    Assert.Equal(links, step.Links.Select(l => l.Id));
                    var otherEnds = step.Links.Select(l => l.FromEntityId == id ? l.ToEntityId : l.FromEntityId).ToHashSet();
                    Assert.Equal(otherEnds.Order(), step.Others.Keys.Order());
                    Assert.All(step.Others, pair => Assert.Equal(pair.Key, pair.Value.Id));
                }
            }
        }

        Assert.True(checkedSteps > everyEntity.Count, $"only {checkedSteps} visible steps: the world must show most entities to someone");
        if (lanes is not null)
        {
            Assert.InRange(lanes.OpenLanes, 1, 2); // the reads ran on lanes
        }
    }
}
