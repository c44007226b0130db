using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Testing;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class LegalAndAdminTests(WebWorld world)
{
    [Fact]
    public async Task The_legal_reviewer_extends_a_record_due_for_review_with_a_reason()
    {
        var title = "Dossier à réexaminer " + Guid.NewGuid().ToString("N")[..6];
        var request = RecordRequests.Valid(title);
        request["reviewDate"] = DateOnly.FromDateTime(DateTime.UtcNow).ToString("O", CultureInfo.InvariantCulture);
        var created = await world.Analyst.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Reviewer);
        await page.GotoAsync("/review");
        var item = page.Locator("article", new() { HasText = title });
        await item.GetByLabel("Reason (kept in the audit log)").FillAsync("Enquête toujours ouverte");
        await item.GetByLabel("Next review date (to keep it)").FillAsync("2028-01-31");
        await item.GetByRole(AriaRole.Button, new() { Name = "Keep until the next review" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Kept: the next review date is set.");
        await Assertions.Expect(page.Locator("article", new() { HasText = title })).ToHaveCountAsync(0);

        var read = await world.Analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{id}");
        Assert.Equal("2028-01-31", read!["reviewDate"]!.GetValue<string>());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_subject_access_report_groups_by_record_and_names_the_linked_entities()
    {
        var title = "Rapport pour l'accès " + Guid.NewGuid().ToString("N")[..6];
        var created = await world.Analyst.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title));
        var person = (await created.Content.ReadFromJsonAsync<JsonObject>())!["entities"]!.AsArray().First(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();

        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Reviewer);
        await page.GotoAsync($"/persons/{person}/subject-access");
        await page.GetByLabel("Purpose of this report (e.g. the request's reference)").FillAsync("Demande d'accès 2026-031");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make the report" }).ClickAsync();

        var record = page.Locator("article.report-record", new() { HasText = title });
        await Assertions.Expect(record).ToHaveCountAsync(1);
        await Assertions.Expect(record.Locator(".report-links li")).ToHaveTextAsync("يوسف الإدريسي — owns → +212 6-61 23 45 67 (2024-01–)");
        Assert.DoesNotContain(person.ToString(), await record.InnerTextAsync(), StringComparison.Ordinal);
        await WebWorld.ScreenshotAsync(page, "subject-access-en");

        // An analyst may not make one: the policy's refusal, as a page.
        var analyst = await world.NewPageAsync();
        await WebWorld.SignInAsync(analyst, world.Analyst);
        var refused = await analyst.GotoAsync($"/persons/{person}/subject-access?purpose=curiosity");
        Assert.Equal(403, refused!.Status);
        await analyst.Context.CloseAsync();

        // The audit page shows the report, who made it and why.
        await page.GotoAsync("/audit");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("Demande d'accès 2026-031");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_administrator_creates_and_disables_a_user_and_an_analyst_may_not_open_the_page()
    {
        var name = "officer." + Guid.NewGuid().ToString("N")[..6];
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Admin);
        await page.GotoAsync("/admin");
        await page.GetByLabel("User name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Full name").FillAsync("Salma Benjelloun");
        await page.GetByLabel("field officer").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the user" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("User created.");
        var row = page.Locator("tr", new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync("field officer");
        await row.GetByRole(AriaRole.Button, new() { Name = "Disable " + name }).ClickAsync();
        await Assertions.Expect(page.Locator("tr", new() { HasText = name })).ToContainTextAsync("disabled");
        await page.Context.CloseAsync();

        var analyst = await world.NewPageAsync();
        await WebWorld.SignInAsync(analyst, world.Analyst);
        Assert.Equal(0, await analyst.GetByRole(AriaRole.Link, new() { Name = "Administration" }).CountAsync());
        var refused = await analyst.GotoAsync("/admin");
        Assert.Equal(403, refused!.Status);
        await analyst.Context.CloseAsync();
    }

    [Fact]
    public async Task A_token_issued_on_the_account_page_is_shown_once_and_works_on_the_api()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync("/account");
        await page.GetByLabel("Token name").FillAsync("script de synchronisation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue the token" }).ClickAsync();
        await Assertions.Expect(page.Locator("#issued-token")).Not.ToBeEmptyAsync();
        var secret = (await page.Locator("#issued-token").TextContentAsync())!;

        using var client = world.Node.CreateClient(secret);
        var me = await client.GetFromJsonAsync<JsonObject>("/api/v1/me");
        Assert.Equal(world.Analyst.UserName, me!["userName"]!.GetValue<string>());

        await page.GotoAsync("/account");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke script de synchronisation" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Token revoked.");
        using var revoked = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        revoked.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(revoked)).StatusCode);
        await page.Context.CloseAsync();
    }
}
