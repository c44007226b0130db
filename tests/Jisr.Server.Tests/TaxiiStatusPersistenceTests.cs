using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Jisr.Server.Taxii;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>TAXII status resources live in the database: a node started again (or another process of it) serves them.</summary>
public sealed class TaxiiStatusPersistenceTests
{
    [Fact]
    public async Task AStatus_IsServedByANewNodeOnTheSameDatabase_ToItsAgencyOnly()
    {
        await using var node = await TestNode.StartAsync();
        var agency = await node.AddAgencyAsync("MA-POL");
        var other = await node.AddAgencyAsync("MA-INT");
        var analyst = await node.AddUserAsync(agency, "analyst.pol", [Domain.Users.Role.Analyst]);
        var outsider = await node.AddUserAsync(other, "analyst.int", [Domain.Users.Role.Analyst]);
        using var posted = await TaxiiApiTests.PostEnvelopeAsync(analyst.Client, TaxiiService.OwnCollectionId(agency.Id), TaxiiApiTests.Indicator($"indicator--{Guid.NewGuid():D}"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var status = JsonNode.Parse(await posted.Content.ReadAsStringAsync())!.AsObject();

        await using var again = await JisrNode.StartAsync(new NodeOptions(node.Database.Location, "http://127.0.0.1:0"));
        using var client = new HttpClient { BaseAddress = new Uri(again.Urls.First()) };
        async Task<HttpResponseMessage> GetStatusAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/taxii2/api/status/{status["id"]}/");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.ParseAdd(TaxiiApiTests.Accept);
            return await client.SendAsync(request);
        }

        using var found = await GetStatusAsync(analyst.Token);
        using var hidden = await GetStatusAsync(outsider.Token);

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(status.ToJsonString(), JsonNode.Parse(await found.Content.ReadAsStringAsync())!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        await again.StopAsync();
    }
}
