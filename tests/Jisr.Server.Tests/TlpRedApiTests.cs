using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Server.Tests;

public sealed class TlpRedFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public TestUser Author { get; private set; } = null!;

    public TestUser Recipient { get; private set; } = null!;

    public TestUser Colleague { get; private set; } = null!;

    public TestUser Reviewer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await TestNode.StartAsync();
        var agency = await Node.AddAgencyAsync("MA-RED");
        Author = await Node.AddUserAsync(agency, "author.red", [Role.Analyst]);
        Recipient = await Node.AddUserAsync(agency, "recipient.red", [Role.Analyst]);
        Colleague = await Node.AddUserAsync(agency, "colleague.red", [Role.Analyst]);
        Reviewer = await Node.AddUserAsync(agency, "legal.red", [Role.LegalReviewer]);
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

public sealed class TlpRedApiTests(TlpRedFixture fixture) : IClassFixture<TlpRedFixture>
{
    private static JsonObject Red(string marker, params string[] recipients)
    {
        var request = RecordRequests.Valid(title: marker);
        request["marking"]!["tlp"] = "RED";
        request["recipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)r)]);
        return request;
    }

    private static async Task<bool> SeesAsync(TestUser user, Guid id, string marker)
    {
        var single = await user.Client.GetAsync($"/api/v1/records/{id}");
        var list = await user.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200");
        using var search = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/search?q={marker}");
        search.Headers.Add("X-Jisr-Purpose", "TLP:RED check");
        var found = await (await user.Client.SendAsync(search)).Content.ReadFromJsonAsync<JsonObject>();
        var inList = list!["items"]!.AsArray().Any(i => i!["id"]!.GetValue<Guid>() == id);
        var inSearch = found!["items"]!.AsArray().Any(i => i!["id"]!.GetValue<Guid>() == id);
        Assert.True(inList == (single.StatusCode == HttpStatusCode.OK) && inSearch == inList, "read paths disagree");
        return inList;
    }

    [Fact]
    public async Task RedRecord_IsVisibleToItsAuthorAndNamedRecipientsOnly_OnEveryReadPath()
    {
        var marker = "red" + Guid.NewGuid().ToString("N")[..10];
        var response = await fixture.Author.Client.PostAsJsonAsync("/api/v1/records", Red(marker, "recipient.red"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        Assert.True(await SeesAsync(fixture.Author, id, marker));
        Assert.True(await SeesAsync(fixture.Recipient, id, marker));
        Assert.False(await SeesAsync(fixture.Colleague, id, marker));
    }

    [Fact]
    public async Task Recipients_OnARecordThatIsNotRed_AreRefused()
    {
        var request = RecordRequests.Valid();
        request["recipients"] = new JsonArray("recipient.red");

        var response = await fixture.Author.Client.PostAsJsonAsync("/api/v1/records", request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("recipients"));
    }

    [Fact]
    public async Task Recipients_MustBeUsersOfTheAgency()
    {
        var response = await fixture.Author.Client.PostAsJsonAsync("/api/v1/records", Red("x", "nobody.here"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("recipients[0]"));
    }

    /// <summary>Leaving TLP:RED is a declassification: held until a legal reviewer who may read the record approves it.</summary>
    [Fact]
    public async Task Downgrading_FromRed_IsHeldForALegalReviewer_ThenDropsTheRecipients_AndOpensTheRecordToTheAgency()
    {
        var marker = "down" + Guid.NewGuid().ToString("N")[..10];
        var created = await fixture.Author.Client.PostAsJsonAsync("/api/v1/records", Red(marker, "recipient.red", "legal.red"));
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        Assert.False(await SeesAsync(fixture.Colleague, id, marker));

        var amber = RecordRequests.Valid(title: marker);
        var held = await fixture.Author.Client.PutAsJsonAsync($"/api/v1/records/{id}", amber);

        Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        Assert.False(await SeesAsync(fixture.Colleague, id, marker));
        var approved = await fixture.Reviewer.Client.PostAsJsonAsync(held.Headers.Location + "/approve", new { });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Empty((await fixture.Author.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{id}"))!["recipients"]!.AsArray());
        Assert.True(await SeesAsync(fixture.Colleague, id, marker));
    }

    /// <summary>Issue 13: a named recipient (not the author) changed a TLP:RED record to AMBER, and the whole agency read it.</summary>
    [Fact]
    public async Task ANamedRecipient_WhoIsNotTheAuthor_CannotChangeTheRecord()
    {
        var marker = "rcpt" + Guid.NewGuid().ToString("N")[..10];
        var created = await fixture.Author.Client.PostAsJsonAsync("/api/v1/records", Red(marker, "recipient.red"));
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        var changed = await fixture.Recipient.Client.PutAsJsonAsync($"/api/v1/records/{id}", RecordRequests.Valid(title: marker));

        Assert.Equal(HttpStatusCode.Forbidden, changed.StatusCode);
        Assert.False(await SeesAsync(fixture.Colleague, id, marker));
        Assert.Equal("RED", (await fixture.Author.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{id}"))!["marking"]!["tlp"]!.GetValue<string>());
    }
}
