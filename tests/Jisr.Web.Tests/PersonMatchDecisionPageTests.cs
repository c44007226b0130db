using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Testing;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

/// <summary>The Persons page shows each candidate's decision ("match" or "possible") as the API gives it, in the three languages.</summary>
[Collection(WebCollection.Name)]
public sealed class PersonMatchDecisionPageTests(WebWorld world)
{
    [Fact]
    public async Task Each_candidate_shows_the_decision_the_API_gives_it_in_the_three_languages()
    {
        // A family name no other test uses, so this person's line is found by its name.
        var family = "Zerhouni" + string.Concat(Guid.NewGuid().ToString("N")[..5].Select(c => (char)('a' + (c % 16))));
        var name = $"Smail {family}";
        var request = RecordRequests.Valid("Contrôle à Oujda " + family);
        request["entities"] = new JsonArray(new JsonObject { ["ref"] = "p", ["type"] = "person", ["names"] = new JsonArray(name) });
        request["links"] = new JsonArray();
        var created = await world.Analyst.Client.PostAsJsonAsync("/api/v1/records", request);
        created.EnsureSuccessStatusCode();
        var person = (await created.Content.ReadFromJsonAsync<JsonObject>())!["entities"]![0]!["id"]!.GetValue<Guid>();

        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);

        // The whole name: a match on the page and in the API.
        await SearchAsync(page, name);
        var line = CandidateLine(page, person);
        await Assertions.Expect(line.Locator(".decision")).ToHaveAttributeAsync("data-decision", "match");
        await Assertions.Expect(line.Locator(".decision strong")).ToHaveTextAsync("Match");
        Assert.Equal("match", await ApiDecisionAsync(name, person));
        await Assertions.Expect(page.Locator("#decision-hint")).ToContainTextAsync("74");

        // The family name alone is a partial name: possible, never a match, on the page as in the API.
        await SearchAsync(page, family);
        line = CandidateLine(page, person);
        await Assertions.Expect(line.Locator(".decision")).ToHaveAttributeAsync("data-decision", "possible");
        await Assertions.Expect(line.Locator(".decision strong")).ToHaveTextAsync("Possible");
        Assert.Equal("possible", await ApiDecisionAsync(family, person));

        // The decision reads in French and in Arabic; the page's language changes the words, not the decision.
        await page.GetByRole(AriaRole.Button, new() { Name = "Français" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        await Assertions.Expect(CandidateLine(page, person).Locator(".decision")).ToContainTextAsync("Décision");
        await Assertions.Expect(CandidateLine(page, person).Locator(".decision")).ToHaveAttributeAsync("data-decision", "possible");
        await SearchAsync(page, name);
        await Assertions.Expect(CandidateLine(page, person).Locator(".decision strong")).ToHaveTextAsync("Correspondance");
        await page.GetByRole(AriaRole.Button, new() { Name = "العربية" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ar");
        await Assertions.Expect(CandidateLine(page, person).Locator(".decision strong")).ToHaveTextAsync("مطابقة");
        await WebWorld.ScreenshotAsync(page, "persons-decision-ar");
        await page.Context.CloseAsync();
    }

    private static async Task SearchAsync(IPage page, string name) =>
        await page.GotoAsync($"/persons?name={Uri.EscapeDataString(name)}&purpose={Uri.EscapeDataString("Enquête 2026/311, Oujda")}");

    private static ILocator CandidateLine(IPage page, Guid person) =>
        page.Locator("ol.candidates > li", new() { Has = page.Locator($"a[href^='/persons/{person}']") });

    private async Task<string> ApiDecisionAsync(string name, Guid person)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/persons/match?name={Uri.EscapeDataString(name)}");
        request.Headers.Add("X-Jisr-Purpose", "Enquete 2026/311, Oujda"); // a header is ASCII
        using var answer = await world.Analyst.Client.SendAsync(request);
        answer.EnsureSuccessStatusCode();
        var items = (await answer.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray();
        return items.Single(i => i!["person"]!["id"]!.GetValue<Guid>() == person)!["decision"]!.GetValue<string>();
    }
}
