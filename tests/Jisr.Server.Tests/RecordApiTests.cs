using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jisr.Testing;

namespace Jisr.Server.Tests;

public sealed class RecordApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static async Task<JsonObject> CreateAsync(HttpClient client, JsonObject request)
    {
        var response = await client.PostAsJsonAsync("/api/v1/records", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    [Fact]
    public async Task Create_ThenGet_ReturnsRecordWithEntitiesAndLinks()
    {
        var created = await CreateAsync(fixture.PoliceAnalyst.Client, RecordRequests.Valid());
        var id = created["id"]!.GetValue<Guid>();

        var record = await fixture.PoliceAnalyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{id}");

        Assert.Equal("Réunion observée au port de Tanger", record!["title"]!.GetValue<string>());
        Assert.Equal("MA-POL", record["originator"]!["code"]!.GetValue<string>());
        Assert.Equal("H1", record["marking"]!["handling"]!.GetValue<string>());
        Assert.True(record["marking"]!["notForJudicialUseWithoutConsent"]!.GetValue<bool>());
        var entities = record["entities"]!.AsArray();
        Assert.Equal(2, entities.Count);
        var person = entities.Single(e => e!["type"]!.GetValue<string>() == "person")!;
        Assert.Equal("يوسف الإدريسي", person["names"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("arabic", person["names"]![0]!["script"]!.GetValue<string>());
        var phone = entities.Single(e => e!["type"]!.GetValue<string>() == "phone")!;
        Assert.Equal("+212661234567", phone["key"]!.GetValue<string>());
        var link = record["links"]!.AsArray().Single()!;
        Assert.Equal("owns", link["type"]!.GetValue<string>());
        Assert.Equal(person["id"]!.GetValue<Guid>(), link["from"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Get_WhenRecordBelongsToAnotherAgency_AnswersNotFoundLikeAMissingOne()
    {
        var created = await CreateAsync(fixture.PoliceAnalyst.Client, RecordRequests.Valid());
        var id = created["id"]!.GetValue<Guid>();

        var foreign = await fixture.IntelligenceAnalyst.Client.GetAsync($"/api/v1/records/{id}");
        var missing = await fixture.IntelligenceAnalyst.Client.GetAsync($"/api/v1/records/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType?.MediaType);
        var foreignProblem = await foreign.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(404, foreignProblem!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Get_WhenRecordIsAboveCallersClearance_AnswersNotFound()
    {
        var created = await CreateAsync(fixture.PoliceAnalyst.Client, RecordRequests.Valid(classification: "SECRET"));
        var id = created["id"]!.GetValue<Guid>();

        var response = await fixture.PoliceRestrictedAnalyst.Client.GetAsync($"/api/v1/records/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task List_ReturnsOnlyOwnAgencyRecords_WithCursorPaging()
    {
        var marker = "list-" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < 5; i++)
        {
            await CreateAsync(fixture.IntelligenceAnalyst.Client, RecordRequests.Valid(title: $"{marker} {i}"));
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await fixture.IntelligenceAnalyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            Assert.True(page!.ContainsKey("next"));
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()));
            Assert.All(page["items"]!.AsArray(), i => Assert.Equal("MA-INT", i!["originator"]!["code"]!.GetValue<string>()));
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal([$"{marker} 4", $"{marker} 3", $"{marker} 2", $"{marker} 1", $"{marker} 0"], seen.Where(t => t.StartsWith(marker, StringComparison.Ordinal)));
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Search_WithoutPurpose_IsRefusedWith400()
    {
        var response = await fixture.PoliceAnalyst.Client.GetAsync("/api/v1/records/search?q=tanger");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("X-Jisr-Purpose", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("مُحَمَّد", "محمد")] // vowel marks in the query
    [InlineData("أحمد", "احمد")] // alef with hamza vs bare alef
    [InlineData("مدرسة", "مدرسه")] // ta marbuta vs heh
    [InlineData("عـــلي", "علي")] // tatweel
    [InlineData("ÉLÈVE", "eleve")] // Latin accents and case
    public async Task Search_FoldsArabicAndLatinVariants(string stored, string query)
    {
        var marker = "m" + Guid.NewGuid().ToString("N")[..10];
        var created = await CreateAsync(fixture.PoliceAnalyst.Client, RecordRequests.Valid(title: $"{marker} {stored}", language: "ar"));
        var id = created["id"]!.GetValue<Guid>();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/search?q={Uri.EscapeDataString($"{marker} {query}")}");
        request.Headers.Add("X-Jisr-Purpose", "test of Arabic-aware search");
        var response = await fixture.PoliceAnalyst.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains(page!["items"]!.AsArray(), i => i!["id"]!.GetValue<Guid>() == id);
    }

    [Fact]
    public async Task Search_NeverReturnsAnotherAgencysRecords()
    {
        var marker = "x" + Guid.NewGuid().ToString("N")[..10];
        await CreateAsync(fixture.PoliceAnalyst.Client, RecordRequests.Valid(title: $"{marker} secret police matter"));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/search?q={marker}");
        request.Headers.Add("X-Jisr-Purpose", "leak check");
        var response = await fixture.IntelligenceAnalyst.Client.SendAsync(request);

        var page = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Empty(page!["items"]!.AsArray());
    }

    [Fact]
    public async Task Update_ReplacesContentAndEntities()
    {
        var created = await CreateAsync(fixture.PoliceAnalyst.Client, RecordRequests.Valid());
        var id = created["id"]!.GetValue<Guid>();
        var personId = created["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();
        var update = RecordRequests.Valid(title: "Titre corrigé");
        update["entities"] = new JsonArray(
            new JsonObject { ["ref"] = "p", ["id"] = personId },
            new JsonObject { ["ref"] = "v", ["type"] = "vehicle", ["registration"] = "12345-A-6", ["country"] = "MA" });
        update["links"] = new JsonArray(new JsonObject { ["from"] = "p", ["to"] = "v", ["type"] = "owns" });

        var response = await fixture.PoliceAnalyst.Client.PutAsJsonAsync($"/api/v1/records/{id}", update);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var record = await fixture.PoliceAnalyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{id}");
        Assert.Equal("Titre corrigé", record!["title"]!.GetValue<string>());
        Assert.Equal(["person", "vehicle"], record["entities"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).Order());
        Assert.Single(record["links"]!.AsArray());
    }

    [Fact]
    public async Task Delete_ByAuthor_RemovesRecord_AndOtherAgencyCannotDelete()
    {
        var created = await CreateAsync(fixture.PoliceAnalyst.Client, RecordRequests.Valid());
        var id = created["id"]!.GetValue<Guid>();

        var foreign = await fixture.IntelligenceAnalyst.Client.DeleteAsync($"/api/v1/records/{id}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        var own = await fixture.PoliceAnalyst.Client.DeleteAsync($"/api/v1/records/{id}");
        Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.PoliceAnalyst.Client.GetAsync($"/api/v1/records/{id}")).StatusCode);
    }

    [Fact]
    public async Task EntityRecords_ListsRecordsMentioningTheEntity()
    {
        var created = await CreateAsync(fixture.PoliceAnalyst.Client, RecordRequests.Valid());
        var personId = created["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();
        var second = RecordRequests.Valid(title: "Second report");
        second["entities"] = new JsonArray(new JsonObject { ["id"] = personId });
        second["links"] = new JsonArray();
        var secondId = (await CreateAsync(fixture.PoliceAnalyst.Client, second))["id"]!.GetValue<Guid>();

        var page = await fixture.PoliceAnalyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/entities/{personId}/records");
        var foreign = await fixture.IntelligenceAnalyst.Client.GetAsync($"/api/v1/entities/{personId}/records");

        Assert.Equal(2, page!["items"]!.AsArray().Count);
        Assert.Contains(page["items"]!.AsArray(), i => i!["id"]!.GetValue<Guid>() == secondId);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task Create_ReferringToAnotherAgencysEntity_IsRefusedAsUnknown()
    {
        var created = await CreateAsync(fixture.PoliceAnalyst.Client, RecordRequests.Valid());
        var personId = created["entities"]!.AsArray()[0]!["id"]!.GetValue<Guid>();
        var request = RecordRequests.Valid();
        request["entities"] = new JsonArray(new JsonObject { ["id"] = personId });
        request["links"] = new JsonArray();

        var response = await fixture.IntelligenceAnalyst.Client.PostAsJsonAsync("/api/v1/records", request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("entities[0].id"), problem.ToJsonString());
    }
}
