using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Testing;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

/// <summary>Editing what a record asserts through the edit form: the same <c>PUT</c> service, policy and audit as the API.</summary>
[Collection(WebCollection.Name)]
public sealed class RecordEditTests(WebWorld world)
{
    [Fact]
    public async Task The_author_renames_a_person_retypes_a_link_takes_an_entity_out_and_adds_one_linked_to_the_person()
    {
        var request = RecordRequests.Valid("Réseau de Nador " + Guid.NewGuid().ToString("N")[..6]);
        request["entities"] = new JsonArray(
            new JsonObject
            {
                ["ref"] = "p",
                ["type"] = "person",
                ["names"] = new JsonArray("Youssef Amrani", "يوسف العمراني"),
                ["dateOfBirth"] = "1985-03",
                ["nationalities"] = new JsonArray("MA"),
                ["identifiers"] = new JsonArray(new JsonObject { ["kind"] = "passport", ["value"] = "MA4471820", ["country"] = "MA" }),
            },
            new JsonObject { ["ref"] = "o", ["type"] = "organisation", ["name"] = "Transports Rif Express", ["country"] = "MA" },
            new JsonObject { ["ref"] = "t", ["type"] = "phone", ["number"] = "+212600112233" });
        request["links"] = new JsonArray(
            new JsonObject { ["from"] = "p", ["to"] = "o", ["type"] = "associate-of" },
            new JsonObject { ["from"] = "p", ["to"] = "t", ["type"] = "owns" });
        var created = await world.Analyst.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = record["id"]!.GetValue<Guid>();
        var organisation = EntityId(record, "organisation");

        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync($"/records/{id}/edit");
        var names = page.GetByLabel("Names of Youssef Amrani, one a line");
        await Assertions.Expect(names).ToHaveValueAsync("Youssef Amrani\nيوسف العمراني");
        await names.FillAsync("Youssef Amrani\nيوسف العمراني\nYoussef El Amrani");
        await page.GetByLabel("Link from Youssef Amrani to Transports Rif Express: type").SelectOptionAsync("member-of");
        await page.GetByLabel("Take +212600112233 out of this record").CheckAsync();
        await page.GetByLabel("Entity 1: type", new() { Exact = true }).SelectOptionAsync("vehicle");
        await page.GetByLabel("Entity 1: name or number").FillAsync("12345-A-6");
        await page.GetByLabel("Entity 1: country (two letters)").FillAsync("ma");
        await page.GetByLabel("Entity 1: linked from").SelectOptionAsync(new SelectOptionValue { Label = "Youssef Amrani" });
        await page.GetByLabel("Entity 1: type of link").SelectOptionAsync("owns");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the changes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("12345-A-6");

        var read = (await world.Analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{id}"))!;
        var entities = read["entities"]!.AsArray();
        Assert.Equal(3, entities.Count);
        Assert.DoesNotContain(entities, e => e!["type"]!.GetValue<string>() == "phone");

        // The renamed person is a new person with the new names and everything else the old one had.
        var person = entities.Single(e => e!["type"]!.GetValue<string>() == "person")!;
        Assert.NotEqual(EntityId(record, "person"), person["id"]!.GetValue<Guid>());
        Assert.Equal(["Youssef Amrani", "يوسف العمراني", "Youssef El Amrani"], person["names"]!.AsArray().Select(n => n!["text"]!.GetValue<string>()));
        Assert.Equal("1985-03", person["dateOfBirth"]!.GetValue<string>());
        Assert.Equal("MA4471820", person["identifiers"]![0]!["value"]!.GetValue<string>());
        Assert.Equal(organisation, EntityId(read, "organisation"));
        var vehicle = EntityId(read, "vehicle");

        // The links follow: the retyped one from the new person, the phone's gone with it, the vehicle's added.
        var links = read["links"]!.AsArray().Select(l => (From: l!["from"]!.GetValue<Guid>(), To: l["to"]!.GetValue<Guid>(), Type: l["type"]!.GetValue<string>())).ToList();
        var personId = person["id"]!.GetValue<Guid>();
        Assert.Equal(2, links.Count);
        Assert.Contains((personId, organisation, "member-of"), links);
        Assert.Contains((personId, vehicle, "owns"), links);

        // A link can be taken out alone, and what the service refuses is said beside the row that caused it.
        await page.GotoAsync($"/records/{id}/edit");
        await page.GetByLabel("Take out the link from Youssef Amrani to Transports Rif Express").CheckAsync();
        await page.GetByLabel("Entity 1: type", new() { Exact = true }).SelectOptionAsync("email");
        await page.GetByLabel("Entity 1: name or number").FillAsync("pas une adresse");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the changes" }).ClickAsync();
        await Assertions.Expect(page.Locator("#added-0-error")).ToContainTextAsync("This value is not accepted");
        await Assertions.Expect(page.GetByLabel("Entity 1: name or number")).ToHaveValueAsync("pas une adresse");

        await page.GetByLabel("Entity 1: name or number").FillAsync(string.Empty);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the changes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        read = (await world.Analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{id}"))!;
        Assert.Equal("owns", Assert.Single(read["links"]!.AsArray())!["type"]!.GetValue<string>());
        Assert.Equal(3, read["entities"]!.AsArray().Count);
        await page.Context.CloseAsync();
    }

    private static Guid EntityId(JsonObject record, string type) =>
        record["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == type)!["id"]!.GetValue<Guid>();
}
