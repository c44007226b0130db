using System.Text.Json.Nodes;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary>A newer version of a STIX object (same id, later <c>modified</c>) revises the record or entity it became, in place.</summary>
public sealed class StixRevisionCommandTests
{
    private const string ReportId = "report--e33ffe07-2f4c-48d8-b0af-ee2619d765cf";
    private const string PersonId = "identity--a9119a87-6576-46af-bfd7-4fbe55926671";

    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    private static string Db(TestDatabase database) =>
        database.Location.Provider == Storage.DatabaseProvider.Sqlite ? $"sqlite:{database.Location.Target}" : $"postgres:{database.Location.Target}";

    private static string Apt1 => Path.Combine(AppContext.BaseDirectory, "data", "stix", "examples", "cti-documentation", "apt1.json");

    private static async Task<string> BundleAsync(params JsonObject[] objects)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("jisr-stix-").FullName, "bundle.json");
        await File.WriteAllTextAsync(file, new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid():D}", ["objects"] = new JsonArray([.. objects]) }.ToJsonString());
        return file;
    }

    private static JsonObject Version(JsonObject item, string modified, params (string Name, string Value)[] changes)
    {
        var copy = item.DeepClone().AsObject();
        copy["modified"] = modified;
        foreach (var (name, value) in changes)
        {
            copy[name] = value;
        }

        return copy;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ANewerVersion_OfAHeldReportAndPerson_RevisesTheRecordAndTheEntity_NotASecondOne_AndAnOlderOneChangesNothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = Db(database);
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "ES-PART", "--name", "Partner", "--country", "ES")).ExitCode);
        string[] import = ["stix", "import", "--db", db, "--agency", "ES-PART"];
        Assert.Equal(0, (await Jisr.RunAsync([.. import, Apt1])).ExitCode);
        var objects = JsonNode.Parse(await File.ReadAllTextAsync(Apt1))!["objects"]!.AsArray().Select(o => o!.AsObject()).ToDictionary(o => o["id"]!.GetValue<string>());
        (Guid Record, Guid Person, int Mentions, int Records, int Entities, int Objects) before;
        await using (var context = database.Open())
        {
            var record = (await context.StixObjects.SingleAsync(o => o.StixId == ReportId)).RecordId!.Value;
            before = (
                record.Value,
                (await context.StixObjects.SingleAsync(o => o.StixId == PersonId)).EntityId!.Value.Value,
                await context.Mentions.CountAsync(m => m.RecordId == record),
                await context.Records.CountAsync(),
                await context.Entities.CountAsync(),
                await context.StixObjects.CountAsync());
        }

        var revised = await Jisr.RunAsync([.. import, await BundleAsync(
            Version(objects[ReportId], "2030-01-01T00:00:00.000Z", ("name", "APT1 (revised)"), ("description", "The sender revised this report.")),
            Version(objects[PersonId], "2030-01-01T00:00:00.000Z", ("name", "Jack Wang")))]);
        var older = await Jisr.RunAsync([.. import, await BundleAsync(Version(objects[ReportId], "2020-01-01T00:00:00.000Z", ("name", "APT1 (an older version)")))]);

        Assert.True(revised.ExitCode == 0, revised.Error);
        Assert.Contains("2 held records or entities revised", revised.Output, StringComparison.Ordinal);
        Assert.True(older.ExitCode == 0, older.Error);
        Assert.Contains("1 already held (unchanged)", older.Output, StringComparison.Ordinal);
        await using (var context = database.Open())
        {
            Assert.Equal(before.Records, await context.Records.CountAsync());
            Assert.Equal(before.Entities, await context.Entities.CountAsync());
            Assert.Equal(before.Objects + 2, await context.StixObjects.CountAsync());
            var record = await context.Records.SingleAsync(r => r.Id == Domain.Common.RecordId.From(before.Record));
            Assert.Equal("APT1 (revised)", record.Title);
            Assert.Equal("The sender revised this report.", record.Body);
            Assert.Equal(before.Mentions, await context.Mentions.CountAsync(m => m.RecordId == record.Id));
            var person = await context.Entities.SingleAsync(e => e.Id == Domain.Common.EntityId.From(before.Person));
            Assert.Equal("Jack Wang", person.Label);
            Assert.All(await context.StixObjects.Where(o => o.StixId == ReportId).ToListAsync(), o => Assert.Equal(before.Record, o.RecordId!.Value.Value));
            Assert.All(await context.StixObjects.Where(o => o.StixId == PersonId).ToListAsync(), o => Assert.Equal(before.Person, o.EntityId!.Value.Value));
            Assert.Contains(await context.AuditLog.Where(a => a.Action == "record.update").Select(a => a.Detail).ToListAsync(), d => d == $"revised by STIX {ReportId} version 2030-01-01T00:00:00.000Z");
        }

        Assert.StartsWith("OK ", (await Jisr.RunAsync("audit", "verify", "--db", db)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versions_InOneBundle_InAnyOrder_MakeOneRecordAndOneEntityEach_FromTheNewestVersion()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var db = Db(database);
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "ES-PART", "--name", "Partner", "--country", "ES")).ExitCode);
        JsonObject Person(string id, string name, string modified) => new()
        {
            ["type"] = "identity", ["spec_version"] = "2.1", ["id"] = id, ["created"] = "2020-01-01T00:00:00.000Z", ["modified"] = modified,
            ["name"] = name, ["identity_class"] = "individual",
        };
        var a = $"identity--{Guid.NewGuid():D}";
        var b = $"identity--{Guid.NewGuid():D}";
        var report = new JsonObject
        {
            ["type"] = "report", ["spec_version"] = "2.1", ["id"] = $"report--{Guid.NewGuid():D}", ["created"] = "2020-01-01T00:00:00.000Z",
            ["modified"] = "2020-01-01T00:00:00.000Z", ["name"] = "first title", ["published"] = "2020-01-01T00:00:00.000Z", ["object_refs"] = new JsonArray(a, b),
        };

        var result = await Jisr.RunAsync("stix", "import", "--db", db, "--agency", "ES-PART", await BundleAsync(
            Person(a, "Newest A", "2021-01-01T00:00:00.000Z"),
            Person(a, "Oldest A", "2020-01-01T00:00:00.000Z"),
            Version(report, "2022-01-01T00:00:00.000Z", ("name", "newest title")),
            Person(b, "Oldest B", "2020-01-01T00:00:00.000Z"),
            report,
            Person(b, "Newest B", "2021-01-01T00:00:00.000Z")));

        Assert.True(result.ExitCode == 0, result.Error);
        await using var context = database.Open();
        Assert.Equal(["Newest A", "Newest B"], (await context.Entities.Select(e => e.Label).ToListAsync()).Order(StringComparer.Ordinal));
        var record = await context.Records.SingleAsync();
        Assert.Equal("newest title", record.Title);
        Assert.Equal(2, await context.Mentions.CountAsync(m => m.RecordId == record.Id));
        var rows = await context.StixObjects.ToListAsync();
        Assert.Equal(6, rows.Count);
        Assert.All(rows.Where(r => r.Type == "report"), r => Assert.Equal(record.Id, r.RecordId));
        Assert.All(rows.Where(r => r.Type == "identity"), r => Assert.NotNull(r.EntityId));
        Assert.Equal(2, rows.Where(r => r.EntityId is not null).Select(r => r.EntityId).Distinct().Count());
    }
}
