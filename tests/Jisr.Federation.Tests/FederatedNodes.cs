using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Agencies;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Federation.Tests;

/// <summary>One agency's node in a federation test: the node (real HTTPS on loopback), its agency, an administrator and a node administrator.</summary>
public sealed record AgencyNode(TestNode Node, Agency Agency, TestUser Administrator, TestUser Operator) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Node.DisposeAsync();

    public string Code => Agency.Code;

    /// <summary>Starts a federated node hosting <paramref name="code"/>.</summary>
    public static async Task<AgencyNode> StartAsync(string code, string country, TimeProvider? clock = null, string provider = "sqlite", Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var node = await TestNode.StartFederatedAsync(provider, clock, configure: configure);
        var agency = await node.AddAgencyAsync(code, country);
        var prefix = code.ToLowerInvariant();
        return new AgencyNode(
            node,
            agency,
            await node.AddUserAsync(agency, $"{prefix}.admin", [Role.Administrator]),
            await node.AddUserAsync(agency, $"{prefix}.operator", [Role.NodeAdministrator]));
    }

    /// <summary>Peers this node with <paramref name="other"/> through the API, as its node administrator would.</summary>
    public async Task PeerWithAsync(AgencyNode other)
    {
        var response = await Operator.Client.PostAsJsonAsync("/api/v1/federation/peers", new { url = other.Node.BaseAddress.ToString(), fingerprint = other.Node.Fingerprint });
        Assert.True(response.IsSuccessStatusCode, $"peering {Code} with {other.Code}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Proposes an agreement to <paramref name="partner"/> as this node's administrator, through the API: up to
    /// CONFIDENTIAL, valid from today for a year; returns its id.
    /// </summary>
    public async Task<Guid> ProposeAsync(string partner, string[] threatDomains, string[] handlingCodes)
    {
        var proposed = await Administrator.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner,
            threatDomains,
            highestClassification = "CONFIDENTIAL",
            handlingCodes,
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1),
        });
        Assert.True(proposed.StatusCode == HttpStatusCode.Created, $"proposing to {partner}: {(int)proposed.StatusCode} {await proposed.Content.ReadAsStringAsync()}");
        return (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    /// <summary>
    /// An agreement in force between this node's agency and <paramref name="partner"/>'s (drug trafficking and
    /// organised crime, H1 and H2): proposed here, accepted there, the acceptance seen here; returns its id.
    /// </summary>
    public async Task<Guid> AgreeWithAsync(AgencyNode partner)
    {
        ArgumentNullException.ThrowIfNull(partner);
        var id = await ProposeAsync(partner.Code, ["drug-trafficking", "organised-crime"], ["H1", "H2"]);
        await Eventually.HoldsAsync(async () => await partner.AgreementAsync(id) is not null, $"the proposal reaches {partner.Code}");
        Assert.Equal(HttpStatusCode.OK, (await partner.Administrator.Client.PostAsync($"/api/v1/agreements/{id}/accept", null)).StatusCode);
        await Eventually.HoldsAsync(async () => (await AgreementAsync(id))!["status"]!.GetValue<string>() == "in-force", $"the acceptance reaches {Code}");
        return id;
    }

    public async Task<JsonObject?> AgreementAsync(Guid id)
    {
        var response = await Administrator.Client.GetAsync($"/api/v1/agreements/{id}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }

    public async Task<JsonArray> MessagesAsync() =>
        (await Operator.Client.GetFromJsonAsync<JsonObject>("/api/v1/federation/messages"))!["items"]!.AsArray();
}

/// <summary>Two nodes peered both ways, MA-DGST and ES-CNP (SQLite), started for each test and stopped after it.</summary>
public abstract class TwoPeeredNodes : IAsyncLifetime
{
    protected AgencyNode Morocco { get; private set; } = null!;

    protected AgencyNode Spain { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Morocco = await AgencyNode.StartAsync("MA-DGST", "MA");
        Spain = await AgencyNode.StartAsync("ES-CNP", "ES");
        await Morocco.PeerWithAsync(Spain);
        await Spain.PeerWithAsync(Morocco);
    }

    public async Task DisposeAsync()
    {
        await Morocco.Node.DisposeAsync();
        await Spain.Node.DisposeAsync();
    }
}

public static class Eventually
{
    /// <summary>Waits (up to 30 s) until <paramref name="condition"/> holds; fails with <paramref name="what"/> otherwise.</summary>
    public static Task HoldsAsync(Func<Task<bool>> condition, string what, int seconds = 30) => HoldsAsync(condition, () => what, seconds);

    /// <summary>As above, with the failure message made only on failure (it may read the nodes' state).</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<string> what, int seconds = 30)
    {
        ArgumentNullException.ThrowIfNull(what);
        ArgumentNullException.ThrowIfNull(condition);
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"not within {seconds} s: {what()}");
    }
}
