using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>
/// The bad input of issue 11 at the person match endpoint: names of one letter, only titles, 500 parts, mixed scripts
/// in one part, emoji, right-to-left marks and zero-width joiners. Each answers a list of scored candidates (scores
/// in [0,1], a decision) or a clear refusal (400 problem details naming the field), never a server error; invisible
/// marks and joiners do not stop a person from being found.
/// </summary>
public sealed class PersonMatchBadInputTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    public static TheoryData<string, string> BadNames => new()
    {
        { "one letter", "K" },
        { "one Arabic letter", "ب" },
        { "only titles", "Dr. Haji Mullah" },
        { "only Arabic titles", "الحاج الشيخ" },
        { "150 parts", string.Join(' ', Enumerable.Repeat("a", 150)) },
        { "mixed scripts in one part", "Mohamedمحمد Bouziديد" },
        { "emoji", "😀 Bouzid 👨‍👩‍👧 🇲🇦" },
        { "only emoji", "😀👨‍👩‍👧" },
        { "right-to-left marks", "\u200FYoussef\u200E \u202BBouzid\u202C \u2067x\u2069" },
        { "zero-width joiners", "Yo\u200Dussef Bou\u200Czid\uFEFF" },
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task BadName_AnswersScoredCandidates_NeverAServerError(string kind, string name)
    {
        await AddPersonAsync();

        var response = await MatchAsync(name);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{kind}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var items = (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray();
        Assert.All(items, item =>
        {
            Assert.InRange(item!["score"]!.GetValue<double>(), 0, 1);
            Assert.Contains(item["decision"]!.GetValue<string>(), new[] { "match", "possible" });
        });
    }

    [Fact]
    public async Task FiveHundredParts_AreRefused_WithAProblemNamingTheField()
    {
        var response = await MatchAsync(string.Join(' ', Enumerable.Repeat("Mohamed", 500)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("300", problem!["errors"]!["name"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u200FYoussef\u200E \u202BBouzid\u202C")]
    [InlineData("Yo\u200Dussef Bou\u200Czid")]
    [InlineData("يو\u200Cسف بو\u200Dزيد")]
    public async Task InvisibleMarksAndJoiners_StillFindThePerson_AsAMatch(string name)
    {
        var id = await AddPersonAsync();

        var response = await MatchAsync(name);

        // Other tests of this node add the same name: the person is among the best, each of them a match.
        var items = (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray();
        var found = Assert.Single(items, i => i!["person"]!["id"]!.GetValue<Guid>() == id);
        Assert.Equal("match", found!["decision"]!.GetValue<string>());
    }

    private async Task<Guid> AddPersonAsync()
    {
        var request = RecordRequests.Valid();
        request["entities"] = new JsonArray(new JsonObject { ["ref"] = "p", ["type"] = "person", ["names"] = new JsonArray("Youssef Bouzid", "يوسف بوزيد") });
        request["links"] = new JsonArray();
        var response = await fixture.PoliceAnalyst.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["entities"]![0]!["id"]!.GetValue<Guid>();
    }

    private async Task<HttpResponseMessage> MatchAsync(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/persons/match?name={Uri.EscapeDataString(name)}&limit=100");
        request.Headers.Add("X-Jisr-Purpose", "identity check, bad input");
        return await fixture.PoliceAnalyst.Client.SendAsync(request);
    }
}
