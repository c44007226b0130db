using System.Reflection;
using Json.Schema;

namespace Jisr.Exchange.Stix.Validation;

/// <summary>
/// The OASIS STIX 2.1 JSON Schemas (embedded from <c>Stix/Schemas</c>), loaded once with their $ids so the $refs resolve.
/// Each object is checked against the schema of its type, or core.json / cyber-observable-core.json for custom types,
/// as the OASIS validator does (bundle.json's own list of types lacks location, note, grouping... so it is not used).
/// </summary>
public static class StixSchemaSet
{
    private const string Base = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/";
    private const string Prefix = "stix-schemas/";

    private static readonly Lazy<Dictionary<string, string>> Texts = new(ReadTexts);
    private static readonly Lazy<Dictionary<string, CompiledSchema>> Compiled = new(() => CompiledSchema.CompileAll(Texts.Value, new Uri(Base)));

    /// <summary>
    /// JsonSchema.Net's options live apart: creating one runs that library's start-up (its meta-schemas, ~570 methods to
    /// compile), which a bundle whose objects all conform never needs (a fixed cost of every <c>jisr stix import</c>).
    /// </summary>
    private static class Reference
    {
        public static readonly EvaluationOptions Fast = new() { OutputFormat = OutputFormat.Flag };
        public static readonly EvaluationOptions Detailed = new() { OutputFormat = OutputFormat.List };

        public static readonly Lazy<Dictionary<string, JsonSchema>> Loaded = new(Load);

        private static Dictionary<string, JsonSchema> Load()
        {
            var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
            var byPath = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
            foreach (var (relative, original) in Texts.Value)
            {
                var text = relative == "common/properties.json" ? WithoutFailingBranches(original) : original;
                byPath[relative] = JsonSchema.FromText(text, options, new Uri(Base + relative));
            }

            return byPath;
        }
    }

    /// <summary>The schema path for a type ("identity" → sdos/identity.json); custom types use the core schemas.</summary>
    public static string PathFor(string type, bool isObservable)
    {
        foreach (var folder in new[] { "sdos", "sros", "observables" })
        {
            var path = $"{folder}/{type}.json";
            if (Texts.Value.ContainsKey(path))
            {
                return path;
            }
        }

        if (type is "marking-definition" or "language-content" or "extension-definition" or "bundle")
        {
            return $"common/{type}.json";
        }

        return isObservable ? "common/cyber-observable-core.json" : "common/core.json";
    }

    /// <summary>
    /// Schema violations of one object, empty when it conforms (at most a few, the first first). The verdict is the
    /// compiled schemas' (<see cref="CompiledSchema"/>); JsonSchema.Net spells out what is wrong when it does not conform.
    /// </summary>
    public static IReadOnlyList<string> Validate(JsonElement instance, string schemaPath)
    {
        if (Compiled.Value[schemaPath].Holds(instance))
        {
            return [];
        }

        return Messages(instance, schemaPath);
    }

    /// <summary>What is wrong, in JsonSchema.Net's words; a method apart so that compiling <see cref="Validate"/> loads nothing of that library.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static List<string> Messages(JsonElement instance, string schemaPath)
    {
        var results = Reference.Loaded.Value[schemaPath].Evaluate(instance, Reference.Detailed);
        var errors = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value}"))
            .Distinct(StringComparer.Ordinal)
            .Take(3)
            .ToList();
        return errors.Count > 0 ? errors : [$"does not conform to {schemaPath}"];
    }

    /// <summary>
    /// properties.json says a property's value is <c>anyOf</c> [non-empty array, string, integer, boolean, number,
    /// object]: every string value first fails the array branch, and JsonSchema.Net builds (with reflection) an error
    /// message for each such failure, the costliest part of validating an object. The same rule as one keyword pair:
    /// <c>type</c> one of those six, and <c>minItems</c> 1 (which applies to arrays only).
    /// </summary>
    internal static string WithoutFailingBranches(string propertiesJson)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(propertiesJson)!.AsObject();
        var patterns = root["patternProperties"]!.AsObject();
        foreach (var (pattern, rule) in patterns.ToList())
        {
            if (rule is System.Text.Json.Nodes.JsonObject { Count: 1 } only && only["anyOf"] is System.Text.Json.Nodes.JsonArray anyOf
                && anyOf.ToJsonString() == """[{"type":"array","minItems":1},{"type":"string"},{"type":"integer"},{"type":"boolean"},{"type":"number"},{"type":"object"}]""")
            {
                patterns[pattern] = new System.Text.Json.Nodes.JsonObject
                {
                    ["type"] = new System.Text.Json.Nodes.JsonArray("array", "string", "integer", "boolean", "number", "object"),
                    ["minItems"] = 1,
                };
                return root.ToJsonString();
            }
        }

        throw new InvalidOperationException("common/properties.json is not the OASIS schema expected");
    }

    /// <summary>The verdict of JsonSchema.Net alone, a general evaluator the compiled schemas are tested against.</summary>
    internal static bool HoldsByReference(JsonElement instance, string schemaPath) => Reference.Loaded.Value[schemaPath].Evaluate(instance, Reference.Fast).IsValid;

    /// <summary>The verdict of the compiled schemas alone.</summary>
    internal static bool HoldsCompiled(JsonElement instance, string schemaPath) => Compiled.Value[schemaPath].Holds(instance);

    /// <summary>Every schema's path (relative to the schemas folder).</summary>
    internal static IReadOnlyCollection<string> Paths => Texts.Value.Keys;

    private static Dictionary<string, string> ReadTexts()
    {
        var assembly = typeof(StixSchemaSet).Assembly;
        var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"missing resource {name}");
            using var reader = new StreamReader(stream);
            byPath[name[Prefix.Length..].Replace('\\', '/')] = reader.ReadToEnd();
        }

        return byPath;
    }
}
