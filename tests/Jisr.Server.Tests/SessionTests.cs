using System.Net;
using System.Net.Http.Json;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>
/// Session cookies are protected with the node's own key ring, kept in its database: another node on the same host
/// cannot read them (even for a user of the same name, agency and roles), and the node that issued one still can
/// after a restart.
/// </summary>
public sealed class SessionTests
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task ASessionCookie_FromAnotherNode_IsRefused()
    {
        await using var issuer = await TestNode.StartAsync();
        await using var other = await TestNode.StartAsync();
        var users = new List<TestUser>();
        foreach (var node in new[] { issuer, other })
        {
            users.Add(await node.AddUserAsync(await node.AddAgencyAsync("MA-SES"), "admin.ses", [Role.Administrator], Classification.Secret, Password));
        }

        var cookie = await SignInAsync(issuer, users[0]);

        Assert.Equal(HttpStatusCode.OK, await MeAsync(issuer, cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(other, cookie));
    }

    [Fact]
    public async Task ASessionCookie_OutlivesARestartOfItsNode()
    {
        await using var first = await TestNode.StartAsync();
        var admin = await first.AddUserAsync(await first.AddAgencyAsync("MA-RST"), "admin.rst", [Role.Administrator], Classification.Secret, Password);
        var cookie = await SignInAsync(first, admin);

        // A second process over the same database: what a restart (or a second node process behind one URL) sees.
        await using var app = await JisrNode.StartAsync(new NodeOptions(first.Database.Location, "http://127.0.0.1:0"));
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("Cookie", cookie);

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task ASessionCookie_StopsWorkingAtLogout_EvenACopyOfIt()
    {
        await using var node = await TestNode.StartAsync();
        var admin = await node.AddUserAsync(await node.AddAgencyAsync("MA-OUT"), "admin.out", [Role.Administrator], Classification.Secret, Password);
        var cookie = await SignInAsync(node, admin);
        var copy = cookie;
        Assert.Equal(HttpStatusCode.OK, await MeAsync(node, cookie));

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(node, HttpMethod.Post, "/api/v1/auth/logout", cookie, await AntiforgeryAsync(node, cookie)));

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(node, copy));
    }

    [Fact]
    public async Task ASessionCookie_StopsWorkingWhenItsAccountIsDisabled_AndFollowsAChangeOfRoles()
    {
        await using var node = await TestNode.StartAsync();
        var user = await node.AddUserAsync(await node.AddAgencyAsync("MA-LCK"), "admin.lck", [Role.Administrator], Classification.Secret, Password);
        var cookie = await SignInAsync(node, user);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(node, HttpMethod.Get, "/api/v1/users", cookie));

        // The administrator role is withdrawn in the database: the same cookie no longer lists users.
        await using (var db = node.Database.Open())
        {
            var account = db.Users.Single(u => u.Id == user.Id);
            account.Roles = [Role.Analyst];
            await db.SaveChangesAsync();
        }

        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(node, HttpMethod.Get, "/api/v1/users", cookie));

        await using (var db = node.Database.Open())
        {
            db.Users.Single(u => u.Id == user.Id).DisabledAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(node, cookie));
    }

    /// <summary>
    /// A hostile page can make the browser send the cookie, but not read the antiforgery token: a change with the cookie
    /// alone (JSON, or a form posted from another site) is refused and changes nothing; with the token it goes through;
    /// a change with an API token needs none.
    /// </summary>
    [Fact]
    public async Task ACookieChange_WithoutTheAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        await using var node = await TestNode.StartAsync();
        var admin = await node.AddUserAsync(await node.AddAgencyAsync("MA-CSR"), "admin.csr", [Role.Administrator], Classification.Secret, Password);
        var cookie = await SignInAsync(node, admin);
        var tokensBefore = await TokenCountAsync(admin);

        var bare = await SendAsync(node, HttpMethod.Post, "/api/v1/tokens", cookie, body: JsonContent.Create(new { name = "forged" }));
        var form = await SendAsync(node, HttpMethod.Post, "/api/v1/tokens", cookie, body: new FormUrlEncodedContent([new("name", "forged")]));
        var wrongToken = await SendAsync(node, HttpMethod.Post, "/api/v1/tokens", cookie, ("jisr.antiforgery=x", "not-a-token"), JsonContent.Create(new { name = "forged" }));
        Assert.Equal(HttpStatusCode.Forbidden, bare);
        Assert.Equal(HttpStatusCode.Forbidden, form);
        Assert.Equal(HttpStatusCode.Forbidden, wrongToken);
        Assert.Equal(tokensBefore, await TokenCountAsync(admin));

        var withToken = await SendAsync(node, HttpMethod.Post, "/api/v1/tokens", cookie, await AntiforgeryAsync(node, cookie), JsonContent.Create(new { name = "real" }));
        var withApiToken = await admin.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "bearer" });
        Assert.Equal(HttpStatusCode.Created, withToken);
        Assert.Equal(HttpStatusCode.Created, withApiToken.StatusCode);
        Assert.Equal(tokensBefore + 2, await TokenCountAsync(admin));
    }

    private static async Task<int> TokenCountAsync(TestUser user) =>
        (await user.Client.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/v1/tokens"))!.Count;

    /// <summary>The antiforgery cookie and request token for a session, as the node's own pages would get them.</summary>
    private static async Task<(string Cookie, string Token)> AntiforgeryAsync(TestNode node, string cookie)
    {
        using var handler = new HttpClientHandler { UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = node.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/antiforgery");
        request.Headers.Add("Cookie", cookie);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        var antiforgeryCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("jisr.antiforgery=", StringComparison.Ordinal)).Split(';')[0];
        return (antiforgeryCookie, body!["token"]!.GetValue<string>());
    }

    private static async Task<string> SignInAsync(TestNode node, TestUser user)
    {
        using var handler = new HttpClientHandler { UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = node.BaseAddress };
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", user.Login(Password));
        Assert.Equal(HttpStatusCode.NoContent, login.StatusCode);
        return login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("jisr.session=", StringComparison.Ordinal)).Split(';')[0];
    }

    private static Task<HttpStatusCode> MeAsync(TestNode node, string cookie) => SendAsync(node, HttpMethod.Get, "/api/v1/me", cookie);

    private static async Task<HttpStatusCode> SendAsync(TestNode node, HttpMethod method, string path, string cookie, (string Cookie, string Token)? antiforgery = null, HttpContent? body = null)
    {
        using var handler = new HttpClientHandler { UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = node.BaseAddress };
        using var request = new HttpRequestMessage(method, path) { Content = body };
        request.Headers.Add("Cookie", antiforgery is { } pair ? $"{cookie}; {pair.Cookie}" : cookie);
        if (antiforgery is { } header)
        {
            request.Headers.Add("X-CSRF-TOKEN", header.Token);
        }

        return (await client.SendAsync(request)).StatusCode;
    }
}
