using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Server.Tests;

/// <summary>
/// An account's life after creation, through the API: disable and enable, change of access (with a second
/// administrator for administrator rights), password reset, revocation of another user's tokens; and the node-level
/// administrator who alone registers agencies.
/// </summary>
public sealed class AccountLifecycleApiTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private TestNode _node = null!;
    private Jisr.Domain.Agencies.Agency _agency = null!;
    private TestUser _admin = null!;
    private TestUser _secondAdmin = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync();
        _agency = await _node.AddAgencyAsync("MA-ACC");
        _admin = await _node.AddUserAsync(_agency, "admin.acc", [Role.Administrator]);
        _secondAdmin = await _node.AddUserAsync(_agency, "admin2.acc", [Role.Administrator]);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ADisabledUser_CannotSignIn_NorUseTokens_UntilEnabled_AndNoAdministratorDisablesThemselves()
    {
        var analyst = await _node.AddUserAsync(_agency, "analyst.acc", [Role.Analyst], password: Password);
        var anonymous = _node.CreateClient();

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.Client.PostAsync($"/api/v1/users/{analyst.Id}/disable", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await analyst.Client.GetAsync("/api/v1/me")).StatusCode);
        var signIn = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = analyst.UserName, password = Password });
        var unknown = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = "nobody.acc", password = Password });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Equal(await DetailAsync(unknown), await DetailAsync(signIn));
        Assert.True((await UserAsync(analyst.Id))["disabled"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.Client.PostAsync($"/api/v1/users/{analyst.Id}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analyst.Client.GetAsync("/api/v1/me")).StatusCode);

        var self = await _admin.Client.PostAsync($"/api/v1/users/{_admin.Id}/disable", null);
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.Client.PostAsync($"/api/v1/users/{_admin.Id}/disable", null)).StatusCode);
    }

    [Fact]
    public async Task AChangeOfOrdinaryAccess_HoldsAtTheUsersNextRequest()
    {
        var analyst = await _node.AddUserAsync(_agency, "mover.acc", [Role.Analyst], Classification.Restricted);
        Assert.Equal("RESTRICTED", (await analyst.Client.GetFromJsonAsync<JsonObject>("/api/v1/me"))!["clearance"]!.GetValue<string>());

        var changed = await _admin.Client.PutAsJsonAsync($"/api/v1/users/{analyst.Id}/access", new { roles = new[] { "field-officer" }, clearance = "CONFIDENTIAL" });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var me = await analyst.Client.GetFromJsonAsync<JsonObject>("/api/v1/me");
        Assert.Equal("CONFIDENTIAL", me!["clearance"]!.GetValue<string>());
        Assert.Equal(["field-officer"], me["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task GrantingAdministratorRights_WaitsForASecondAdministrator_WhoNeitherAskedNorReceives()
    {
        var officer = await _node.AddUserAsync(_agency, "promoted.acc", [Role.LiaisonOfficer], Classification.Confidential);

        var asked = await _admin.Client.PutAsJsonAsync($"/api/v1/users/{officer.Id}/access", new { roles = new[] { "administrator" }, clearance = "CONFIDENTIAL" });

        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var grant = (await asked.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("pending", grant["status"]!.GetValue<string>());
        Assert.Equal(asked.Headers.Location!.ToString(), $"/api/v1/users/grants/{grant["id"]}");
        Assert.Equal(["liaison-officer"], (await UserAsync(officer.Id))["roles"]!.AsArray().Select(r => r!.GetValue<string>()));

        var id = grant["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.Forbidden, (await _admin.Client.PostAsync($"/api/v1/users/grants/{id}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.Client.PostAsync($"/api/v1/users/grants/{id}/approve", null)).StatusCode);
        var approved = await _secondAdmin.Client.PostAsync($"/api/v1/users/grants/{id}/approve", null);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("approved", (await approved.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        Assert.Equal(["administrator"], (await UserAsync(officer.Id))["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Conflict, (await _secondAdmin.Client.PostAsync($"/api/v1/users/grants/{id}/refuse", null)).StatusCode);
    }

    /// <summary>An approval binds to the account as it was when the grant was asked for: a change since then makes it a conflict.</summary>
    [Fact]
    public async Task AGrant_WhoseAccountChangedSinceItWasAsked_CannotBeApproved()
    {
        var officer = await _node.AddUserAsync(_agency, "stale.acc", [Role.Analyst], Classification.Confidential);
        var asked = await _admin.Client.PutAsJsonAsync($"/api/v1/users/{officer.Id}/access", new { roles = new[] { "administrator", "legal-reviewer" }, clearance = "CONFIDENTIAL" });
        var id = (await asked.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await _admin.Client.PutAsJsonAsync($"/api/v1/users/{officer.Id}/access", new { roles = new[] { "analyst" }, clearance = "SECRET" })).StatusCode);

        var approved = await _secondAdmin.Client.PostAsync($"/api/v1/users/grants/{id}/approve", null);

        Assert.Equal(HttpStatusCode.Conflict, approved.StatusCode);
        Assert.Equal(["analyst"], (await UserAsync(officer.Id))["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        var grants = await _secondAdmin.Client.GetFromJsonAsync<JsonArray>("/api/v1/users/grants");
        Assert.Equal("pending", grants!.Single(g => g!["id"]!.GetValue<Guid>() == id)!["status"]!.GetValue<string>());
    }

    /// <summary>Both sides of a four-eyes pair (administrator and legal reviewer) on one person need a second administrator too.</summary>
    [Fact]
    public async Task TheLegalReviewerRole_BesideAdministratorRights_NeedsASecondAdministrator_AndNewAdministratorsAreNeverCreatedDirectly()
    {
        var reviewer = await _node.AddUserAsync(_agency, "reviewer.acc", [Role.LegalReviewer]);

        var addAdmin = await _admin.Client.PutAsJsonAsync($"/api/v1/users/{reviewer.Id}/access", new { roles = new[] { "legal-reviewer", "administrator" }, clearance = "SECRET" });
        var addReviewerToAdmin = await _admin.Client.PutAsJsonAsync($"/api/v1/users/{_secondAdmin.Id}/access", new { roles = new[] { "administrator", "legal-reviewer" }, clearance = "SECRET" });
        var created = await _admin.Client.PostAsJsonAsync("/api/v1/users", new { userName = "direct.admin", roles = new[] { "administrator" }, clearance = "SECRET" });

        Assert.Equal(HttpStatusCode.Accepted, addAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, addReviewerToAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, created.StatusCode);
        Assert.Contains("second administrator", await DetailAsync(created), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdministrator_GrantsNothingAboveTheirOwn()
    {
        var confidentialAdmin = await _node.AddUserAsync(_agency, "admin.conf.acc", [Role.Administrator], Classification.Confidential);
        var analyst = await _node.AddUserAsync(_agency, "limited.acc", [Role.Analyst], Classification.Restricted);

        var secret = await confidentialAdmin.Client.PutAsJsonAsync($"/api/v1/users/{analyst.Id}/access", new { roles = new[] { "analyst" }, clearance = "SECRET" });
        var nodeAdmin = await _admin.Client.PutAsJsonAsync($"/api/v1/users/{analyst.Id}/access", new { roles = new[] { "node-administrator" }, clearance = "RESTRICTED" });

        Assert.Equal(HttpStatusCode.Forbidden, secret.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, nodeAdmin.StatusCode);
        Assert.Equal("RESTRICTED", (await UserAsync(analyst.Id))["clearance"]!.GetValue<string>());
    }

    [Fact]
    public async Task APasswordReset_ReplacesTheOldPassword_AndRevokingTokens_StopsThem()
    {
        var analyst = await _node.AddUserAsync(_agency, "forgetful.acc", [Role.Analyst], password: Password);
        var anonymous = _node.CreateClient();

        var reset = await _admin.Client.PutAsJsonAsync($"/api/v1/users/{analyst.Id}/password", new { password = "a brand new long password" });
        var tooShort = await _admin.Client.PutAsJsonAsync($"/api/v1/users/{analyst.Id}/password", new { password = "short" });

        Assert.True(reset.StatusCode == HttpStatusCode.NoContent, await reset.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = analyst.UserName, password = Password })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = analyst.UserName, password = "a brand new long password" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await analyst.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.Client.DeleteAsync($"/api/v1/users/{analyst.Id}/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await analyst.Client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task OnlyANodeAdministrator_RegistersAgencies()
    {
        var nodeAdmin = await _node.AddUserAsync(_agency, "operator.acc", [Role.NodeAdministrator]);

        var byAgencyAdmin = await _admin.Client.PostAsJsonAsync("/api/v1/agencies", new { code = "ES-NEW", name = "Nueva agencia", country = "ES" });
        var byNodeAdmin = await nodeAdmin.Client.PostAsJsonAsync("/api/v1/agencies", new { code = "ES-NEW", name = "Nueva agencia", country = "ES" });

        Assert.Equal(HttpStatusCode.Forbidden, byAgencyAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byNodeAdmin.StatusCode);
    }

    /// <summary>
    /// An administrator's password alone does not sign in: without a second factor set up the answer says how to set
    /// one up; once set up (with a code from the app, RFC 6238) a wrong or missing code is refused and the right one works.
    /// </summary>
    [Fact]
    public async Task Administrators_SignInWithAPasswordOnlyTogetherWithASecondFactorCode()
    {
        var admin = await _node.AddUserAsync(_agency, "admin.totp.acc", [Role.Administrator]);
        await using (var scope = _node.App.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<Jisr.Storage.Accounts.AccountService>();
            var user = await accounts.FindUserForChangeAsync(_agency.Id, admin.Id);
            await accounts.ResetPasswordAsync(user!, Password, new Jisr.Storage.Audit.AuditEvent("", ActorName: "test"));
        }

        var anonymous = _node.CreateClient();
        var notSetUp = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = admin.UserName, password = Password });
        Assert.Equal(HttpStatusCode.Unauthorized, notSetUp.StatusCode);
        Assert.Contains("second-factor", await DetailAsync(notSetUp), StringComparison.Ordinal);

        var setUp = await (await admin.Client.PostAsync("/api/v1/auth/second-factor", null)).Content.ReadFromJsonAsync<JsonObject>();
        var key = setUp!["key"]!.GetValue<string>();
        Assert.StartsWith("otpauth://totp/Jisr:admin.totp.acc?secret=", setUp["uri"]!.GetValue<string>(), StringComparison.Ordinal);
        var wrongConfirm = await admin.Client.PostAsJsonAsync("/api/v1/auth/second-factor/confirm", new { code = WrongCode(key) });
        Assert.Equal(HttpStatusCode.BadRequest, wrongConfirm.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.PostAsJsonAsync("/api/v1/auth/second-factor/confirm", new { code = Totp.Code(key) })).StatusCode);

        var noCode = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = admin.UserName, password = Password });
        var wrongCode = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = admin.UserName, password = Password, code = WrongCode(key) });
        var rightCode = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = admin.UserName, password = Password, code = Totp.Code(key) });
        Assert.Equal(HttpStatusCode.Unauthorized, noCode.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCode.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, rightCode.StatusCode);

        // An analyst needs no second factor, but one who set one up is held to it.
        var analyst = await _node.AddUserAsync(_agency, "plain.acc", [Role.Analyst], password: Password);
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = analyst.UserName, password = Password })).StatusCode);
        var analystKey = (await (await analyst.Client.PostAsync("/api/v1/auth/second-factor", null)).Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await analyst.Client.PostAsJsonAsync("/api/v1/auth/second-factor/confirm", new { code = Totp.Code(analystKey) })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = analyst.UserName, password = Password })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = analyst.UserName, password = Password, code = Totp.Code(analystKey) })).StatusCode);
    }

    /// <summary>A code that is valid for no step near now (differs from the codes of the previous, current and next steps).</summary>
    private static string WrongCode(string key)
    {
        var near = new[] { -30, 0, 30 }.Select(s => Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(s))).ToHashSet();
        return Enumerable.Range(0, 10).Select(i => $"{i}{i}{i}{i}{i}{i}").First(c => !near.Contains(c));
    }

    private async Task<JsonObject> UserAsync(Guid id) => (await _secondAdmin.Client.GetFromJsonAsync<JsonObject>($"/api/v1/users/{id}"))!;

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
}
