using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Testing;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class FusionPageTests(WebWorld world)
{
    private static async Task<(Guid Person, string Title)> CreateAsync(TestUser user, string name, string passport)
    {
        var title = "Contrôle au port " + Guid.NewGuid().ToString("N")[..6];
        var request = RecordRequests.Valid(title);
        request["entities"] = new JsonArray(new JsonObject
        {
            ["ref"] = "p",
            ["type"] = "person",
            ["names"] = new JsonArray(name),
            ["dateOfBirth"] = "1979-11-04",
            ["identifiers"] = new JsonArray(new JsonObject { ["kind"] = "passport", ["value"] = passport, ["country"] = "MA" }),
        });
        request["links"] = new JsonArray();
        var created = await user.Client.PostAsJsonAsync("/api/v1/records", request);
        created.EnsureSuccessStatusCode();
        return ((await created.Content.ReadFromJsonAsync<JsonObject>())!["entities"]![0]!["id"]!.GetValue<Guid>(), title);
    }

    [Fact]
    public async Task An_analyst_confirms_a_proposed_match_with_a_purpose_and_sees_one_person_with_every_record()
    {
        var passport = "ZB" + Random.Shared.Next(100_000, 999_999);
        var (first, firstTitle) = await CreateAsync(world.Analyst, "Abdelilah Bouzoubaa", passport);
        var (_, secondTitle) = await CreateAsync(world.Analyst, "BOUZOUBAA Abdelilah", passport);

        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync($"/fusion?person={first}");
        await page.GetByLabel("Purpose of this search").FillAsync("Enquête 2026/233, Tanger");
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose matches" }).ClickAsync();

        var proposal = page.Locator("ol.candidates > li", new() { HasText = "BOUZOUBAA Abdelilah" });
        await Assertions.Expect(proposal).ToHaveCountAsync(1);
        await proposal.Locator("summary").ClickAsync();
        await Assertions.Expect(proposal.Locator("details")).ToContainTextAsync("identifier");
        await WebWorld.ScreenshotAsync(page, "fusion-en");
        await proposal.GetByRole(AriaRole.Button, new() { Name = "Same person" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Confirmed: shown as one person from now on.");
        proposal = page.Locator("ol.candidates > li", new() { HasText = "BOUZOUBAA Abdelilah" });
        await Assertions.Expect(proposal.Locator(".status")).ToHaveTextAsync("confirmed");

        // One person: both entries, each with the record behind it.
        await proposal.GetByRole(AriaRole.Link, new() { Name = "Abdelilah Bouzoubaa" }).ClickAsync();
        await Assertions.Expect(page.Locator("section.part")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(firstTitle);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(secondTitle);

        // The same page in Arabic reads right to left with its own words.
        await page.GetByRole(AriaRole.Button, new() { Name = "العربية" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("البطاقات المؤكد أنها لهذا الشخص:");

        // A legal reviewer is not allowed to resolve entities.
        await page.Context.CloseAsync();
        var officer = await world.NewPageAsync();
        await WebWorld.SignInAsync(officer, world.Reviewer);
        await officer.GotoAsync("/fusion?purpose=Enqu%C3%AAte%202026%2F233");
        await Assertions.Expect(officer.Locator("h1")).ToHaveTextAsync("Not allowed");
        await officer.Context.CloseAsync();
    }
}
