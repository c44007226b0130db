using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Jisr.Domain.Users;
using Jisr.Testing;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

/// <summary>
/// Entities other than persons changed in place on the record's edit form (the same <c>PUT</c> service, policy and
/// audit as the API), an entity's network page (the API graph endpoint's service), and the fusion link shown only to
/// those the policy lets use fusion.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class EntityEditAndNetworkTests(WebWorld world)
{
    private const string Iban = "FR76 3000 6000 0112 3456 7890 189";

    [Fact]
    public async Task The_author_changes_an_organisation_a_vehicle_and_a_phone_in_place_in_French_and_the_links_follow()
    {
        var (id, record) = await CreateAsync("Flotte de Tanger");
        var person = EntityId(record, "person");
        var page = await world.NewPageAsync("fr-FR");
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync($"/records/{id}/edit");

        // Each attribute has its own labelled field, in French, holding what the store holds.
        await Assertions.Expect(page.GetByLabel("Nom de Transports Rif Express")).ToHaveValueAsync("Transports Rif Express");
        await Assertions.Expect(page.GetByLabel("Immatriculation de 12345-A-6")).ToHaveValueAsync("12345-A-6");
        await Assertions.Expect(page.GetByLabel("Marque de 12345-A-6")).ToHaveValueAsync("Renault");
        await Assertions.Expect(page.GetByLabel("IBAN de " + Iban)).ToHaveValueAsync(Iban);

        // A bad IBAN is refused beside its own field, in French, with what was typed kept; nothing is stored.
        await page.GetByLabel("IBAN de " + Iban).FillAsync("FR00 1234");
        await page.GetByLabel("Nom de Transports Rif Express").FillAsync("Rif Express Logistique");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer les modifications" }).ClickAsync();
        var ibanError = page.Locator("[id$='-iban-error']");
        await Assertions.Expect(ibanError).ToContainTextAsync("« FR00 1234 » n'est pas un IBAN valide");
        await Assertions.Expect(page.GetByLabel("IBAN de " + Iban)).ToHaveValueAsync("FR00 1234");
        await NoSeriousAxeViolationAsync(page);
        var unchanged = await ReadAsync(id);
        Assert.Equal(EntityId(record, "organisation"), EntityId(unchanged, "organisation"));

        await page.GetByLabel("IBAN de " + Iban).FillAsync(Iban);
        await page.GetByLabel("Immatriculation de 12345-A-6").FillAsync("12345-B-6");
        await page.GetByLabel("Couleur de 12345-A-6").FillAsync("blanc");
        await page.GetByLabel("Numéro de +212600112233").FillAsync("+212 600 99 88 77");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer les modifications" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Enregistré.");

        var read = await ReadAsync(id);
        var organisation = Entity(read, "organisation");
        Assert.NotEqual(EntityId(record, "organisation"), organisation["id"]!.GetValue<Guid>());
        Assert.Equal("Rif Express Logistique", organisation["label"]!.GetValue<string>());
        Assert.Equal("MA", organisation["country"]!.GetValue<string>());
        Assert.Equal(["TRE"], organisation["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        var vehicle = Entity(read, "vehicle");
        Assert.Equal("12345-B-6", vehicle["label"]!.GetValue<string>());
        Assert.Equal(("Renault", "blanc"), (vehicle["make"]!.GetValue<string>(), vehicle["colour"]!.GetValue<string>()));
        Assert.Equal(EntityId(record, "bank-account"), EntityId(read, "bank-account"));
        Assert.Equal(EntityId(record, "person"), person);

        // The links that named the old entities name the new ones, with their types.
        var links = read["links"]!.AsArray().Select(l => (From: l!["from"]!.GetValue<Guid>(), To: l["to"]!.GetValue<Guid>(), Type: l["type"]!.GetValue<string>())).ToList();
        Assert.Equal(4, links.Count);
        Assert.Contains((person, organisation["id"]!.GetValue<Guid>(), "member-of"), links);
        Assert.Contains((person, vehicle["id"]!.GetValue<Guid>(), "owns"), links);
        Assert.Contains((person, EntityId(read, "phone"), "called"), links);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_change_in_place_by_someone_the_policy_does_not_let_edit_is_refused_and_changes_nothing()
    {
        var (id, record) = await CreateAsync("Flotte d'Agadir");
        var page = await world.NewPageAsync();

        // The legal reviewer reads the record, but is neither its author nor an editor: the same decision as the API's PUT.
        await WebWorld.SignInAsync(page, world.Reviewer);
        await page.GotoAsync($"/records/{id}/edit");
        await page.GetByLabel("Name of Transports Rif Express").FillAsync("Autre nom");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Save the changes" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Request.IsNavigationRequest);
        Assert.Equal(403, response.Status);
        Assert.Equal(EntityId(record, "organisation"), EntityId(await ReadAsync(id), "organisation"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_entitys_network_page_draws_and_lists_what_is_within_reach_with_a_declared_purpose()
    {
        var (id, record) = await CreateAsync("Réseau de Tétouan");
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync($"/records/{id}");
        await page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Transports Rif Express" }).GetByRole(AriaRole.Link, new() { Name = "network" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape($"/entities/{EntityId(record, "organisation")}/network") + "$"));

        // Without a purpose nothing is read; with one, two links out reach the person and all they are linked to.
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the graph" }).ClickAsync();
        await Assertions.Expect(page.Locator("#Purpose-error")).Not.ToBeEmptyAsync();
        await page.GetByLabel("Purpose").FillAsync("Enquête 2026/118, réseau logistique");
        await page.GetByLabel("Links out from it").SelectOptionAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the graph" }).ClickAsync();
        var rows = page.Locator("main table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(5);
        await Assertions.Expect(rows.First).ToContainTextAsync("Transports Rif Express");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Youssef Amrani" })).ToHaveAttributeAsync("href", $"/persons/{EntityId(record, "person")}");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "12345-A-6" })).ToHaveAttributeAsync("href", $"/entities/{EntityId(record, "vehicle")}/network");

        // Cytoscape drew the same entities and links.
        await page.WaitForFunctionAsync("() => window.jisrGraph && window.jisrGraph.nodes().length === 5");
        Assert.Equal(4, await page.EvaluateAsync<int>("() => window.jisrGraph.edges().length"));
        await WebWorld.ScreenshotAsync(page, "network-en");
        await NoSeriousAxeViolationAsync(page);

        // One link out from the organisation reaches the person only.
        await page.GetByLabel("Links out from it").SelectOptionAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the graph" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);

        // An entity the caller may not read is "not found", as one that does not exist.
        var missing = await page.GotoAsync($"/entities/{Guid.NewGuid()}/network?purpose=x");
        Assert.Equal(404, missing!.Status);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_fusion_link_is_shown_only_to_those_the_policy_lets_use_fusion()
    {
        var analyst = await world.NewPageAsync();
        await WebWorld.SignInAsync(analyst, world.Analyst);
        await Assertions.Expect(analyst.Locator("nav.main").GetByRole(AriaRole.Link, new() { Name = "Fusion" })).ToBeVisibleAsync();
        await analyst.Context.CloseAsync();

        var reviewer = await world.NewPageAsync();
        await WebWorld.SignInAsync(reviewer, world.Reviewer);
        await Assertions.Expect(reviewer.Locator("nav.main").GetByRole(AriaRole.Link, new() { Name = "Records" })).ToBeVisibleAsync();
        await Assertions.Expect(reviewer.Locator("nav.main").GetByRole(AriaRole.Link, new() { Name = "Fusion" })).ToHaveCountAsync(0);
        await reviewer.Context.CloseAsync();
    }

    private async Task<(Guid Id, JsonObject Record)> CreateAsync(string title)
    {
        var request = RecordRequests.Valid(title + " " + Guid.NewGuid().ToString("N")[..6]);
        request["entities"] = new JsonArray(
            new JsonObject { ["ref"] = "p", ["type"] = "person", ["names"] = new JsonArray("Youssef Amrani", "يوسف العمراني") },
            new JsonObject { ["ref"] = "o", ["type"] = "organisation", ["name"] = "Transports Rif Express", ["aliases"] = new JsonArray("TRE"), ["country"] = "MA" },
            new JsonObject { ["ref"] = "v", ["type"] = "vehicle", ["registration"] = "12345-A-6", ["country"] = "MA", ["make"] = "Renault" },
            new JsonObject { ["ref"] = "b", ["type"] = "bank-account", ["iban"] = Iban },
            new JsonObject { ["ref"] = "t", ["type"] = "phone", ["number"] = "+212600112233" });
        request["links"] = new JsonArray(
            new JsonObject { ["from"] = "p", ["to"] = "o", ["type"] = "member-of" },
            new JsonObject { ["from"] = "p", ["to"] = "v", ["type"] = "owns" },
            new JsonObject { ["from"] = "p", ["to"] = "b", ["type"] = "owns" },
            new JsonObject { ["from"] = "p", ["to"] = "t", ["type"] = "called" });
        var created = await world.Analyst.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        return (record["id"]!.GetValue<Guid>(), record);
    }

    private static async Task NoSeriousAxeViolationAsync(IPage page)
    {
        var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        Assert.Empty(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}: {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}"));
    }

    private async Task<JsonObject> ReadAsync(Guid id) => (await world.Analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{id}"))!;

    private static JsonObject Entity(JsonObject record, string type) =>
        record["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == type)!.AsObject();

    private static Guid EntityId(JsonObject record, string type) => Entity(record, type)["id"]!.GetValue<Guid>();
}
