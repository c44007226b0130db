using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Jisr.Testing;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class SignInTests(WebWorld world)
{
    [Fact]
    public async Task A_page_asked_for_without_a_session_goes_to_sign_in_and_back_to_it()
    {
        var page = await world.NewPageAsync();
        await page.GotoAsync("/records");
        Assert.Matches("/sign-in\\?returnUrl=%2Frecords$", page.Url);

        await page.GetByLabel("User name").FillAsync(world.Analyst.UserName);
        await page.GetByLabel("Password").FillAsync(WebWorld.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/records$"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Records");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_return_address_on_another_site_is_not_followed()
    {
        var page = await world.NewPageAsync();
        await page.GotoAsync("/sign-in?returnUrl=" + Uri.EscapeDataString("//evil.example/steal"));
        await page.GetByLabel("User name").FillAsync(world.Analyst.UserName);
        await page.GetByLabel("Password").FillAsync(WebWorld.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(world.Node.BaseAddress.ToString());

        Assert.Equal(world.Node.BaseAddress.ToString(), page.Url);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_legal_reviewer_needs_the_authenticator_code_and_a_wrong_password_says_nothing_about_the_account()
    {
        var page = await world.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("User name").FillAsync(world.Reviewer.UserName);
        await page.GetByLabel("Password").FillAsync(WebWorld.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // The message stands beside the code field, and the session cookie is not set.
        await Assertions.Expect(page.Locator("#Code-error")).ToContainTextAsync("second factor");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "jisr.session");

        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Sign-in failed");

        await WebWorld.SignInAsync(page, world.Reviewer);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Records due for review" })).ToBeVisibleAsync();
        var session = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "jisr.session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/sign-in$"));

        await page.GotoAsync("/");
        Assert.Contains("/sign-in", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pages_carry_a_strict_content_security_policy()
    {
        var page = await world.NewPageAsync();
        var response = await page.GotoAsync("/sign-in");
        var headers = await response!.AllHeadersAsync();
        var csp = headers["content-security-policy"];
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);

        // No inline script at all in the page: every script is a file of the node's own.
        Assert.Equal(0, await page.Locator("script:not([src])").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_sign_in_page_shares_the_API_logins_per_client_limit_and_refuses_in_the_users_language()
    {
        // A node of its own with three attempts a minute per address (the world's node has a generous limit).
        await using var node = await TestNode.StartAsync(signInLimits: new Jisr.Server.Auth.SignInLimits { PerClient = 3 });
        var agency = await node.AddAgencyAsync("MA-DGST");
        var analyst = await node.AddUserAsync(agency, "analyst.limit", [Jisr.Domain.Users.Role.Analyst], password: WebWorld.Password);
        var page = await world.NewPageAsync("fr-FR", node: node.BaseAddress);

        // Showing the form does not count: only the posts do.
        for (var i = 0; i < 5; i++)
        {
            await page.GotoAsync("/sign-in?returnUrl=%2Frecords");
        }

        for (var attempt = 0; attempt < 2; attempt++)
        {
            await page.Locator("#UserName").FillAsync(analyst.UserName);
            await page.Locator("#Password").FillAsync("not-the-password");
            await page.Locator("main form button[type=submit]").ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Échec de la connexion");
        }

        // The third attempt of the minute is spent on the API's login from the same address: the same limiter.
        using var api = new HttpClient { BaseAddress = node.BaseAddress };
        var login = await api.PostAsJsonAsync("/api/v1/auth/login", new { userName = "someone.else", password = "x" });
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, login.StatusCode);

        // The fourth, with the right password, is refused on the page, in French, with the return address kept.
        await page.Locator("#UserName").FillAsync(analyst.UserName);
        await page.Locator("#Password").FillAsync(WebWorld.Password);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Trop de tentatives : attendez quelques minutes puis réessayez.");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        Assert.Equal("/records", await page.Locator("#ReturnUrl").InputValueAsync());
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "jisr.session");

        // And the API's login answers 429 for that address now, as before.
        var refused = await api.PostAsJsonAsync("/api/v1/auth/login", new { userName = analyst.UserName, password = WebWorld.Password });
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, refused.StatusCode);
        await page.Context.CloseAsync();
    }
}
