using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Storage.Records;
using Jisr.Testing;

namespace Jisr.Storage.Tests;

/// <summary>
/// The person match reads only as many candidates as it needs: checked in growing slices, the first readable persons
/// of a ranked list are exactly those a check of every id gives, whatever hidden persons (another agency's, above the
/// caller's clearance) are mixed in and wherever, and the search is audited once. The candidate read is a compiled
/// query with the policy's rules spliced in: each round also compares it with the policy's LINQ filter that every other
/// entity read uses. On SQLite also through read lanes (as on a node: kept statements, reused by every slice size and
/// caller), which must not change the answer.
/// </summary>
public sealed class FirstReadablePersonsTests
{
    [Theory]
    [InlineData("sqlite", false)]
    [InlineData("sqlite", true)]
    [InlineData("postgres", false)] // the ids go as one array parameter (EF.Parameter), which each engine translates its own way
    public async Task FirstReadable_AreThoseACheckOfEveryIdGives_InRandomMixes(string engine, bool onLanes)
    {
        await using var world = await StorageWorld.CreateAsync(engine);
        // Two lanes, so that rounds reuse kept statements on both.
        using var lanes = onLanes ? new SqliteReadLanes(world.Database.Location, maxLanes: 2) : null;
        var now = DateTimeOffset.UtcNow;
        var visible = Enumerable.Range(0, 40).Select(i => Person.Create(world.Police.Id, [PersonName.Create($"Karim Visible {i}")], null, null, Gender.Male, [], [], now)).ToList();
        var secret = Enumerable.Range(0, 40).Select(i => Person.Create(world.Police.Id, [PersonName.Create($"Samir Secret {i}")], null, null, Gender.Male, [], [], now)).ToList();
        var foreign = Enumerable.Range(0, 40).Select(i => Person.Create(world.Intelligence.Id, [PersonName.Create($"Nadia Foreign {i}")], null, null, Gender.Female, [], [], now)).ToList();
        await world.AddRecordAsync(world.Police, "rapport", [.. visible]);
        await world.AddRecordAsync(world.Police, "rapport secret", [.. secret], Classification.Secret);
        await world.AddRecordAsync(world.Intelligence, "rapport étranger", [.. foreign]);
        var analyst = world.AnalystOf(world.Police, Classification.Restricted);
        var other = world.AnalystOf(world.Intelligence, Classification.Secret);
        var readableByOther = foreign.Select(p => p.Id).ToHashSet();
        var all = visible.Concat(secret).Concat(foreign).Select(p => p.Id).ToList();
        var readable = visible.Select(p => p.Id).ToHashSet();
        var random = new Random(11);

        for (var round = 0; round < 12; round++)
        {
            // A ranking where hidden persons may fill the first places, and the wanted number may exceed what is readable.
            var ranked = all.OrderBy(_ => random.Next()).Take(random.Next(1, all.Count + 1)).ToList();
            var wanted = random.Next(1, 50);
            await using var db = world.Database.Open();

            // Callers of two agencies in turn: a kept statement must bind each caller's own policy inputs.
            var (caller, allowed) = round % 2 == 0 ? (analyst, readable) : (other, readableByOther);
            var entities = new EntityStore(db, world.Audit, TimeProvider.System, lanes);

            var found = await entities.FirstReadablePersonsAsync(caller, ranked, wanted, "karim", "test", CancellationToken.None);

            var expected = ranked.Where(allowed.Contains).Take(wanted).ToList();
            Assert.Equal(expected, ranked.Where(found.ContainsKey).Take(wanted));
            Assert.All(found.Keys, id => Assert.Contains(id, allowed));

            // The compiled candidate read keeps exactly what the policy's LINQ filter (every other entity read) keeps.
            var viaFilter = await entities.ReadableByIdAsync(caller, ranked, CancellationToken.None);
            Assert.Equal(ranked.Where(viaFilter.ContainsKey).Take(wanted), ranked.Where(found.ContainsKey).Take(wanted));
            Assert.All(found.Keys, id => Assert.True(viaFilter.ContainsKey(id)));
        }

        if (lanes is not null)
        {
            Assert.InRange(lanes.OpenLanes, 1, 2); // the reads ran on lanes
        }

        await using (var db = world.Database.Open())
        {
            Assert.Equal(12, db.AuditLog.Count(e => e.Action == "person.match"));
        }
    }
}
