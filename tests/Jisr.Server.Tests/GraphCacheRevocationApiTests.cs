using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Server.Application.Fusion;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Server.Tests;

/// <summary>
/// The graph cache never outlives a revocation: a partner's analyst, whose whole-graph answers (cells, brokers,
/// components, the JSON export) are cached and served again from the cache, stops seeing a released copy's entities
/// in the very next answer once the agreement is suspended, and their own SECRET record's entities once their
/// clearance is lowered. On both engines.
/// </summary>
public sealed class GraphCacheRevocationApiTests
{
    private const string Purpose = "case 2026/245";

    private static async Task<JsonNode> GetAsync(TestUser user, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Jisr-Purpose", Purpose);
        var response = await user.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>The entity ids each whole-graph answer holds, by answer.</summary>
    private static async Task<Dictionary<string, HashSet<Guid>>> SeenAsync(TestUser user)
    {
        static HashSet<Guid> Ids(IEnumerable<JsonNode?> nodes, Func<JsonNode, JsonNode> id) => [.. nodes.Select(n => id(n!).GetValue<Guid>())];
        var cells = await GetAsync(user, "/api/v1/graph/cells?minSize=2");
        var brokers = await GetAsync(user, "/api/v1/graph/brokers?top=100");
        var components = await GetAsync(user, "/api/v1/graph/components?minSize=1&top=1000");
        var export = await GetAsync(user, "/api/v1/graph/export?format=json");
        return new()
        {
            ["cells"] = Ids(cells["cells"]!.AsArray().SelectMany(c => c!["nodes"]!.AsArray()), n => n["entity"]!["id"]!),
            ["brokers"] = Ids(brokers.AsArray(), b => b["entity"]!["id"]!),
            ["components"] = Ids(components["components"]!.AsArray().SelectMany(c => c!["nodes"]!.AsArray()), n => n["entity"]!["id"]!),
            ["export"] = Ids(export["nodes"]!.AsArray(), n => n["id"]!),
        };
    }

    private static Guid PersonOf(JsonObject record) =>
        record["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SuspendingTheAgreement_OrLoweringTheClearance_HidesEntitiesFromTheNextWholeGraphAnswer(string provider)
    {
        await using var node = await TestNode.StartAsync(provider);
        var cache = node.App.Services.GetRequiredService<GraphCache>();
        var w = await SharingWorld.CreateAsync(node);
        var agreement = await w.AgreementAsync(w.AdminA, w.AdminB);
        var original = await SharingWorld.CreateRecordAsync(w.AnalystA, "rev" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(HttpStatusCode.Created, (await SharingWorld.ReleaseAsync(w.AnalystA, original["id"]!.GetValue<Guid>(), w.B.Code)).Status);
        var released = PersonOf(original);
        var secret = PersonOf(await SharingWorld.CreateRecordAsync(w.AnalystB, "rev" + Guid.NewGuid().ToString("N")[..8], classification: "SECRET"));
        var open = PersonOf(await SharingWorld.CreateRecordAsync(w.AnalystB, "rev" + Guid.NewGuid().ToString("N")[..8]));

        // Asked twice: the second time from the cache.
        var before = await SeenAsync(w.AnalystB);
        var hits = cache.Hits;
        Assert.Equal(before, await SeenAsync(w.AnalystB));
        Assert.True(cache.Hits >= hits + 4, $"{cache.Hits - hits} cache hits of 4 answers");
        foreach (var (answer, ids) in before)
        {
            Assert.True(ids.IsSupersetOf([released, secret, open]), $"{answer} before: {ids.Count} entities");
        }

        var suspended = await SharingWorld.PostAsync(w.AdminA, $"/api/v1/agreements/{agreement}/suspend", new { reason = "review of the partnership" });
        Assert.Equal(HttpStatusCode.OK, suspended.Status);
        foreach (var (answer, ids) in await SeenAsync(w.AnalystB))
        {
            Assert.False(ids.Contains(released), $"{answer}: the copy's person after the agreement was suspended");
            Assert.True(ids.IsSupersetOf([secret, open]), $"{answer} after the suspension");
        }

        var lowered = await w.AdminB.Client.PutAsJsonAsync($"/api/v1/users/{w.AnalystB.Id}/access", new { roles = new[] { "analyst" }, clearance = "RESTRICTED" });
        Assert.Equal(HttpStatusCode.OK, lowered.StatusCode);
        foreach (var (answer, ids) in await SeenAsync(w.AnalystB))
        {
            Assert.False(ids.Contains(secret), $"{answer}: the SECRET record's person after the clearance was lowered");
            Assert.False(ids.Contains(released), $"{answer}: the copy's person");
            Assert.Contains(open, ids);
        }
    }
}
