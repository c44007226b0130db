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
/// (<see cref="CompiledEntityReads"/>). Over a random world of two agencies (records at every classification and TLP,
/// TLP:RED ones with named recipients, some past their retention; entities mentioned by several records, links between
/// them both ways, a link repeated), for every user of both agencies (authors, recipients, others, at every clearance)
/// and every entity, they must give exactly what the policy's LINQ filters (every other read) give: the same visible
/// entities, the same links in the same order, the other ends. On SQLite also through read lanes, whose kept statements
/// must bind each caller's own inputs.
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
        var entities = agencies.ToDictionary(a => a.Id, a => Enumerable.Range(0, 8).Select(i => (Entity)Person.Create(a.Id, [PersonName.Create($"Person {a.Code} {i}")], null, null, Gender.Unknown, [], [], now)).ToList());
        var users = agencies.ToDictionary(a => a.Id, a => Enum.GetValues<Classification>().Append(Classification.Secret).Append(Classification.Secret).Select(c => world.AnalystOf(a, c)).ToList());
        await using (var db = world.Database.Open())
        {
            // Accounts for the callers, whom TLP:RED records name as recipients.
            db.Users.AddRange(users.Values.SelectMany(u => u).Select((u, i) => new Accounts.JisrUser
            {
                Id = u.UserId.Value, UserName = $"user{i}", AgencyId = u.AgencyId, Roles = [.. u.Roles], Clearance = u.Clearance, CreatedAt = now,
            }));
            await db.SaveChangesAsync();
        }

        var stored = new HashSet<Guid>();
        for (var i = 0; i < 24; i++)
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
            var author = users[agency.Id][random.Next(users[agency.Id].Count)];
            var retention = random.Next(6) == 0 ? now.AddDays(-random.Next(1, 100)) : now.AddYears(3);
            var tlp = (Tlp)random.Next(5);
            var content = RecordContent.Create(
                RecordKind.IntelligenceReport, $"record {i}", "", "ar", "Loi 03-03", "Prévention du terrorisme", retention,
                DateOnly.FromDateTime(retention.UtcDateTime).AddDays(-1), Marking.Create((Classification)random.Next(4), tlp, HandlingCode.H2),
                SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]);
            var record = Record.Create(agency.Id, author.UserId, content, now.AddDays(-500)); // written before its retention ran out
            record.SetAssertions(mentioned, drafts);
            if (tlp == Tlp.Red)
            {
                record.SetRecipients([.. users[agency.Id].Where(_ => random.Next(3) == 0).Select(u => u.UserId)]);
            }
            var fresh = mentioned.Where(e => stored.Add(e.Id.Value)).ToList();
            await using var db = world.Database.Open();
            await world.Store(db).CreateAsync(author, record, fresh, mentioned, CancellationToken.None);
        }

        var everyEntity = entities.Values.SelectMany(e => e).Where(e => stored.Contains(e.Id.Value)).Select(e => e.Id).ToList();
        var checkedSteps = 0;
        foreach (var agency in agencies)
        {
            foreach (var caller in users[agency.Id])
            {
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

                    Assert.Equal(visible ? id : null, read?.Id);
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
