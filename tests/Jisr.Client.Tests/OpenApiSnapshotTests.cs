using System.Text.Json.Nodes;
using Jisr.Testing;

namespace Jisr.Client.Tests;

/// <summary>
/// docs/openapi/v1.json is the description partners build clients from (and this project's client is generated
/// from): it must be exactly what a node serves.
/// </summary>
public sealed class OpenApiSnapshotTests
{
    private const string Regenerate = "dotnet run --project src/Jisr.Cli -c Release -- openapi --out docs/openapi/v1.json";

    [Fact]
    public async Task TheCommittedDescription_IsWhatTheNodeServes()
    {
        await using var node = await TestNode.StartAsync();
        var served = JsonNode.Parse(await node.CreateClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(SnapshotPath()));

        Assert.True(
            JsonNode.DeepEquals(served, snapshot),
            $"The node's OpenAPI description differs from docs/openapi/v1.json, first at {FirstDifference(served, snapshot, "$")}. " +
            $"If the change is intended, regenerate it from the repository root with `{Regenerate}`, review the diff and commit it.");
    }

    /// <summary>The JSON path of the first place where the two documents differ, to point the reader at it.</summary>
    private static string FirstDifference(JsonNode? served, JsonNode? snapshot, string path)
    {
        switch (served, snapshot)
        {
            case (JsonObject a, JsonObject b):
                foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
                {
                    if (!JsonNode.DeepEquals(a[key], b[key]))
                    {
                        return FirstDifference(a[key], b[key], $"{path}['{key}']");
                    }
                }

                break;
            case (JsonArray a, JsonArray b) when a.Count == b.Count:
                for (var i = 0; i < a.Count; i++)
                {
                    if (!JsonNode.DeepEquals(a[i], b[i]))
                    {
                        return FirstDifference(a[i], b[i], $"{path}[{i}]");
                    }
                }

                break;
        }

        return $"{path} (served {served?.ToJsonString() ?? "nothing"}, snapshot {snapshot?.ToJsonString() ?? "nothing"})";
    }

    private static string SnapshotPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "docs", "openapi", "v1.json");
            if (File.Exists(Path.Combine(directory.FullName, "Jisr.sln")) && File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"docs/openapi/v1.json not found above {AppContext.BaseDirectory}; generate it with `{Regenerate}`");
    }
}
