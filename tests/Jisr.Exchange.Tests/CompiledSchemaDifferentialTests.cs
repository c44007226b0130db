using System.Text.Json;
using System.Text.Json.Nodes;
using Jisr.Exchange.Stix.Validation;

namespace Jisr.Exchange.Tests;

/// <summary>
/// The import's schema verdicts come from <see cref="CompiledSchema"/>, a validator compiled from the OASIS schemas for
/// speed. These tests run it and JsonSchema.Net (a general JSON Schema 2020-12 evaluator) over every OASIS example,
/// every validator case and thousands of objects made from them by breaking one property at a time, against every
/// schema of the set, and demand the same verdict each time: a keyword the compiled one got wrong shows up here.
/// </summary>
public sealed class CompiledSchemaDifferentialTests
{
    /// <summary>Values a mutation puts in place of a property or item: every JSON type, edges of the schemas' ranges and patterns.</summary>
    private static readonly string[] Replacements =
    [
        "null", "0", "-1", "1.0", "1.5", "100", "101", "true", "\"\"", "\"x\"", "\"2.1\"", "\"2.0\"", "\"2016-04-06T20:03:00.000Z\"",
        "\"2016-04-06T20:03:00Z\"", "\"2016-13-06T20:03:00.000Z\"", "\"identity--311b2d2d-f010-4473-83ec-1edf84858f4c\"",
        "\"identity--311b2d2d-f010-0473-83ec-1edf84858f4c\"", "\"Identity--311b2d2d-f010-4473-83ec-1edf84858f4c\"", "\"\\u0661\\u0662\"", "\"2016-04-06T\\u0662\\u0660:03:00.000Z\"", "\"x-custom-type\"", "\"Action\"", "\"action\"", "1e2", "-0.5",
        "[]", "[\"x\"]", "[1]", "{}", "{\"a\": 1}", "{\"x_custom\": \"kept\"}", "\"deadbeef\"", "\"aGVsbG8=\"",
    ];

    /// <summary>Property names a mutation adds: custom ones (valid and not), reserved ones, the _hex/_bin suffixes.</summary>
    private static readonly string[] AddedNames = ["x_custom", "X_bad", "ab", "severity", "action", "thing_hex", "thing_bin", "id", "extensions", "a-b"];

    public static TheoryData<string> Sources()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(StixTestData.ExamplesRoot, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(StixTestData.Root, file));
        }

        data.Add("validator-cases");
        return data;
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void CompiledSchemas_GiveJsonSchemaNetsVerdict_OnOriginalsAndMutations(string source)
    {
        var originals = Originals(source);
        Assert.NotEmpty(originals);
        var random = new Random(source.Aggregate(17, (hash, c) => unchecked((hash * 31) + c)));
        var compared = 0;
        var invalidSeen = 0;
        foreach (var original in originals)
        {
            foreach (var instance in Mutations(original, random).Prepend(original))
            {
                using var document = JsonDocument.Parse(instance.ToJsonString());
                var element = document.RootElement;
                foreach (var path in SchemasFor(element, random))
                {
                    var reference = StixSchemaSet.HoldsByReference(element, path);
                    var compiled = StixSchemaSet.HoldsCompiled(element, path);
                    Assert.True(reference == compiled, $"{path}: JsonSchema.Net says {(reference ? "valid" : "invalid")}, the compiled schema {(compiled ? "valid" : "invalid")}, for {instance.ToJsonString()}");
                    compared++;
                    invalidSeen += reference ? 0 : 1;
                }
            }
        }

        // Both verdicts occur, or the comparison proves little.
        Assert.True(invalidSeen > 0 && invalidSeen < compared, $"{invalidSeen} of {compared} invalid");
    }

    [Fact]
    public void CompiledSchemas_CoverEverySchemaOfTheSet()
    {
        Assert.Equal(57, StixSchemaSet.Paths.Count);
        using var document = JsonDocument.Parse("{}");
        foreach (var path in StixSchemaSet.Paths)
        {
            Assert.Equal(StixSchemaSet.HoldsByReference(document.RootElement, path), StixSchemaSet.HoldsCompiled(document.RootElement, path));
        }
    }

    private static List<JsonNode> Originals(string source)
    {
        if (source != "validator-cases")
        {
            return [.. StixTestData.ObjectsOf(Path.Combine(StixTestData.Root, source))];
        }

        var cases = JsonNode.Parse(File.ReadAllText(Path.Combine(StixTestData.Root, "stix", "validator-cases.json")))!["cases"]!.AsArray();
        var objects = new List<JsonNode>();
        foreach (var instance in cases.Select(c => c!["instance"]).OfType<JsonObject>())
        {
            if (instance["type"]?.GetValue<string>() == "bundle" && instance["objects"] is JsonArray inner)
            {
                objects.AddRange(inner.OfType<JsonObject>());
            }
            else
            {
                objects.Add(instance);
            }
        }

        return objects;
    }

    /// <summary>The schema the import would use for the object, and a few others at random (any schema must agree on any instance).</summary>
    private static IEnumerable<string> SchemasFor(JsonElement element, Random random)
    {
        var paths = StixSchemaSet.Paths.Order(StringComparer.Ordinal).ToList();
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
        {
            yield return StixSchemaSet.PathFor(type.GetString()!, !element.TryGetProperty("created", out _));
        }

        yield return "common/core.json";
        yield return "common/cyber-observable-core.json";
        yield return paths[random.Next(paths.Count)];
    }

    /// <summary>Copies of the object with one change each: a node removed, replaced by another value, or a property added.</summary>
    private static IEnumerable<JsonNode> Mutations(JsonNode original, Random random)
    {
        var nodes = new List<JsonNode>();
        Collect(original, nodes, depth: 0);
        for (var i = 0; i < 60; i++)
        {
            var copy = original.DeepClone();
            var targets = new List<JsonNode>();
            Collect(copy, targets, depth: 0);
            var target = targets[random.Next(targets.Count)];
            switch (random.Next(4))
            {
                case 0 when target.Parent is JsonObject parent:
                    parent.Remove(target.GetPropertyName());
                    break;
                case 0 when target.Parent is JsonArray array:
                    array.Remove(target);
                    break;
                case 1 when target is JsonObject asObject:
                    var name = AddedNames[random.Next(AddedNames.Length)];
                    asObject[name] = JsonNode.Parse(Replacements[random.Next(Replacements.Length)]);
                    break;
                default:
                    var replacement = JsonNode.Parse(Replacements[random.Next(Replacements.Length)]);
                    if (target.Parent is JsonObject owner)
                    {
                        owner[target.GetPropertyName()] = replacement;
                    }
                    else if (target.Parent is JsonArray list)
                    {
                        list[list.IndexOf(target)] = replacement;
                    }
                    else
                    {
                        continue;
                    }

                    break;
            }

            yield return copy;
        }
    }

    private static void Collect(JsonNode? node, List<JsonNode> into, int depth)
    {
        if (node is null || depth > 5)
        {
            return;
        }

        into.Add(node);
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    Collect(child, into, depth + 1);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Collect(child, into, depth + 1);
                }

                break;
        }
    }
}
