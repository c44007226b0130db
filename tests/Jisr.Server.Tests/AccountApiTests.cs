using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Server.Tests;

public sealed class AccountApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task Api_WithoutCredentials_Answers401ProblemDetail()
    {
        var anonymous = fixture.Node.CreateClient();

        var response = await anonymous.GetAsync("/api/v1/records");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Api_WithUnknownToken_Answers401()
    {
        var forged = fixture.Node.CreateClient("jisr_" + new string('A', 43));

        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Me_ReturnsAgencyRolesAndClearance()
    {
        var me = await fixture.PoliceRestrictedAnalyst.Client.GetFromJsonAsync<JsonObject>("/api/v1/me");

        Assert.Equal("junior.pol", me!["userName"]!.GetValue<string>());
        Assert.Equal("MA-POL", me["agency"]!["code"]!.GetValue<string>());
        Assert.Equal("RESTRICTED", me["clearance"]!.GetValue<string>());
        Assert.Equal(["analyst"], me["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Token_CreatedThroughApi_Works_AndStopsWorkingOnceRevoked()
    {
        var issued = await fixture.PoliceAnalyst.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "laptop" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var body = await issued.Content.ReadFromJsonAsync<JsonObject>();
        var client = fixture.Node.CreateClient(body!["token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        var revoked = await fixture.PoliceAnalyst.Client.DeleteAsync($"/api/v1/tokens/{body["id"]!.GetValue<Guid>()}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Tokens_AreStoredOnlyAsHashes()
    {
        await using var db = fixture.Node.Database.Open();

        Assert.DoesNotContain(db.ApiTokens.ToList(), t => t.TokenHash.Contains(fixture.PoliceAnalyst.Token, StringComparison.Ordinal) || t.TokenHash.Length != 64);
        Assert.DoesNotContain(db.ApiTokens.Select(t => t.TokenHash).ToList(), h => h == fixture.PoliceAnalyst.Token);
    }

    [Fact]
    public async Task Login_WithPassword_SetsSessionCookieThatAuthenticates()
    {
        using var handler = new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = fixture.Node.BaseAddress };

        var login = await browser.PostAsJsonAsync("/api/v1/auth/login", fixture.PoliceAdmin.Login("correct horse battery staple"));

        Assert.Equal(HttpStatusCode.NoContent, login.StatusCode);
        var me = await browser.GetFromJsonAsync<JsonObject>("/api/v1/me");
        Assert.Equal("admin.pol", me!["userName"]!.GetValue<string>());
    }

    /// <summary>
    /// No lockout a stranger can trigger: after five wrong passwords on a name, that name is slowed (429 with
    /// Retry-After) whether it exists or not, with the same answer, and the account's API tokens keep working.
    /// </summary>
    [Fact]
    public async Task Login_AfterFiveWrongPasswords_IsSlowed_AlikeForKnownAndUnknownNames_AndTokensKeepWorking()
    {
        var user = await fixture.Node.AddUserAsync(fixture.Police, "slowme.pol", [Role.Analyst], password: "the right password 123");
        var anonymous = fixture.Node.CreateClient();
        foreach (var name in new[] { user.UserName, "nobody.pol" })
        {
            for (var i = 0; i < 5; i++)
            {
                var wrong = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = name, password = $"wrong {i} wrong wrong" });
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            }
        }

        var right = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = user.UserName, password = "the right password 123" });
        var unknown = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = "nobody.pol", password = "the right password 123" });

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, unknown.StatusCode);
        Assert.True(right.Headers.RetryAfter is not null);
        Assert.Equal(
            (await unknown.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(),
            (await right.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", fixture.PoliceAdmin.Login("correct horse battery staple"))).StatusCode);
    }

    /// <summary>One client trying many names is slowed too (per client address), so guessing across accounts does not scale.</summary>
    [Fact]
    public async Task Login_FromOneClient_IsRateLimited_AcrossNames()
    {
        await using var node = await TestNode.StartAsync();
        var anonymous = node.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 31; i++)
        {
            answers.Add((await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = $"guess{i}", password = "some password 123" })).StatusCode);
        }

        Assert.All(answers.Take(30), a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[30]);
    }

    [Fact]
    public async Task Users_AreForAdministratorsOfTheSameAgencyOnly()
    {
        var asAnalyst = await fixture.PoliceAnalyst.Client.GetAsync("/api/v1/users");
        var asAdmin = await fixture.PoliceAdmin.Client.GetFromJsonAsync<JsonArray>("/api/v1/users");

        Assert.Equal(HttpStatusCode.Forbidden, asAnalyst.StatusCode);
        Assert.All(asAdmin!, u => Assert.Equal(fixture.Police.Id.Value, u!["agencyId"]!.GetValue<Guid>()));
        Assert.DoesNotContain(asAdmin!, u => u!["userName"]!.GetValue<string>() == "analyst.int");
    }

    [Fact]
    public async Task CreateUser_ByAdmin_CreatesUserInOwnAgency_AndRefusesUnknownRole()
    {
        var created = await fixture.PoliceAdmin.Client.PostAsJsonAsync("/api/v1/users", new { userName = "new.officer", roles = new[] { "field-officer" }, clearance = "CONFIDENTIAL" });
        var badRole = await fixture.PoliceAdmin.Client.PostAsJsonAsync("/api/v1/users", new { userName = "bad.role", roles = new[] { "spy" }, clearance = "SECRET" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = await created.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(fixture.Police.Id.Value, user!["agencyId"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.True((await badRole.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("roles[0]"));
    }

    [Fact]
    public async Task CreateUser_WithOneNameEightTimesAtOnce_CreatesOne_AndTheOthersAre409WithAClearMessage()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            fixture.PoliceAdmin.Client.PostAsJsonAsync("/api/v1/users", new { userName = "same.name", roles = new[] { "analyst" }, clearance = "RESTRICTED" })));

        Assert.Single(attempts, a => a.StatusCode == HttpStatusCode.Created);
        var conflicts = attempts.Where(a => a.StatusCode != HttpStatusCode.Created).ToList();
        Assert.All(conflicts, c => Assert.Equal(HttpStatusCode.Conflict, c.StatusCode));
        foreach (var conflict in conflicts)
        {
            Assert.Contains("a user named same.name exists already", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CreateUser_AboveTheAdministratorsOwnClearance_IsRefused_AndCreatesNothing()
    {
        var confidentialAdmin = await fixture.Node.AddUserAsync(fixture.Police, "admin.conf.pol", [Role.Administrator], Classification.Confidential);

        var secret = await confidentialAdmin.Client.PostAsJsonAsync("/api/v1/users", new { userName = "secret.admin", roles = new[] { "administrator", "legal-reviewer" }, clearance = "SECRET" });
        var confidential = await confidentialAdmin.Client.PostAsJsonAsync("/api/v1/users", new { userName = "conf.reviewer", roles = new[] { "legal-reviewer" }, clearance = "CONFIDENTIAL" });

        Assert.Equal(HttpStatusCode.Forbidden, secret.StatusCode);
        Assert.Contains("above your own", (await secret.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, confidential.StatusCode);
        var users = await fixture.PoliceAdmin.Client.GetFromJsonAsync<JsonArray>("/api/v1/users");
        Assert.DoesNotContain(users!, u => u!["userName"]!.GetValue<string>() == "secret.admin");
    }

    [Fact]
    public async Task OpenApiDocument_IsServed_AndListsTheRecordEndpoints()
    {
        var document = await fixture.Node.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json");

        var paths = document!["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/v1/records"));
        Assert.True(paths.ContainsKey("/api/v1/records/search"));
        Assert.True(paths.ContainsKey("/api/v1/records/{id}"));
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
        var searchParameters = paths["/api/v1/records/search"]!["get"]!["parameters"]!.AsArray();
        Assert.Contains(searchParameters, p => p!["name"]!.GetValue<string>() == "X-Jisr-Purpose" && p["required"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Health_AnswersWithoutCredentials()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Node.CreateClient().GetAsync("/health")).StatusCode);
    }
}
