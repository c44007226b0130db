using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Exchange.Stix.Export;

namespace Jisr.Exchange.Tests;

/// <summary>The OASIS examples (material we did not write): every valid one imports and comes back out exactly; the invalid ones are refused.</summary>
public sealed partial class StixExampleImportTests
{
    /// <summary>cti-python-stix2's test data is one object store (its objects refer to each other across files): imported as one bundle.</summary>
    private const string PythonStore = "cti-python-stix2-v21-data/";

    public static TheoryData<string> ValidExamples()
    {
        var data = new TheoryData<string>();
        foreach (var (path, verdict) in StixTestData.Verdicts().OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (verdict == "True" && !path.StartsWith(PythonStore, StringComparison.Ordinal))
            {
                data.Add(path);
            }
        }

        data.Add(PythonStore);
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidExamples))]
    public async Task ValidExample_Imports_AndReexportGivesEveryObjectBackUnchanged(string example)
    {
        var objects = Load(example);
        var bundle = StixTestData.AsBundle([.. objects]);
        var (result, sink) = await MemorySink.ImportAsync(bundle);
        if (!result.Succeeded && result.Refusals.All(r => r.Rule == "reference"))
        {
            // The example refers to objects it does not carry: refused on its own, it imports into an agency that holds them.
            var held = new MemorySink();
            held.AlreadyHeld.UnionWith(result.Refusals.Select(r => ReferredTo().Match(r.Message).Groups[1].Value));
            (result, sink) = await MemorySink.ImportAsync(bundle, sink: held);
        }

        Assert.True(result.Succeeded, string.Join("\n", result.Refusals));
        Assert.Equal(objects.Count, result.Objects);

        var exported = await ExportAsync(sink);
        var byKey = exported.ToLookup(o => (o["id"]!.GetValue<string>(), o["modified"]?.GetValue<string>()));
        foreach (var original in objects)
        {
            var key = (original["id"]!.GetValue<string>(), original["modified"]?.GetValue<string>());
            Assert.Contains(byKey[key], o => JsonNode.DeepEquals(o, original));
        }
    }

    [Fact]
    public async Task InvalidExamples_AreRefused_NamingTheObjectAndTheRule()
    {
        foreach (var (path, verdict) in StixTestData.Verdicts().Where(v => v.Value != "True"))
        {
            var text = File.ReadAllText(Path.Combine(StixTestData.ExamplesRoot, path));
            var bundle = text.Contains("\"bundle\"", StringComparison.Ordinal) ? text : StixTestData.AsBundle(JsonNode.Parse(text)!);
            var (result, sink) = await MemorySink.ImportAsync(bundle);

            Assert.False(result.Succeeded, $"{path} ({verdict}) was accepted");
            Assert.All(result.Refusals, r => Assert.False(string.IsNullOrEmpty(r.Rule)));
        }
    }

    [Fact]
    public async Task Stix20BundleInTheStore_IsRefused_ForItsSpecVersion()
    {
        foreach (var file in PythonStoreFiles().Where(IsStix20))
        {
            var (result, _) = await MemorySink.ImportAsync(File.ReadAllText(file));

            Assert.False(result.Succeeded);
            Assert.Contains(result.Refusals, r => r.Message.Contains("spec_version", StringComparison.Ordinal));
        }
    }

    /// <summary>The store's files, but those that are STIX 2.0 bundles (objects without spec_version: Jisr reads 2.1).</summary>
    private static IEnumerable<string> PythonStoreFiles() =>
        Directory.EnumerateFiles(Path.Combine(StixTestData.ExamplesRoot, PythonStore), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    private static bool IsStix20(string file) => JsonNode.Parse(File.ReadAllText(file))!["spec_version"]?.GetValue<string>() == "2.0";

    [System.Text.RegularExpressions.GeneratedRegex(@"refers to (\S+),")]
    private static partial System.Text.RegularExpressions.Regex ReferredTo();

    private static List<JsonObject> Load(string example)
    {
        if (example == PythonStore)
        {
            return [.. PythonStoreFiles().Where(f => !IsStix20(f)).SelectMany(StixTestData.ObjectsOf)];
        }

        return [.. StixTestData.ObjectsOf(Path.Combine(StixTestData.ExamplesRoot, example))];
    }

    private static async Task<List<JsonObject>> ExportAsync(MemorySink sink)
    {
        var agency = Domain.Agencies.Agency.Create("XX-TEST", "Test agency", "MA", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var received = sink.Objects.Where(o => o.RecordId is not null || o.EntityId is not null)
            .GroupBy(o => o.RecordId?.Value ?? o.EntityId!.Value.Value)
            .ToDictionary(g => g.Key, g => g.First().StixId);
        using var output = new MemoryStream();
        await StixAgencyExport.WriteAsync(output, new StixExportInput(agency, sink.Records, sink.Entities.ToDictionary(e => e.Id), received, sink.Objects.ToAsyncEnumerable()), CancellationToken.None);
        return [.. JsonNode.Parse(output.ToArray())!["objects"]!.AsArray().Select(o => o!.AsObject())];
    }
}
