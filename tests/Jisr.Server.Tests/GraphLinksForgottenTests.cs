using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Storage.Fusion;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Server.Tests;

/// <summary>
/// The links a node holds in memory for graph queries (<see cref="LinkAdjacency"/>) are let go of when their record
/// goes from the database through this node: purged past its retention end, or deleted by its author. A node that
/// runs for years would otherwise keep every gone record's links.
/// </summary>
public sealed class GraphLinksForgottenTests
{
    [Theory]
    [InlineData("purged")]
    [InlineData("deleted")]
    public async Task AGoneRecordsLinks_AreNoLongerHeld(string gone)
    {
        var clock = new AdjustableClock(DateTimeOffset.UtcNow);
        await using var node = await TestNode.StartAsync(clock: clock);
        var agency = await node.AddAgencyAsync("MA-RGL");
        var analyst = await node.AddUserAsync(agency, "analyst.rgl", [Role.Analyst]);
        var adjacency = node.App.Services.GetRequiredService<LinkAdjacency>();

        // Four persons in a ring of four links, expiring in two days; a neighbourhood query reads the links into memory.
        var request = RecordRequests.Network(people: 4, title: "gone with its links");
        RecordRequests.ExpiringInTwoDays(request, clock);
        var created = await (await analyst.Client.PostAsJsonAsync("/api/v1/records", request)).Content.ReadFromJsonAsync<JsonObject>();
        var person = created!["entities"]!.AsArray().First(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();
        using var around = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/graph/neighbourhood/{person}?depth=2");
        around.Headers.Add("X-Jisr-Purpose", "links held check");
        Assert.Equal(HttpStatusCode.OK, (await analyst.Client.SendAsync(around)).StatusCode);
        Assert.Equal(4, adjacency.HeldLinks);

        if (gone == "purged")
        {
            clock.Advance(TimeSpan.FromDays(3));
            await using var scope = node.App.Services.CreateAsyncScope();
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<RetentionPurge>().PurgeExpiredAsync(clock.GetUtcNow(), CancellationToken.None));
        }
        else
        {
            Assert.Equal(HttpStatusCode.NoContent, (await analyst.Client.DeleteAsync($"/api/v1/records/{created["id"]}")).StatusCode);
        }

        Assert.Equal(0, adjacency.HeldLinks);
    }
}
