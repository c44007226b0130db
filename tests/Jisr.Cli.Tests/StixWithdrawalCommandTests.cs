using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Records;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary>
/// A newer version of a held report withdraws what it no longer names, a newer version of a held relationship revises
/// the link it made, and a revised entity's new name reaches the search text of the records that mention it.
/// </summary>
public sealed class StixWithdrawalCommandTests
{
    private const string At = "2020-01-01T00:00:00.000Z";
    private const string Later = "2030-01-01T00:00:00.000Z";

    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    private static string Db(TestDatabase database) =>
        database.Location.Provider == Storage.DatabaseProvider.Sqlite ? $"sqlite:{database.Location.Target}" : $"postgres:{database.Location.Target}";

    private static async Task<string> BundleAsync(params JsonObject[] objects)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("jisr-stix-").FullName, "bundle.json");
        await File.WriteAllTextAsync(file, new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid():D}", ["objects"] = new JsonArray([.. objects]) }.ToJsonString());
        return file;
    }

    private static JsonObject Person(string id, string name, string modified = At) => new()
    {
        ["type"] = "identity", ["spec_version"] = "2.1", ["id"] = id, ["created"] = At, ["modified"] = modified,
        ["name"] = name, ["identity_class"] = "individual",
    };

    private static JsonObject Relationship(string id, string type, string from, string to, string modified = At) => new()
    {
        ["type"] = "relationship", ["spec_version"] = "2.1", ["id"] = id, ["created"] = At, ["modified"] = modified,
        ["relationship_type"] = type, ["source_ref"] = from, ["target_ref"] = to,
    };

    private static JsonObject Report(string id, string modified, params string[] refs) => new()
    {
        ["type"] = "report", ["spec_version"] = "2.1", ["id"] = id, ["created"] = At, ["modified"] = modified,
        ["name"] = "Network report", ["published"] = At, ["object_refs"] = new JsonArray([.. refs.Select(r => (JsonNode)r)]),
    };

    private static string NewId(string type) => $"{type}--{Guid.NewGuid():D}";

    private sealed record World(string Db, string A, string B, string C, string Link, string Report, Guid Record);

    /// <summary>Persons A, B, C, a relationship A associate-of B and a report naming all four, imported by ES-PART.</summary>
    private static async Task<World> HeldAsync(TestDatabase database)
    {
        var db = Db(database);
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "ES-PART", "--name", "Partner", "--country", "ES")).ExitCode);
        var (a, b, c, link, report) = (NewId("identity"), NewId("identity"), NewId("identity"), NewId("relationship"), NewId("report"));
        var first = await Jisr.RunAsync("stix", "import", "--db", db, "--agency", "ES-PART", await BundleAsync(
            Person(a, "Karim Benali"), Person(b, "Samir Haddad"), Person(c, "Omar Tazi"), Relationship(link, "associate-of", a, b), Report(report, At, a, b, c, link)));
        Assert.True(first.ExitCode == 0, first.Error);
        await using var context = database.Open();
        var record = (await context.StixObjects.SingleAsync(o => o.StixId == report)).RecordId!.Value.Value;
        return new World(db, a, b, c, link, report, record);
    }

    private static async Task<Guid> EntityAsync(TestDatabase database, string stixId)
    {
        await using var context = database.Open();
        return (await context.StixObjects.FirstAsync(o => o.StixId == stixId && o.EntityId != null)).EntityId!.Value.Value;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ANewerReport_ThatNoLongerNamesAnEntityOrARelationship_WithdrawsThem_AndARenamedPersonReachesTheSearchText(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var world = await HeldAsync(database);
        var (a, c) = (await EntityAsync(database, world.A), await EntityAsync(database, world.C));
        await using (var context = database.Open())
        {
            var record = RecordId.From(world.Record);
            Assert.Equal(3, await context.Mentions.CountAsync(m => m.RecordId == record));
            Assert.Equal(1, await context.Set<Link>().CountAsync(l => l.RecordId == record));
        }

        // The report's newer version names A and B only: C and the relationship are withdrawn. A is renamed.
        var revised = await Jisr.RunAsync("stix", "import", "--db", world.Db, "--agency", "ES-PART", await BundleAsync(
            Report(world.Report, Later, world.A, world.B), Person(world.A, "Karim Belkacem", Later)));

        Assert.True(revised.ExitCode == 0, revised.Error);
        await using (var context = database.Open())
        {
            var record = RecordId.From(world.Record);
            var mentioned = await context.Mentions.Where(m => m.RecordId == record).Select(m => m.EntityId).ToListAsync();
            Assert.Equal(2, mentioned.Count);
            Assert.DoesNotContain(EntityId.From(c), mentioned);
            Assert.Contains(EntityId.From(a), mentioned);
            Assert.Equal(0, await context.Set<Link>().CountAsync(l => l.RecordId == record));
            var searchText = await context.Records.Where(r => r.Id == record).Select(r => EF.Property<string>(r, "SearchText")).SingleAsync();
            Assert.Contains("belkacem", searchText, StringComparison.Ordinal);
            Assert.DoesNotContain("benali", searchText, StringComparison.Ordinal);
            Assert.DoesNotContain("tazi", searchText, StringComparison.Ordinal);
        }

        Assert.StartsWith("OK ", (await Jisr.RunAsync("audit", "verify", "--db", world.Db)).Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ANewerRelationship_RevisesTheLinkItMade_InTheRecordsThatAssertIt(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var world = await HeldAsync(database);
        var (personA, personC) = (await EntityAsync(database, world.A), await EntityAsync(database, world.C));

        // The relationship's newer version: A funded C (was: A associate-of B). An older one changes nothing.
        var revised = await Jisr.RunAsync("stix", "import", "--db", world.Db, "--agency", "ES-PART", await BundleAsync(
            Relationship(world.Link, "funded", world.A, world.C, Later)));
        var older = await Jisr.RunAsync("stix", "import", "--db", world.Db, "--agency", "ES-PART", await BundleAsync(
            Relationship(world.Link, "owns", world.A, world.B, "2025-01-01T00:00:00.000Z")));

        Assert.True(revised.ExitCode == 0, revised.Error);
        Assert.Contains("1 held records or entities revised", revised.Output, StringComparison.Ordinal);
        Assert.True(older.ExitCode == 0, older.Error);
        Assert.Contains("1 already held (unchanged)", older.Output, StringComparison.Ordinal);
        await using (var context = database.Open())
        {
            var record = RecordId.From(world.Record);
            var link = await context.Set<Link>().SingleAsync(l => l.RecordId == record);
            Assert.Equal((EntityId.From(personA), EntityId.From(personC), LinkType.Funded), (link.FromEntityId, link.ToEntityId, link.Type));
            Assert.Equal(3, await context.Mentions.CountAsync(m => m.RecordId == record));
            Assert.Contains(await context.AuditLog.Where(a => a.Action == "record.update").Select(a => a.Detail).ToListAsync(), d => d == $"link revised by STIX {world.Link} version {Later}");
        }

        Assert.StartsWith("OK ", (await Jisr.RunAsync("audit", "verify", "--db", world.Db)).Output, StringComparison.Ordinal);
    }
}
