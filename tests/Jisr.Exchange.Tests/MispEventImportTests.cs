using System.Text.Json.Nodes;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Exchange.Misp;
using Jisr.Exchange.Stix.Import;

namespace Jisr.Exchange.Tests;

/// <summary>MISP events through the STIX importer: every sample event imports, its tags become marking, grading and labels.</summary>
public sealed class MispEventImportTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string Folder = Path.Combine(StixTestData.Root, "misp", "events");

    /// <summary>Whether a file holds MISP events: {"Event": ...}, a bare event (with "info"), or a list of them.</summary>
    private static bool IsEvent(JsonNode? node) => node switch
    {
        JsonArray list => list.Count > 0 && list.All(IsEvent),
        JsonObject o => o["Event"] is JsonObject || o["info"] is JsonValue,
        _ => false,
    };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Folder, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task SampleFile_ImportsWhenItIsAnEvent_AndIsRefusedClearlyWhenItIsNot(string file)
    {
        var path = Path.Combine(Folder, file);
        if (!IsEvent(JsonNode.Parse(File.ReadAllText(path))))
        {
            using var notEvent = File.OpenRead(path);
            Assert.StartsWith("misp: ", Assert.Throws<MispFormatException>(() => MispEventConverter.ToStixBundle(notEvent, Now)).Message, StringComparison.Ordinal);
            return;
        }

        using var input = File.OpenRead(path);
        using var bundle = MispEventConverter.ToStixBundle(input, Now);
        var text = new StreamReader(bundle).ReadToEnd();
        var (result, sink) = await MemorySink.ImportAsync(text, new StixImportOptions { SourceKind = "misp" });

        Assert.True(result.Succeeded, string.Join("\n", result.Refusals));
        var events = JsonNode.Parse(File.ReadAllText(path)) is JsonArray list ? list.Count : 1;
        Assert.Equal(events, sink.Objects.Count(o => o.Type == "report"));
        Assert.All(sink.Objects, o => Assert.StartsWith("misp:", o.Source, StringComparison.Ordinal));
        foreach (var (item, report) in Events(path).Zip(sink.Objects.Where(o => o.Type == "report")))
        {
            var tags = (item["Tag"] as JsonArray ?? []).Select(t => t!["name"]!.GetValue<string>()).ToList();
            var record = sink.Records.Single(r => r.Id == report.RecordId);
            if (tags.Contains("tlp:white"))
            {
                Assert.Equal(Tlp.Clear, record.Marking.Tlp);
            }

            var labels = JsonNode.Parse(report.Json)!["labels"]?.AsArray().Select(l => l!.GetValue<string>()).ToList() ?? [];
            foreach (var cluster in (item["Galaxy"] as JsonArray ?? []).SelectMany(g => g!["GalaxyCluster"] as JsonArray ?? []))
            {
                Assert.Contains(cluster!["tag_name"]!.GetValue<string>(), labels);
            }
        }
    }

    [Fact]
    public async Task TlpAndAdmiraltyTags_BecomeMarkingAndGrading_PersonObjectBecomesAPerson()
    {
        var misp = new JsonObject
        {
            ["Event"] = new JsonObject
            {
                ["info"] = "Réseau de passeurs, Tanger",
                ["uuid"] = "5e8f1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
                ["date"] = "2026-03-02",
                ["timestamp"] = "1772442000",
                ["Orgc"] = new JsonObject { ["name"] = "Partner CERT", ["uuid"] = "6f9a2d3b-4c5e-4f60-9b1c-2d3e4f5a6b7c" },
                ["Tag"] = new JsonArray(
                    new JsonObject { ["name"] = "tlp:amber+strict" },
                    new JsonObject { ["name"] = "admiralty-scale:source-reliability=\"b\"" },
                    new JsonObject { ["name"] = "admiralty-scale:information-credibility=\"2\"" },
                    new JsonObject { ["name"] = "misp-galaxy:threat-actor=\"Strait network\"" }),
                ["Attribute"] = new JsonArray(
                    new JsonObject { ["type"] = "phone-number", ["value"] = "+212 661 234 567", ["uuid"] = "7a0b3e4c-5d6f-4a71-8c2d-3e4f5a6b7c8d", ["category"] = "Person" },
                    new JsonObject { ["type"] = "email-src", ["value"] = "passeur@example.org", ["uuid"] = "8b1c4f5d-6e7a-4b82-9d3e-4f5a6b7c8d9e" },
                    new JsonObject { ["type"] = "comment", ["value"] = "seen twice", ["uuid"] = "9c2d5a6e-7f8b-4c93-8e4f-5a6b7c8d9e0f" }),
                ["Object"] = new JsonArray(new JsonObject
                {
                    ["name"] = "person",
                    ["uuid"] = "0d3e6b7f-8a9c-4da4-9f5a-6b7c8d9e0f1a",
                    ["Attribute"] = new JsonArray(
                        new JsonObject { ["object_relation"] = "first-name", ["type"] = "first-name", ["value"] = "Youssef" },
                        new JsonObject { ["object_relation"] = "last-name", ["type"] = "last-name", ["value"] = "El Idrissi" },
                        new JsonObject { ["object_relation"] = "date-of-birth", ["type"] = "date-of-birth", ["value"] = "1987-03-14" },
                        new JsonObject { ["object_relation"] = "nationality", ["type"] = "nationality", ["value"] = "MA" }),
                }),
            },
        };
        using var bundle = MispEventConverter.ToStixBundle(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(misp.ToJsonString())), Now);
        var (result, sink) = await MemorySink.ImportAsync(new StreamReader(bundle).ReadToEnd(), new StixImportOptions { SourceKind = "misp" });

        Assert.True(result.Succeeded, string.Join("\n", result.Refusals));
        var record = Assert.Single(sink.Records);
        Assert.Equal(("Réseau de passeurs, Tanger", Tlp.AmberStrict, "B2"), (record.Title, record.Marking.Tlp, record.SourceGrading.ToString()));
        var person = Assert.Single(sink.Entities.OfType<Person>());
        Assert.Equal(("Youssef El Idrissi", "1987-03-14", "MA"), (person.Label, person.DateOfBirth?.ToString(), person.Nationalities.Single()));
        Assert.Single(sink.Entities.OfType<PhoneNumber>());
        Assert.Single(sink.Entities.OfType<EmailAddress>());
        Assert.Contains(sink.Entities.OfType<Organisation>(), o => o.Label == "Partner CERT");
        Assert.Contains("misp-galaxy:threat-actor=\"Strait network\"", JsonNode.Parse(sink.Objects.Single(o => o.Type == "report").Json)!["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Single(sink.Objects, o => o.Type == "x-misp-attribute");
        Assert.Equal(record.Mentions.Count, sink.Entities.Count);
    }

    private static IEnumerable<JsonObject> Events(string path) =>
        (JsonNode.Parse(File.ReadAllText(path)) is JsonArray list ? list.Select(e => e!) : [JsonNode.Parse(File.ReadAllText(path))!])
            .Select(e => e["Event"] as JsonObject ?? e.AsObject());
}
