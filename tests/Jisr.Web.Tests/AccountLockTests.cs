using System.Net.Http.Json;
using Jisr.Domain.Users;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

/// <summary>
/// Too many failed sign-ins on one account name hold that name for the limiter's window (the node's decision: a
/// throttle per account name, not an Identity lockout; see docs/web.md): the page says so in the reader's language,
/// with the wait, for an existing and an unknown name alike; other accounts signing in from the same address and the
/// held account's API tokens are not affected.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AccountLockTests(WebWorld world)
{
    [Fact]
    public async Task A_held_account_is_told_in_Arabic_and_nothing_else_is_held()
    {
        var name = "held." + Guid.NewGuid().ToString("N")[..8];
        var user = await world.Node.AddUserAsync(world.Analyst.Agency, name, [Role.Analyst], password: WebWorld.Password);
        var limit = WebWorld.GenerousLimits.FailuresPerAccount;
        var page = await world.NewPageAsync("ar");
        var alert = page.GetByRole(AriaRole.Alert);
        await page.GotoAsync("/sign-in");

        for (var attempt = 0; attempt < limit; attempt++)
        {
            Assert.Equal(200, await SubmitAsync(page, name, "not-the-password"));
            await Assertions.Expect(alert).ToContainTextAsync("فشل تسجيل الدخول");
        }

        // The right password now: held, said apart from a wrong password, with 429, and no session.
        Assert.Equal(429, await SubmitAsync(page, name, WebWorld.Password));
        await Assertions.Expect(alert).ToContainTextAsync("أُقفل لمدة");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "jisr.session");

        // An unknown name is held alike after as many failures: the message tells nobody which names exist.
        var unknown = "nobody." + Guid.NewGuid().ToString("N")[..8];
        for (var attempt = 0; attempt < limit; attempt++)
        {
            Assert.Equal(200, await SubmitAsync(page, unknown, "not-the-password"));
            await Assertions.Expect(alert).ToContainTextAsync("فشل تسجيل الدخول");
        }

        Assert.Equal(429, await SubmitAsync(page, unknown, WebWorld.Password));
        await Assertions.Expect(alert).ToContainTextAsync("أُقفل لمدة");

        // The held account's API token still works, and a colleague signs in from the same browser.
        var me = await user.Client.GetAsync("/api/v1/me");
        Assert.True(me.IsSuccessStatusCode, $"GET /api/v1/me answered {(int)me.StatusCode}");
        await WebWorld.SignInAsync(page, world.Analyst);
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == "jisr.session");

        // The API's login refuses the held name too (one throttle for both doors).
        using var api = new HttpClient { BaseAddress = world.Node.BaseAddress };
        var login = await api.PostAsJsonAsync("/api/v1/auth/login", new { userName = name, password = WebWorld.Password });
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, login.StatusCode);
        await page.Context.CloseAsync();
    }

    /// <summary>Posts the form and waits for the page it answers with; its status.</summary>
    /// <remarks>
    /// The page that posted is marked, and the wait is for a parsed page without the mark: the answer's own document.
    /// Waiting for its DOMContentLoaded event instead timed out once in CI (the event of a navigation to the same
    /// address went unreported, though the page was there).
    /// </remarks>
    private static async Task<int> SubmitAsync(IPage page, string userName, string password)
    {
        await page.Locator("#UserName").FillAsync(userName);
        await page.Locator("#Password").FillAsync(password);
        await page.EvaluateAsync("() => { window.jisrPosted = true; }");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.Locator("main form button[type=submit]").ClickAsync(),
            r => r.Request.Method == "POST" && r.Request.IsNavigationRequest);
        await page.WaitForFunctionAsync("() => window.jisrPosted === undefined && document.readyState !== 'loading'");
        return response.Status;
    }
}
