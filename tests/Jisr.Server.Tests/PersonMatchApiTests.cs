using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Testing;

namespace Jisr.Server.Tests;

public sealed class PersonMatchApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static async Task<Guid> AddPersonAsync(TestUser user, params string[] names)
    {
        var request = RecordRequests.Valid();
        request["entities"] = new JsonArray(new JsonObject { ["ref"] = "p", ["type"] = "person", ["names"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) });
        request["links"] = new JsonArray();
        var response = await user.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["entities"]![0]!["id"]!.GetValue<Guid>();
    }

    private static async Task<HttpResponseMessage> MatchAsync(TestUser user, string name, string? purpose = "identity check, case 2026/77")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/persons/match?name={Uri.EscapeDataString(name)}&limit=5");
        if (purpose is not null)
        {
            request.Headers.Add("X-Jisr-Purpose", Uri.EscapeDataString(purpose));
        }

        return await user.Client.SendAsync(request);
    }

    [Fact]
    public async Task Match_FindsTheSamePersonAcrossScripts_WithAnExplanation()
    {
        var id = await AddPersonAsync(fixture.PoliceAnalyst, "محمد بن أحمد العلمي");

        var response = await MatchAsync(fixture.PoliceAnalyst, "MOHAMED EL ALAMI");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        var best = body!["items"]![0]!;
        Assert.Equal(id, best["person"]!["id"]!.GetValue<Guid>());
        Assert.True(best["score"]!.GetValue<double>() > 0.8);
        Assert.Equal("محمد بن أحمد العلمي", best["matchedName"]!.GetValue<string>());
        Assert.NotEmpty(best["parts"]!.AsArray());
        Assert.Contains("parts match", best["explanation"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_NeverReturnsAnotherAgencysPerson()
    {
        var foreign = await AddPersonAsync(fixture.IntelligenceAnalyst, "Noureddine Hammouchi", "نور الدين حموشي");

        var response = await MatchAsync(fixture.PoliceAnalyst, "Nour Eddine Hamouchi");
        var own = await MatchAsync(fixture.IntelligenceAnalyst, "Nour Eddine Hamouchi");

        var items = (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray();
        Assert.DoesNotContain(items, i => i!["person"]!["id"]!.GetValue<Guid>() == foreign);
        var ownItems = (await own.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray();
        Assert.Equal(foreign, ownItems[0]!["person"]!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Match_WithoutPurpose_IsRefused_AndWithoutName_Names_TheField()
    {
        var noPurpose = await MatchAsync(fixture.PoliceAnalyst, "Youssef", purpose: null);
        var noName = await MatchAsync(fixture.PoliceAnalyst, "  ");

        Assert.Equal(HttpStatusCode.BadRequest, noPurpose.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.True((await noName.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("name"));
    }

    [Fact]
    public async Task Match_IsAuditedWithItsPurpose()
    {
        await MatchAsync(fixture.PoliceAnalyst, "Khadija Cherkaoui", "vérification d'identité 2026/91");

        await using var db = fixture.Node.Database.Open();
        Assert.Contains(db.AuditLog.Where(e => e.Action == "person.match").Select(e => e.Purpose).ToList(), p => p == "vérification d'identité 2026/91");
    }
}
