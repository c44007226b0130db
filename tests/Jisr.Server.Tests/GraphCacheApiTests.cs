using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Server.Application.Fusion;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Server.Tests;

/// <summary>
/// The graph cache through the API on a node of its own: a repeated query is answered from the cache; two users of
/// one agency who may read different records never share an entry (the colleague never sees the TLP:RED record's
/// person, before or after the recipient's graph is cached); a write is a new key at once, even one that changes
/// nothing the asking user may read.
/// </summary>
public sealed class GraphCacheApiTests
{
    private const string Purpose = "case 2026/232";

    private static async Task CreateAsync(TestUser author, string person, string? redFor = null)
    {
        var request = RecordRequests.Valid(title: person);
        request["entities"]![0]!["names"] = new JsonArray(person);
        if (redFor is not null)
        {
            request["marking"]!["tlp"] = "RED";
            request["recipients"] = new JsonArray(redFor);
        }

        Assert.Equal(HttpStatusCode.Created, (await author.Client.PostAsJsonAsync("/api/v1/records", request)).StatusCode);
    }

    /// <summary>Every entity of the user's graph by label (brokers, top 100: all of them in this small graph).</summary>
    private static async Task<List<string>> GraphAsync(TestUser user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/graph/brokers?top=100");
        request.Headers.Add("X-Jisr-Purpose", Purpose);
        var response = await user.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonArray>())!.Select(b => b!["entity"]!["label"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RepeatsHitTheCache_UsersWhoReadDifferentRecordsNeverShareAnEntry_AndWritesAreNewKeys(string provider)
    {
        await using var node = await TestNode.StartAsync(provider);
        var cache = node.App.Services.GetRequiredService<GraphCache>();
        var agency = await node.AddAgencyAsync("MA-GRC");
        var author = await node.AddUserAsync(agency, "author.grc", [Role.Analyst]);
        var recipient = await node.AddUserAsync(agency, "recipient.grc", [Role.Analyst]);
        var colleague = await node.AddUserAsync(agency, "colleague.grc", [Role.Analyst]);
        await CreateAsync(author, "Karim Haddad");
        await CreateAsync(author, "Samir Amrani", redFor: "recipient.grc");

        var (hits, misses) = (cache.Hits, cache.Misses);
        var seenByRecipient = await GraphAsync(recipient);
        var seenByColleague = await GraphAsync(colleague);
        Assert.Contains("Samir Amrani", seenByRecipient);
        Assert.DoesNotContain("Samir Amrani", seenByColleague);
        Assert.Contains("Karim Haddad", seenByColleague);
        Assert.Equal((hits, misses + 2), (cache.Hits, cache.Misses));

        // Asked again, in the other order: both from the cache, each their own.
        Assert.Equal(seenByColleague, await GraphAsync(colleague));
        Assert.Equal(seenByRecipient, await GraphAsync(recipient));
        Assert.Equal((hits + 2, misses + 2), (cache.Hits, cache.Misses));

        // A record only the recipient may read changes nothing the colleague reads, yet it is a write: a new key.
        await CreateAsync(author, "Hamid Tazi", redFor: "recipient.grc");
        Assert.Equal(seenByColleague, await GraphAsync(colleague));
        Assert.Equal((hits + 2, misses + 3), (cache.Hits, cache.Misses));

        // A record the colleague may read is in their very next answer.
        await CreateAsync(author, "Nadia Chraibi");
        Assert.Contains("Nadia Chraibi", await GraphAsync(colleague));
        Assert.Contains("Hamid Tazi", await GraphAsync(recipient));
        Assert.Equal(misses + 5, cache.Misses);
    }
}
