using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Server.Tests;

/// <summary>
/// Judgements through the API on a node of its own: stored, audited, respected by the next proposals, shown as one
/// person; a change made since the analyst looked, and two analysts judging one pair at once, end in one judgement
/// and a 409 for the others; another agency sees none of it.
/// </summary>
public sealed class FusionApiTests
{
    private static async Task<Guid> AddPersonAsync(TestUser user, string name, string dateOfBirth, string passport)
    {
        var request = RecordRequests.Valid();
        request["entities"] = new JsonArray(new JsonObject
        {
            ["ref"] = "p",
            ["type"] = "person",
            ["names"] = new JsonArray(name),
            ["dateOfBirth"] = dateOfBirth,
            ["identifiers"] = new JsonArray(new JsonObject { ["kind"] = "passport", ["value"] = passport, ["country"] = "MA" }),
        });
        request["links"] = new JsonArray();
        var response = await user.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["entities"]![0]!["id"]!.GetValue<Guid>();
    }

    private static async Task<JsonObject> ProposalsAsync(TestUser user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/fusion/proposals");
        request.Headers.Add("X-Jisr-Purpose", "case 2026/114");
        var response = await user.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static Task<HttpResponseMessage> JudgeAsync(TestUser user, Guid a, Guid b, string decision, int? version = null) =>
        user.Client.PostAsJsonAsync("/api/v1/fusion/judgements", new { a, b, decision, version, note = "checked the passport scans" });

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Judgements_AreStoredAudited_RespectedByProposals_AndShowOnePerson(string provider)
    {
        await using var node = await TestNode.StartAsync(provider);
        var police = await node.AddAgencyAsync("MA-POL");
        var intelligence = await node.AddAgencyAsync("MA-INT");
        var analyst = await node.AddUserAsync(police, "analyst.pol", [Role.Analyst]);
        var officer = await node.AddUserAsync(police, "officer.pol", [Role.FieldOfficer]);
        var outsider = await node.AddUserAsync(intelligence, "analyst.int", [Role.Analyst]);
        var latin = await AddPersonAsync(analyst, "Mohamed El Alami", "1980-05-12", "AB123456");
        var arabic = await AddPersonAsync(analyst, "محمد العلمي", "1980-05-12", "AB123456");

        var proposed = Assert.Single((await ProposalsAsync(analyst))["items"]!.AsArray());
        Assert.Equal(new[] { latin, arabic }.Order(), new[] { proposed!["a"]!["id"]!.GetValue<Guid>(), proposed["b"]!["id"]!.GetValue<Guid>() }.Order());
        Assert.True(proposed["score"]!.GetValue<double>() > 0.9);
        Assert.Contains(proposed["evidence"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "identifier");
        Assert.Null(proposed["judgement"]);

        // A field officer may not judge; a pair with a person of another agency is not found; bad input is named.
        Assert.Equal(HttpStatusCode.Forbidden, (await JudgeAsync(officer, latin, arabic, "rejected")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await JudgeAsync(outsider, latin, arabic, "rejected")).StatusCode);
        var invalid = await JudgeAsync(analyst, latin, arabic, "maybe");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("decision", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await JudgeAsync(analyst, latin, latin, "confirmed")).StatusCode);

        var rejected = await JudgeAsync(analyst, arabic, latin, "rejected", version: 0);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(1, (await rejected.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>());
        Assert.Empty((await ProposalsAsync(analyst))["items"]!.AsArray());

        // The analyst changes their mind on the judgement they saw; a change from a stale view is refused.
        var confirmed = await JudgeAsync(analyst, latin, arabic, "confirmed", version: 1);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var stale = await JudgeAsync(analyst, latin, arabic, "rejected", version: 1);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("judged again since you looked", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var now = Assert.Single((await ProposalsAsync(analyst))["items"]!.AsArray());
        Assert.Equal(1.0, now!["score"]!.GetValue<double>());
        Assert.Equal("confirmed", now["judgement"]!["decision"]!.GetValue<string>());

        var person = await analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/fusion/persons/{arabic}");
        var parts = person!["parts"]!.AsArray();
        Assert.Equal(2, parts.Count);
        Assert.Equal(arabic, parts[0]!["entity"]!["id"]!.GetValue<Guid>());
        Assert.All(parts, p => Assert.Single(p!["records"]!.AsArray()));
        Assert.Equal("confirmed", parts[1]!["joinedBy"]!["decision"]!.GetValue<string>());

        // The other agency sees neither the persons nor the judgement.
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Client.GetAsync($"/api/v1/fusion/persons/{arabic}")).StatusCode);
        Assert.Empty((await outsider.Client.GetFromJsonAsync<JsonArray>("/api/v1/fusion/judgements"))!);
        Assert.Empty((await ProposalsAsync(outsider))["items"]!.AsArray());
        Assert.Single((await analyst.Client.GetFromJsonAsync<JsonArray>("/api/v1/fusion/judgements"))!);

        await using var db = node.Database.Open();
        Assert.Equal(2, await db.AuditLog.CountAsync(e => e.Action == "fusion.judge" && e.Outcome == "success"));
        Assert.Equal(1, await db.MatchJudgements.CountAsync());
        Assert.True(await db.AuditLog.AnyAsync(e => e.Action == "fusion.proposals" && e.Purpose == "case 2026/114"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AnalystsJudgingOnePairAtOnce_StoreOneJudgement_AndTheOthersGet409(string provider)
    {
        await using var node = await TestNode.StartAsync(provider);
        var police = await node.AddAgencyAsync("MA-POL");
        var analysts = new List<TestUser>();
        for (var i = 0; i < 6; i++)
        {
            analysts.Add(await node.AddUserAsync(police, $"analyst{i}.pol", [Role.Analyst], Classification.Secret));
        }

        var a = await AddPersonAsync(analysts[0], "Youssef Benali", "1975", "CD765432");
        var b = await AddPersonAsync(analysts[0], "BENALI Youssef", "1975", "CD765432");

        var answers = await Task.WhenAll(analysts.Select((u, i) => JudgeAsync(u, a, b, i % 2 == 0 ? "confirmed" : "rejected", version: 0)));

        Assert.Equal(1, answers.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(answers.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var winner = await answers.Single(r => r.StatusCode == HttpStatusCode.OK).Content.ReadFromJsonAsync<JsonObject>();
        var stored = Assert.Single((await analysts[0].Client.GetFromJsonAsync<JsonArray>("/api/v1/fusion/judgements"))!);
        Assert.Equal(winner!["decision"]!.GetValue<string>(), stored!["decision"]!.GetValue<string>());
        Assert.Equal(1, stored["version"]!.GetValue<int>());
    }
}
