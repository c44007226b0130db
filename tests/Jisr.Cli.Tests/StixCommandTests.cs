using System.Text.Json.Nodes;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary><c>jisr stix export</c> and <c>jisr stix import</c> end to end, on real databases.</summary>
public sealed class StixCommandTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    private static string Db(TestDatabase database) =>
        database.Location.Provider == Storage.DatabaseProvider.Sqlite ? $"sqlite:{database.Location.Target}" : $"postgres:{database.Location.Target}";

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DemoAgencyExport_ImportedByAFreshNode_GivesBackTheSameRecordsAndMarkings_AndExportsTheSameObjects(string provider)
    {
        await using var source = await TestDatabase.CreateAsync(provider);
        await using var target = await TestDatabase.CreateAsync(provider);
        var work = Directory.CreateTempSubdirectory("jisr-stix-");
        var bundle = Path.Combine(work.FullName, "dgsn.json");
        Assert.Equal(0, (await Jisr.RunAsync("demo", "--db", Db(source))).ExitCode);

        var exported = await Jisr.RunAsync("stix", "export", "--db", Db(source), "--agency", "MA-DGSN", "--out", bundle);
        Assert.True(exported.ExitCode == 0, exported.Error);
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", Db(target), "--code", "ES-PART", "--name", "Partner", "--country", "ES")).ExitCode);
        var imported = await Jisr.RunAsync("stix", "import", "--db", Db(target), "--agency", "ES-PART", bundle);

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.StartsWith("OK imported ", imported.Output, StringComparison.Ordinal);
        await using (var a = source.Open())
        await using (var b = target.Open())
        {
            var dgsn = await a.Agencies.SingleAsync(x => x.Code == "MA-DGSN");
            // TLP:RED records go to named people only, never into a bundle (the policy does not let the agency's writer read them).
            var own = await a.Records.Where(r => r.HolderAgencyId == dgsn.Id && r.OriginatorAgencyId == dgsn.Id && r.Provenance == null && r.Marking.Tlp != Domain.Markings.Tlp.Red).ToListAsync();
            var partner = await b.Agencies.SingleAsync(x => x.Code == "ES-PART");
            var copies = await b.Records.Where(r => r.HolderAgencyId == partner.Id).ToListAsync();
            Assert.Equal(
                own.Select(r => $"{r.Title}|{r.Marking}|{r.SourceGrading}|{r.LegalBasis}|{r.RetentionUntil:O}").Order(StringComparer.Ordinal),
                copies.Select(r => $"{r.Title}|{r.Marking}|{r.SourceGrading}|{r.LegalBasis}|{r.RetentionUntil:O}").Order(StringComparer.Ordinal));
            Assert.All(copies, r => Assert.Equal(partner.Id, r.OriginatorAgencyId));
            Assert.Equal(await a.Links.CountAsync(l => own.Select(r => r.Id).Contains(l.RecordId)), await b.Links.CountAsync());
        }

        var again = Path.Combine(work.FullName, "again.json");
        Assert.Equal(0, (await Jisr.RunAsync("stix", "export", "--db", Db(target), "--agency", "ES-PART", "--out", again)).ExitCode);
        var second = JsonNode.Parse(await File.ReadAllTextAsync(again))!["objects"]!.AsArray();
        var byId = second.ToLookup(o => o!["id"]!.GetValue<string>());
        foreach (var item in JsonNode.Parse(await File.ReadAllTextAsync(bundle))!["objects"]!.AsArray())
        {
            Assert.Contains(byId[item!["id"]!.GetValue<string>()], o => JsonNode.DeepEquals(o, item));
        }

        Assert.StartsWith("OK ", (await Jisr.RunAsync("audit", "verify", "--db", Db(target))).Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Import_WithOneBadObject_WritesNothing_AndNamesTheObjectAndTheRule(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = Db(database);
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "ES-PART", "--name", "Partner", "--country", "ES")).ExitCode);
        var file = Path.Combine(Directory.CreateTempSubdirectory("jisr-stix-").FullName, "bad.json");
        var bundle = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "data", "stix", "examples", "cti-documentation", "apt1.json")))!.AsObject();
        var broken = bundle["objects"]![5]!.DeepClone().AsObject();
        var id = broken["id"]!.GetValue<string>();
        broken["modified"] = "2001-01-01T00:00:00.000Z"; // before its creation
        bundle["objects"]!.AsArray().RemoveAt(5);
        bundle["objects"]!.AsArray().Add(broken);
        await File.WriteAllTextAsync(file, bundle.ToJsonString());

        var result = await Jisr.RunAsync("stix", "import", "--db", db, "--agency", "ES-PART", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.Error.Split('\n'), l => l.StartsWith($"{id}: timestamp-order: ", StringComparison.Ordinal));
        await using var context = database.Open();
        Assert.Equal(0, await context.StixObjects.CountAsync());
        Assert.Equal(0, await context.Records.CountAsync());
        Assert.Equal(0, await context.Entities.CountAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ReImport_OfTheSameObjects_ChangesNothing_ANewerVersionJoinsTheSameEntity_AnOlderOneIsIgnored(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = Db(database);
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "ES-PART", "--name", "Partner", "--country", "ES")).ExitCode);
        var folder = Directory.CreateTempSubdirectory("jisr-stix-").FullName;
        var original = Path.Combine(AppContext.BaseDirectory, "data", "stix", "examples", "cti-documentation", "apt1.json");
        string[] import = ["stix", "import", "--db", db, "--agency", "ES-PART"];

        var first = await Jisr.RunAsync([.. import, original]);
        Assert.True(first.ExitCode == 0, first.Error);
        var before = await CountsAsync(database);
        var again = await Jisr.RunAsync([.. import, original]);
        var afterAgain = await CountsAsync(database);

        // A newer version of an object that became an entity, in a bundle of its own.
        (string StixId, string Json, Guid Entity) mapped;
        await using (var context = database.Open())
        {
            var row = await context.StixObjects.Where(o => o.EntityId != null).OrderBy(o => o.Sequence).FirstAsync();
            mapped = (row.StixId, row.Json, row.EntityId!.Value.Value);
        }

        var newer = JsonNode.Parse(mapped.Json)!.AsObject();
        newer["modified"] = "2030-01-01T00:00:00.000Z";
        newer["description"] = "the sender revised this object";
        var newerFile = Path.Combine(folder, "newer.json");
        await File.WriteAllTextAsync(newerFile, new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid():D}", ["objects"] = new JsonArray(newer) }.ToJsonString());
        var revised = await Jisr.RunAsync([.. import, newerFile]);
        var afterNewer = await CountsAsync(database);
        var older = await Jisr.RunAsync([.. import, original]);
        var afterOlder = await CountsAsync(database);

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("already held (unchanged)", again.Output, StringComparison.Ordinal);
        Assert.Equal(before, afterAgain);
        Assert.True(revised.ExitCode == 0, revised.Error);
        Assert.Equal(before with { Objects = before.Objects + 1 }, afterNewer);
        await using (var context = database.Open())
        {
            var versions = await context.StixObjects.Where(o => o.StixId == mapped.StixId).OrderBy(o => o.Sequence).ToListAsync();
            Assert.Equal(2, versions.Count);
            Assert.Equal("2030-01-01T00:00:00.000Z", versions[1].Modified);
            Assert.All(versions, v => Assert.Equal(mapped.Entity, v.EntityId!.Value.Value));
        }

        Assert.True(older.ExitCode == 0, older.Error);
        Assert.Equal(afterNewer, afterOlder);
    }

    private sealed record Counts(int Objects, int Records, int Entities);

    private static async Task<Counts> CountsAsync(TestDatabase database)
    {
        await using var context = database.Open();
        return new Counts(await context.StixObjects.CountAsync(), await context.Records.CountAsync(), await context.Entities.CountAsync());
    }

    [Fact]
    public async Task Import_OfAFileOverTheLimit_IsRefusedWithTheLimit()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var db = Db(database);
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "ES-PART", "--name", "Partner", "--country", "ES")).ExitCode);
        var file = Path.Combine(AppContext.BaseDirectory, "data", "stix", "examples", "cti-documentation", "poisonivy.json");

        var result = await Jisr.RunAsync("stix", "import", "--db", db, "--agency", "ES-PART", "--max-bytes", "1000", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("over the limit of 1,000", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MispImport_OfASampleEvent_MakesOneRecord_AndANonEventIsRefusedWithNothingWritten()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var db = Db(database);
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "ES-PART", "--name", "Partner", "--country", "ES")).ExitCode);
        var samples = Path.Combine(AppContext.BaseDirectory, "data", "misp", "events", "pymisp-tests");

        var imported = await Jisr.RunAsync("misp", "import", "--db", db, "--agency", "ES-PART", Path.Combine(samples, "mispevent_testfiles", "existing_event.json"));
        var refused = await Jisr.RunAsync("misp", "import", "--db", db, "--agency", "ES-PART", Path.Combine(samples, "sharing_groups.json"));

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.StartsWith("OK imported 174 objects: 1 records", imported.Output, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("not a MISP event", refused.Error, StringComparison.Ordinal);
        await using var context = database.Open();
        var record = await context.Records.SingleAsync();
        Assert.Equal(Domain.Markings.Tlp.Clear, record.Marking.Tlp); // tlp:white
        Assert.Equal(174, await context.StixObjects.CountAsync());
    }
}
