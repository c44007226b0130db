using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Testing;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class GrantAndDeclassificationTests(WebWorld world)
{
    [Fact]
    public async Task Administrator_rights_wait_for_a_second_administrator_who_approves_them_in_the_browser()
    {
        var name = "officer." + Guid.NewGuid().ToString("N")[..6];
        var created = await world.Admin.Client.PostAsJsonAsync("/api/v1/users", new { userName = name, displayName = "ضابط الاتصال", roles = new[] { "liaison-officer" }, clearance = "RESTRICTED" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        // "What waits for me" on the home page, before: the second administrator's count, and the asker's own.
        var second = await world.NewPageAsync();
        await WebWorld.SignInAsync(second, world.SecondAdmin);
        var waitingBefore = await WaitingAsync(second, "w-grants");
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Admin);
        var askerBefore = await WaitingAsync(page, "w-grants");
        await page.GotoAsync("/admin/grants");
        await page.GetByLabel("User", new() { Exact = true }).SelectOptionAsync(id.ToString());
        await page.GetByLabel("liaison officer").CheckAsync();
        await page.GetByLabel("administrator", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Clearance").SelectOptionAsync("CONFIDENTIAL");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the access" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("waits for a second administrator");
        var grant = page.Locator("article.grant", new() { HasText = name });
        await Assertions.Expect(grant).ToContainTextAsync("liaison officer, administrator");

        // The account is unchanged, and the administrator who asked may not approve their own grant.
        Assert.DoesNotContain("administrator", await RolesAsync(id));
        await grant.GetByRole(AriaRole.Button, new() { Name = $"Approve {name}" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Not allowed");
        await page.GotoAsync("/");
        Assert.Equal(askerBefore, await WaitingAsync(page, "w-grants"));
        await page.Context.CloseAsync();

        // It waits for the second administrator, who follows the home page's link to it.
        await second.GotoAsync("/");
        Assert.Equal(waitingBefore + 1, await WaitingAsync(second, "w-grants"));
        await second.GetByRole(AriaRole.Link, new() { Name = "See the grants" }).ClickAsync();
        await WebWorld.ScreenshotAsync(second, "grants-en");
        await second.GetByRole(AriaRole.Button, new() { Name = $"Approve {name}" }).ClickAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Status)).ToHaveTextAsync("Approved: the account has the new access.");
        await Assertions.Expect(second.Locator("section[aria-labelledby=decided] tr", new() { HasText = name })).ToContainTextAsync("approved");
        await Assertions.Expect(second.Locator("article.grant", new() { HasText = name })).ToHaveCountAsync(0);
        await second.GotoAsync("/");
        Assert.Equal(waitingBefore, await WaitingAsync(second, "w-grants"));
        await second.Context.CloseAsync();
        Assert.Contains("administrator", await RolesAsync(id));
    }

    [Fact]
    public async Task A_legal_reviewer_approves_one_lowered_marking_and_refuses_another_in_the_browser()
    {
        var approved = await HeldDeclassificationAsync("Filière de faux documents " + Guid.NewGuid().ToString("N")[..6]);
        var refused = await HeldDeclassificationAsync("Source protégée " + Guid.NewGuid().ToString("N")[..6]);

        // An analyst sees the list but the policy keeps the decision to legal reviewers.
        var analyst = await world.NewPageAsync();
        await WebWorld.SignInAsync(analyst, world.Analyst);
        await Assertions.Expect(analyst.Locator("#w-declassifications")).ToHaveCountAsync(0);
        await analyst.GotoAsync("/declassifications");
        await analyst.Locator("article", new() { HasText = approved.Title }).GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(analyst.Locator("h1")).ToHaveTextAsync("Not allowed");
        await analyst.Context.CloseAsync();

        var page = await world.NewPageAsync("fr-FR");
        await WebWorld.SignInAsync(page, world.Reviewer);
        var waiting = await WaitingAsync(page, "w-declassifications");
        Assert.True(waiting >= 2, $"the two held declassifications wait for the legal reviewer (home says {waiting})");
        await page.GetByRole(AriaRole.Link, new() { Name = "Voir les déclassements" }).ClickAsync();
        var first = page.Locator("article", new() { HasText = approved.Title });
        await Assertions.Expect(first.Locator(".banner").First).ToContainTextAsync("CONFIDENTIEL");
        await Assertions.Expect(first.Locator(".banner").Last).ToContainTextAsync("DIFFUSION RESTREINTE");
        await first.GetByLabel("Motif (conservé dans le journal d'audit)").FillAsync("Enquête close, source non exposée");
        await WebWorld.ScreenshotAsync(page, "declassifications-fr");
        await first.GetByRole(AriaRole.Button, new() { Name = "Approuver" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Approuvé");

        var second = page.Locator("article", new() { HasText = refused.Title });
        await second.GetByLabel("Motif (conservé dans le journal d'audit)").FillAsync("La source reste exposée");
        await second.GetByRole(AriaRole.Button, new() { Name = "Refuser" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Refusé");
        await Assertions.Expect(page.Locator("table tr", new() { HasText = refused.Title })).ToContainTextAsync("La source reste exposée");
        await page.GotoAsync("/");
        Assert.Equal(waiting - 2, await WaitingAsync(page, "w-declassifications"));
        await page.Context.CloseAsync();

        Assert.Equal("RESTRICTED", await ClassificationAsync(approved.Id));
        Assert.Equal("CONFIDENTIAL", await ClassificationAsync(refused.Id));
    }

    /// <summary>A confidential record of the analyst's, whose lowering to RESTRICTED waits for a legal reviewer.</summary>
    private async Task<(Guid Id, string Title)> HeldDeclassificationAsync(string title)
    {
        var request = RecordRequests.Valid(title, classification: "CONFIDENTIAL");
        request.Remove("entities");
        request.Remove("links");
        var created = await world.Analyst.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        request["marking"]!["classification"] = "RESTRICTED";
        var lowered = await world.Analyst.Client.PutAsJsonAsync($"/api/v1/records/{id}", request);
        Assert.Equal(HttpStatusCode.Accepted, lowered.StatusCode);
        return (id, title);
    }

    /// <summary>The count of one "what waits for me" panel of the home page the browser shows.</summary>
    private static async Task<int> WaitingAsync(IPage page, string panel)
    {
        var count = page.Locator($"section[aria-labelledby={panel}] .count");
        await Assertions.Expect(count).ToBeVisibleAsync();
        return int.Parse(await count.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> ClassificationAsync(Guid record) =>
        (await world.Analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{record}"))!["marking"]!["classification"]!.GetValue<string>();

    private async Task<List<string>> RolesAsync(Guid user) =>
        [.. (await world.Admin.Client.GetFromJsonAsync<JsonObject>($"/api/v1/users/{user}"))!["roles"]!.AsArray().Select(r => r!.GetValue<string>())];
}
