using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>
/// <c>GET /api/v1/graph/components</c> on a node of its own: a TLP:RED record's person and its links are in the
/// recipient's components and in no count the colleague is shown; bad sizes and a missing purpose are problem details
/// naming the parameter; every answer is audited with its purpose.
/// </summary>
public sealed class GraphComponentsApiTests
{
    private const string Purpose = "case 2026/241";

    private static async Task<(HttpStatusCode Status, JsonObject? Body)> ComponentsAsync(TestUser user, string query, bool purpose = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/graph/components" + query);
        if (purpose)
        {
            request.Headers.Add("X-Jisr-Purpose", Purpose);
        }

        var response = await user.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonObject>());
    }

    [Fact]
    public async Task HiddenRecordsChangeNoComponent_AndBadInputNamesTheParameter()
    {
        await using var node = await TestNode.StartAsync("sqlite");
        var agency = await node.AddAgencyAsync("MA-GCO");
        var author = await node.AddUserAsync(agency, "author.gco", [Role.Analyst]);
        var recipient = await node.AddUserAsync(agency, "recipient.gco", [Role.Analyst]);
        var colleague = await node.AddUserAsync(agency, "colleague.gco", [Role.Analyst]);
        var open = RecordRequests.Valid(title: "open");
        var red = RecordRequests.Valid(title: "red");
        red["marking"]!["tlp"] = "RED";
        red["recipients"] = new JsonArray("recipient.gco");
        red["entities"]![0]!["names"] = new JsonArray("Samir Amrani");
        Assert.Equal(HttpStatusCode.Created, (await author.Client.PostAsJsonAsync("/api/v1/records", open)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await author.Client.PostAsJsonAsync("/api/v1/records", red)).StatusCode);

        var seen = await ComponentsAsync(recipient, "?minSize=1&top=1000");
        var shown = await ComponentsAsync(colleague, "?minSize=1&top=1000");

        Assert.Equal(HttpStatusCode.OK, seen.Status);
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        static List<string> Labels(JsonObject body) => [.. body["components"]!.AsArray().SelectMany(c => c!["nodes"]!.AsArray()).Select(n => n!["entity"]!["label"]!.GetValue<string>())];
        static int Sum(JsonObject body, string field) => body["components"]!.AsArray().Sum(c => c![field]!.GetValue<int>());
        Assert.Contains("Samir Amrani", Labels(seen.Body!));
        Assert.DoesNotContain("Samir Amrani", Labels(shown.Body!));
        Assert.True(Sum(seen.Body!, "size") > Sum(shown.Body!, "size") && Sum(seen.Body!, "linkCount") > Sum(shown.Body!, "linkCount"));
        Assert.Equal(shown.Body!["total"]!.GetValue<int>(), shown.Body["components"]!.AsArray().Count);

        foreach (var (query, field) in new[] { ("?minSize=0", "minSize"), ("?minSize=5001", "minSize"), ("?top=0", "top"), ("?top=1001", "top") })
        {
            var bad = await ComponentsAsync(colleague, query);
            Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
            Assert.True(bad.Body!["errors"]!.AsObject().ContainsKey(field), $"{query}: {bad.Body.ToJsonString()}");
        }

        var unexplained = await ComponentsAsync(colleague, "", purpose: false);
        Assert.Equal(HttpStatusCode.BadRequest, unexplained.Status);

        await using var db = node.Database.Open();
        Assert.Equal(2, db.AuditLog.Count(e => e.Action == "graph.components" && e.Purpose == Purpose && e.Outcome == "success"));
    }
}
