using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jisr.Testing;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class PersonAndNoticeTests(WebWorld world)
{
    [Fact]
    public async Task A_person_written_in_Arabic_is_found_by_a_Latin_transliteration_with_the_explanation()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        var title = "تحركات مشبوهة في الناظور " + Guid.NewGuid().ToString("N")[..6];
        await RecordPageTests.CreateAsync(page, title, "لوحظ المعني بالأمر قرب الحدود.", personNames: "يوسف بن محمد العلوي");

        await page.GotoAsync("/persons");
        await page.GetByLabel("Name, in any script").FillAsync("Youssef Ben Mohamed Alaoui");
        await page.GetByLabel("Purpose of this search").FillAsync("Enquête 2026/207, Nador");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();

        var candidate = page.Locator("ol.candidates > li").First;
        await Assertions.Expect(candidate.GetByRole(AriaRole.Link)).ToHaveTextAsync("يوسف بن محمد العلوي");
        await candidate.Locator("summary").ClickAsync();
        Assert.True(await candidate.Locator("details tbody tr").CountAsync() >= 3, "one explained row per matched part");
        await WebWorld.ScreenshotAsync(page, "persons-en");

        // In French, each part says how it matched in French; the compared skeletons stay as they are.
        await page.GetByRole(AriaRole.Button, new() { Name = "Français" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        candidate = page.Locator("ol.candidates > li").First;
        await candidate.Locator("summary").ClickAsync();
        await Assertions.Expect(candidate.Locator("details tbody")).ToContainTextAsync("translittération (");
        await Assertions.Expect(candidate.Locator("details tbody")).Not.ToContainTextAsync("transliteration");

        await candidate.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.Locator("section[aria-labelledby=mentions] table")).ToContainTextAsync(title);

        // The search and its purpose are in the audit trail, as with the API.
        var audit = await world.Reviewer.Client.GetFromJsonAsync<JsonArray>("/api/v1/audit?limit=50");
        Assert.Contains(audit!, e => e!.ToJsonString().Contains("2026/207, Nador", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_person_page_draws_the_neighbour_graph_with_cytoscape_under_the_strict_policy()
    {
        var created = await world.Analyst.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid("Réunion au port " + Guid.NewGuid().ToString("N")[..6]));
        var person = (await created.Content.ReadFromJsonAsync<JsonObject>())!["entities"]!.AsArray().First(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();

        var page = await world.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                violations.Add(message.Text);
            }
        };
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync($"/persons/{person}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("يوسف الإدريسي");
        await Assertions.Expect(page.Locator("section[aria-labelledby=identity] dt", new() { HasText = "Passport" })).ToBeVisibleAsync();
        await page.GetByLabel("Purpose of this search").FillAsync("Enquête 2026/114");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the graph" }).ClickAsync();

        await Assertions.Expect(page.Locator("#graph canvas").First).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => window.jisrGraph && window.jisrGraph.nodes().length === 2 && window.jisrGraph.edges().length === 1");
        Assert.Equal("owns", await page.EvaluateAsync<string>("() => window.jisrGraph.edges()[0].data('label')"));
        Assert.Empty(violations);
        await WebWorld.ScreenshotAsync(page, "person-en");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_notice_with_political_character_is_held_and_the_legal_reviewer_clears_it()
    {
        var created = await world.Analyst.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid("Signalement " + Guid.NewGuid().ToString("N")[..6]));
        var person = (await created.Content.ReadFromJsonAsync<JsonObject>())!["entities"]!.AsArray().First(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();
        var title = "Recherché : financement d'un réseau " + Guid.NewGuid().ToString("N")[..6];

        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync($"/persons/{person}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Issue a notice" }).ClickAsync();
        await page.GetByLabel("Kind of notice").SelectOptionAsync("red");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Offence").FillAsync("financement du terrorisme");
        await page.GetByLabel("Summary").FillAsync("Présenté comme opposant politique par ses soutiens ; transferts vers un groupe armé.");
        await page.GetByLabel("Threat domain").SelectOptionAsync("terrorism");
        await page.GetByLabel("Recipient agencies (codes)").FillAsync("TN-DGSN");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue", Exact = true }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/notices$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Held: the neutrality screen");
        var notice = page.Locator("article", new() { HasText = title });
        await Assertions.Expect(notice.Locator(".status")).ToHaveTextAsync("held for review");
        await Assertions.Expect(notice.Locator(".findings")).ToContainTextAsync("Political character: “opposant politique”");

        // The analyst may not clear their own agency's held notice: only a legal reviewer may.
        await notice.GetByRole(AriaRole.Button, new() { Name = "Clear and issue" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Not allowed");
        await page.Context.CloseAsync();

        var reviewer = await world.NewPageAsync();
        await WebWorld.SignInAsync(reviewer, world.Reviewer);
        await Assertions.Expect(reviewer.Locator("section[aria-labelledby=w-notices] .count")).Not.ToHaveTextAsync("0");
        await reviewer.GotoAsync("/notices");
        var held = reviewer.Locator("article", new() { HasText = title });
        await held.GetByLabel("Reason (kept in the audit log)").FillAsync("Infraction de droit commun, pas de caractère politique");
        await WebWorld.ScreenshotAsync(reviewer, "notices-en");
        await held.GetByRole(AriaRole.Button, new() { Name = "Clear and issue" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Status)).ToHaveTextAsync("Cleared: the notice is issued.");
        await Assertions.Expect(reviewer.Locator("article", new() { HasText = title }).Locator(".status")).ToHaveTextAsync("issued");

        // The findings read in Arabic too, with the phrase the screen found as it was found.
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "العربية" }).ClickAsync();
        var arabic = reviewer.Locator("article", new() { HasText = title }).Locator(".findings li").First;
        await Assertions.Expect(arabic).ToHaveTextAsync("طابع سياسي: «opposant politique»");
        Assert.Null(await arabic.GetAttributeAsync("lang"));
        await reviewer.Context.CloseAsync();
    }
}
