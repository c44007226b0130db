using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class SharingTests(WebWorld world)
{
    [Fact]
    public async Task An_administrator_proposes_an_agreement_the_partner_accepts_and_then_suspends_it_with_a_reason()
    {
        var code = "DZ-" + Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        var partner = await world.Node.AddAgencyAsync(code, "DZ");
        var partnerAdmin = await world.Node.AddUserAsync(partner, "admin." + code.ToLowerInvariant(), [Role.Administrator]);

        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Admin);
        await page.GotoAsync("/agreements");
        await page.GetByLabel("Partner agency (code)").FillAsync(code);
        await page.GetByLabel("Migrant smuggling").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Proposed");
        var agreement = page.Locator("article", new() { HasText = code });
        await Assertions.Expect(agreement.Locator(".status")).ToHaveTextAsync("proposed");

        var listed = await partnerAdmin.Client.GetFromJsonAsync<JsonArray>("/api/v1/agreements");
        var id = listed!.Single(a => a!["proposer"]!["code"]!.GetValue<string>() == "MA-DGSN")!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await partnerAdmin.Client.PostAsJsonAsync($"/api/v1/agreements/{id}/accept", new { })).StatusCode);

        await page.ReloadAsync();
        agreement = page.Locator("article", new() { HasText = code });
        await Assertions.Expect(agreement.Locator(".status")).ToHaveTextAsync("in force");
        await agreement.GetByLabel("Reason (kept in the audit log)").FillAsync("Audit de sécurité en cours chez le partenaire");
        await agreement.GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await Assertions.Expect(page.Locator("article", new() { HasText = code }).Locator(".status")).ToHaveTextAsync("suspended");
        await Assertions.Expect(page.Locator("article", new() { HasText = code })).ToContainTextAsync("Audit de sécurité en cours chez le partenaire");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_holder_of_a_received_copy_asks_its_originator_for_consent_to_pass_it_on()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync($"/records/{world.PartnerCopy}");
        Assert.Equal(0, await page.GetByLabel("Partner agency (code)").CountAsync());
        await page.GetByLabel("Agency to pass it on to (code)").FillAsync("FR-" + Guid.NewGuid().ToString("N")[..4]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask the originator's consent" }).ClickAsync();
        await Assertions.Expect(page.Locator("#ConsentAgency-error, .errors").First).ToContainTextAsync("agency");

        var third = await world.Node.AddAgencyAsync("FR-" + Guid.NewGuid().ToString("N")[..4].ToUpperInvariant(), "FR");
        await page.GetByLabel("Agency to pass it on to (code)").FillAsync(third.Code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask the originator's consent" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Consent asked of the originator.");

        await page.GotoAsync("/consents");
        var row = page.Locator("tr", new() { HasText = third.Code });
        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("pending");
        await page.Context.CloseAsync();
    }
}
