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
        foreach (var node in new[] { issuer, other })
        {
            await node.AddUserAsync(await node.AddAgencyAsync("MA-SES"), "admin.ses", [Role.Administrator], Classification.Secret, Password);
        }

        var cookie = await SignInAsync(issuer);

        Assert.Equal(HttpStatusCode.OK, await MeAsync(issuer, cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(other, cookie));
    }

    [Fact]
    public async Task ASessionCookie_OutlivesARestartOfItsNode()
    {
        await using var first = await TestNode.StartAsync();
        await first.AddUserAsync(await first.AddAgencyAsync("MA-RST"), "admin.rst", [Role.Administrator], Classification.Secret, Password);
        var cookie = await SignInAsync(first, "admin.rst");

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
        await node.AddUserAsync(await node.AddAgencyAsync("MA-OUT"), "admin.out", [Role.Administrator], Classification.Secret, Password);
        var cookie = await SignInAsync(node, "admin.out");
        var copy = cookie;
        Assert.Equal(HttpStatusCode.OK, await MeAsync(node, cookie));

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(node, HttpMethod.Post, "/api/v1/auth/logout", cookie));

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(node, copy));
    }

    [Fact]
    public async Task ASessionCookie_StopsWorkingWhenItsAccountIsLocked_AndFollowsAChangeOfRoles()
    {
        await using var node = await TestNode.StartAsync();
        var user = await node.AddUserAsync(await node.AddAgencyAsync("MA-LCK"), "admin.lck", [Role.Administrator], Classification.Secret, Password);
        var cookie = await SignInAsync(node, "admin.lck");
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
            db.Users.Single(u => u.Id == user.Id).LockoutEnd = DateTimeOffset.UtcNow.AddHours(1);
            await db.SaveChangesAsync();
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(node, cookie));
    }

    private static async Task<string> SignInAsync(TestNode node, string userName = "admin.ses")
    {
        using var handler = new HttpClientHandler { UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = node.BaseAddress };
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password = Password });
        Assert.Equal(HttpStatusCode.NoContent, login.StatusCode);
        return login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("jisr.session=", StringComparison.Ordinal)).Split(';')[0];
    }

    private static Task<HttpStatusCode> MeAsync(TestNode node, string cookie) => SendAsync(node, HttpMethod.Get, "/api/v1/me", cookie);

    private static async Task<HttpStatusCode> SendAsync(TestNode node, HttpMethod method, string path, string cookie)
    {
        using var handler = new HttpClientHandler { UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = node.BaseAddress };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        return (await client.SendAsync(request)).StatusCode;
    }
}
