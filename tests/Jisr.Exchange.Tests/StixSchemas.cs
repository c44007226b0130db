using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Jisr.Exchange.Tests;

/// <summary>The OASIS STIX 2.1 JSON Schemas (copied to tests/data/stix), loaded once with their $ids so the $refs resolve.</summary>
/// <remarks>
/// A bundle is checked as the OASIS validator does: the envelope against bundle.json, then each object against the
/// schema of its type, or core.json for custom objects. Validating whole bundles with bundle.json alone rejects valid
/// content: its list of object types lacks location, note, opinion, grouping and incident, and a custom SDO matches
/// both core.json and cyber-observable-core.json, which its "oneOf" forbids.
/// </remarks>
public static class StixSchemas
{
    /// <summary>Every schema violation in the bundle, empty when it is valid.</summary>
    public static IReadOnlyList<string> ValidateBundle(JsonObject bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var objects = bundle["objects"]?.AsArray() ?? [];
        var envelope = new JsonObject { ["type"] = bundle["type"]?.DeepClone(), ["id"] = bundle["id"]?.DeepClone(), ["objects"] = new JsonArray(new JsonObject { ["type"] = "x-envelope-check", ["id"] = "x-envelope-check--6ba7b810-9dad-41d1-80b4-00c04fd430c8", ["spec_version"] = "2.1" }) };
        var errors = new List<string>(Validate(envelope, "common/bundle.json"));
        if (objects.Count == 0)
        {
            errors.Add("/objects: a bundle needs at least one object");
        }

        for (var i = 0; i < objects.Count; i++)
        {
            var item = objects[i] ?? throw new InvalidOperationException($"objects[{i}] is null");
            var type = item["type"]?.GetValue<string>() ?? string.Empty;
            var path = PathFor(type) ?? (item["created"] is null ? "common/cyber-observable-core.json" : "common/core.json");
            errors.AddRange(Validate(item, path).Select(e => $"/objects/{i} ({type}){e}"));
        }

        return errors;
    }

    private const string Base = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/";

    private static readonly Lazy<(BuildOptions Options, Dictionary<string, JsonSchema> ByPath)> Loaded = new(Load);

    public static IReadOnlyList<string> Validate(JsonNode instance, string schemaPath)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var schema = Loaded.Value.ByPath[schemaPath];
        using var document = JsonDocument.Parse(instance.ToJsonString());
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
    }

    /// <summary>The schema STIX defines for a type ("identity" → sdos/identity.json), or null for custom types.</summary>
    public static string? PathFor(string type)
    {
        foreach (var folder in new[] { "sdos", "sros", "observables" })
        {
            var path = $"{folder}/{type}.json";
            if (Loaded.Value.ByPath.ContainsKey(path))
            {
                return path;
            }
        }

        return type is "marking-definition" or "language-content" or "extension-definition" ? $"common/{type}.json" : null;
    }

    private static (BuildOptions, Dictionary<string, JsonSchema>) Load()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "data", "stix", "schemas");
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var byPath = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var schema = JsonSchema.FromFile(file, options, new Uri(Base + relative));
            byPath[relative] = schema;
        }

        return (options, byPath);
    }
}
