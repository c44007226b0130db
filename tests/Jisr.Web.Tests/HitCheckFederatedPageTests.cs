using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Testing;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

/// <summary>
/// A hit in the browser: two real federated nodes (HTTPS on loopback, peered, an agreement in force), ES-CNP's holdings
/// published as its filter to MA-DGST, and MA-DGST's analyst checking and asking through the page in French.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class HitCheckFederatedPageTests(WebWorld world) : IAsyncLifetime
{
    private TestNode _morocco = null!;
    private TestNode _spain = null!;

    public async Task InitializeAsync()
    {
        _morocco = await TestNode.StartFederatedAsync();
        _spain = await TestNode.StartFederatedAsync();
    }

    public async Task DisposeAsync()
    {
        await _morocco.DisposeAsync();
        await _spain.DisposeAsync();
    }

    [Fact]
    public async Task A_hit_names_the_partner_and_the_parts_and_its_request_form_reaches_the_partner()
    {
        var ma = await _morocco.AddAgencyAsync("MA-DGST");
        var es = await _spain.AddAgencyAsync("ES-CNP", "ES");
        var maAdmin = await _morocco.AddUserAsync(ma, "ma.admin", [Role.Administrator]);
        var esAdmin = await _spain.AddUserAsync(es, "es.admin", [Role.Administrator]);
        var maOperator = await _morocco.AddUserAsync(ma, "ma.operator", [Role.NodeAdministrator]);
        var esOperator = await _spain.AddUserAsync(es, "es.operator", [Role.NodeAdministrator]);
        var analyst = await _morocco.AddUserAsync(ma, "analyst.ma", [Role.Analyst], Classification.Secret, WebWorld.Password);
        var esAnalyst = await _spain.AddUserAsync(es, "analyst.es", [Role.Analyst]);
        Assert.True((await maOperator.Client.PostAsJsonAsync("/api/v1/federation/peers", new { url = _spain.BaseAddress.ToString(), fingerprint = _spain.Fingerprint })).IsSuccessStatusCode);
        Assert.True((await esOperator.Client.PostAsJsonAsync("/api/v1/federation/peers", new { url = _morocco.BaseAddress.ToString(), fingerprint = _morocco.Fingerprint })).IsSuccessStatusCode);
        var proposed = await maAdmin.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = "ES-CNP",
            threatDomains = new[] { "drug-trafficking", "organised-crime" },
            highestClassification = "CONFIDENTIAL",
            handlingCodes = new[] { "H1", "H2" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30),
        });
        var agreement = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await HoldsAsync(async () => (await esAdmin.Client.GetAsync($"/api/v1/agreements/{agreement}")).IsSuccessStatusCode, "the proposal reaches ES-CNP");
        Assert.Equal(HttpStatusCode.OK, (await esAdmin.Client.PostAsync($"/api/v1/agreements/{agreement}/accept", null)).StatusCode);
        await HoldsAsync(async () => (await maAdmin.Client.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{agreement}"))!["status"]!.GetValue<string>() == "in-force", "the acceptance reaches MA-DGST");

        var record = RecordRequests.Valid(title: "Suivi");
        record["entities"]!.AsArray().Add(new JsonObject { ["ref"] = "x0", ["type"] = "person", ["names"] = new JsonArray("Youssef El Idrissi") });
        Assert.Equal(HttpStatusCode.Created, (await esAnalyst.Client.PostAsJsonAsync("/api/v1/records", record)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await esOperator.Client.PostAsync("/api/v1/hits/filters/publish", null)).StatusCode);
        await HoldsAsync(
            async () =>
            {
                await using var db = _morocco.Database.Open();
                return db.AuditLog.Any(e => e.Action == Jisr.Storage.Audit.AuditActions.HitFilterReceive);
            },
            "MA-DGST takes ES-CNP's filter");

        var context = await world.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _morocco.BaseAddress.ToString(),
            Locale = "fr-FR",
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },

            // The node's certificate is made from its own federation key: no public authority vouches for it.
            IgnoreHTTPSErrors = true,
        });
        context.SetDefaultTimeout(WebWorld.WaitLimitMs);
        context.SetDefaultNavigationTimeout(WebWorld.WaitLimitMs);
        var page = await context.NewPageAsync();
        await WebWorld.SignInAsync(page, analyst);
        await page.GotoAsync("/hits");

        // One part of the held name only: a possible hit, said so in the heading, beside the partner and in a hint.
        await page.GetByLabel("Nom ou identifiant").FillAsync("Karim Idrissi");
        await page.GetByLabel("Finalité de ce contrôle").FillAsync("Enquête 2026/119");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".hit-result")).ToHaveTextAsync("Concordance possible : un partenaire détient un nom plus long qui contient une partie du vôtre");
        await Assertions.Expect(page.Locator("ul.hits li[data-strength=possible]")).ToContainTextAsync("(concordance possible)");
        await Assertions.Expect(page.Locator("ul.hits li")).ToContainTextAsync("idrissi");

        await page.GetByLabel("Nom ou identifiant").FillAsync("يوسف الإدريسي");
        await page.GetByLabel("Finalité de ce contrôle").FillAsync("Enquête 2026/119");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".hit-result")).ToHaveTextAsync("Concordance : un partenaire détient peut-être quelque chose");
        await Assertions.Expect(page.Locator("ul.hits li[data-strength=hit]")).ToContainTextAsync("ES-CNP");
        await Assertions.Expect(page.Locator("ul.hits li")).ToContainTextAsync("+");

        // The request needs its legal basis: the message stands beside the field, and nothing is sent.
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).ClickAsync();
        await Assertions.Expect(page.Locator("#LegalBasis-error")).ToHaveTextAsync("Ce champ est obligatoire.");
        await page.GetByLabel("Base juridique").FillAsync("Accord bilatéral 2012, art. 7");
        await page.GetByLabel("Urgence").SelectOptionAsync("urgent");
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Demande envoyée au partenaire.");
        var sent = page.Locator("article.hit-request");
        await Assertions.Expect(sent.Locator("h2")).ToContainTextAsync("Envoyée à · ES-CNP");
        await Assertions.Expect(sent.Locator(".status")).ToHaveTextAsync("ouverte");
        await Assertions.Expect(sent.Locator(".legal-basis")).ToHaveTextAsync("Accord bilatéral 2012, art. 7");

        // The owner is told: ES-CNP's node keeps the request with who asked and why.
        await HoldsAsync(async () => (await esAdmin.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/requests"))!.Count == 1, "the request reaches ES-CNP");
        var received = (await esAdmin.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/requests"))![0]!;
        Assert.Equal("received", received["direction"]!.GetValue<string>());
        Assert.Equal("Enquête 2026/119", received["request"]!["purpose"]!.GetValue<string>());
        Assert.Equal("urgent", received["request"]!["urgency"]!.GetValue<string>());
        await context.CloseAsync();
    }

    private static async Task HoldsAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"not within 60 s: {what}");
    }
}
