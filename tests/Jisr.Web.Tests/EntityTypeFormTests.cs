using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

/// <summary>The new-record form offers the entity types and identifier kinds the API takes, with refusals beside the fields.</summary>
[Collection(WebCollection.Name)]
public sealed class EntityTypeFormTests(WebWorld world)
{
    [Fact]
    public async Task A_record_holds_a_national_id_a_bank_account_a_wallet_and_an_online_account_and_each_refusal_stands_beside_its_field()
    {
        var page = await world.NewPageAsync("fr-FR");
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync("/records/new");
        var title = "Flux financiers Nador " + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("#Form_Title").FillAsync(title);
        await page.Locator("#Form_Body").FillAsync("Virements et portefeuille signalés.");
        await page.Locator("#Form_LegalBasis").FillAsync("Loi 43-05");
        await page.Locator("#Form_Purpose").FillAsync("Blanchiment");
        await page.Locator("input[name='Form.ThreatDomains'][value='organised-crime']").CheckAsync();
        await page.GetByLabel("Noms").FillAsync("Rachid Ouazzani\nرشيد الوزاني");
        await page.GetByLabel("Type d'identifiant").SelectOptionAsync("national-id");
        await page.GetByLabel("Numéro de l'identifiant").FillAsync("BK778812");
        await page.GetByLabel("Entité 1 : type").SelectOptionAsync("bank-account");
        await page.GetByLabel("Entité 1 : nom ou numéro").FillAsync("FR76 3000 6000 0112 3456 7890 180");
        await page.GetByLabel("Entité 1 : lien avec la personne").SelectOptionAsync("owns");
        await page.GetByLabel("Entité 2 : type").SelectOptionAsync("crypto-wallet");
        await page.GetByLabel("Entité 2 : nom ou numéro").FillAsync("bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh");
        await page.GetByLabel("Entité 2 : lien avec la personne").SelectOptionAsync("owns");
        await page.GetByLabel("Entité 3 : type").SelectOptionAsync("online-account");
        await page.GetByLabel("Entité 3 : nom ou numéro").FillAsync("@nador_express");
        await page.GetByLabel("Entité 3 : devise, plateforme ou titulaire").FillAsync("Telegram");
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Créer le dossier" });
        await create.ClickAsync();

        // A wrong IBAN (its check digits) is said beside the first row's value, which is kept as typed.
        // The reason is said in French too, by its code, with the value as typed (no English inside the message).
        var ibanError = page.Locator("#other-0-error");
        await Assertions.Expect(ibanError).ToContainTextAsync("Cette valeur n'est pas acceptée");
        await Assertions.Expect(ibanError).ToContainTextAsync("« FR76 3000 6000 0112 3456 7890 180 » n'est pas un IBAN valide");
        Assert.DoesNotContain("not a valid", await ibanError.InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByLabel("Entité 1 : nom ou numéro")).ToHaveValueAsync("FR76 3000 6000 0112 3456 7890 180");
        await page.GetByLabel("Entité 1 : nom ou numéro").FillAsync("FR76 3000 6000 0112 3456 7890 189");
        await create.ClickAsync();

        // A wallet without its currency: beside the row's second field.
        await Assertions.Expect(page.Locator("#other-1-detail-error")).ToContainTextAsync("Cette valeur n'est pas acceptée (entities[2].currency: est obligatoire)");
        await Assertions.Expect(page.Locator("#other-0-error")).ToBeEmptyAsync();
        await page.GetByLabel("Entité 2 : devise, plateforme ou titulaire").FillAsync("btc");
        await create.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/records/[0-9a-f-]{36}$"));

        var read = (await world.Analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{page.Url[^36..]}"))!;
        var entities = read["entities"]!.AsArray();
        Assert.Equal(["bank-account", "crypto-wallet", "online-account", "person"], entities.Select(e => e!["type"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var person = entities.Single(e => e!["type"]!.GetValue<string>() == "person")!;
        Assert.Equal("national-id", person["identifiers"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal("BK778812", person["identifiers"]![0]!["value"]!.GetValue<string>());
        var wallet = entities.Single(e => e!["type"]!.GetValue<string>() == "crypto-wallet")!;
        Assert.Equal("BTC", wallet["currency"]!.GetValue<string>());
        var account = entities.Single(e => e!["type"]!.GetValue<string>() == "online-account")!;
        Assert.Equal("Telegram", account["platform"]!.GetValue<string>());
        Assert.Equal(2, read["links"]!.AsArray().Count);
        await page.Context.CloseAsync();
    }
}
