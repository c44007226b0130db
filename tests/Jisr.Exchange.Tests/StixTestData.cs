using System.Text.Json.Nodes;

namespace Jisr.Exchange.Tests;

/// <summary>The shared STIX material copied to tests/data (see its README): examples, validator cases, patterns, MISP events.</summary>
internal static class StixTestData
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "data");

    public static string ExamplesRoot => Path.Combine(Root, "stix", "examples");

    /// <summary>A valid STIX 2.1 identity of 2024-01-01.</summary>
    public static JsonObject Identity(string id, string name, string identityClass = "organization") => new()
    {
        ["type"] = "identity",
        ["spec_version"] = "2.1",
        ["id"] = id,
        ["created"] = "2024-01-01T00:00:00.000Z",
        ["modified"] = "2024-01-01T00:00:00.000Z",
        ["name"] = name,
        ["identity_class"] = identityClass,
    };

    /// <summary>A file as a bundle: bundles as they are, a single object wrapped (as the OASIS validator reads one).</summary>
    public static string AsBundle(params JsonNode[] objects) => new JsonObject
    {
        ["type"] = "bundle",
        ["id"] = $"bundle--{Guid.NewGuid():D}",
        ["objects"] = new JsonArray([.. objects.Select(o => o.DeepClone())]),
    }.ToJsonString();

    public static IReadOnlyList<JsonObject> ObjectsOf(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        return node["type"]?.GetValue<string>() == "bundle" ? [.. node["objects"]!.AsArray().Select(o => o!.AsObject())] : [node.AsObject()];
    }

    /// <summary>The OASIS validator's verdict for each example, by path under examples/ (True, False or None).</summary>
    public static IReadOnlyDictionary<string, string> Verdicts() =>
        File.ReadLines(Path.Combine(ExamplesRoot, "VALIDATION.tsv")).Skip(1)
            .Select(l => l.Split('\t'))
            .Where(c => c[0].StartsWith("stix/examples/", StringComparison.Ordinal))
            .ToDictionary(c => c[0]["stix/examples/".Length..], c => c[1], StringComparer.Ordinal);
}
