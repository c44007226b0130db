using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Federation.Tests;

/// <summary>A node on PostgreSQL and one on SQLite federate the same way: the outbox, inbox and peer tables exist on both providers.</summary>
public sealed class MixedProviderTests
{
    [Fact]
    public async Task APostgresNode_AgreesWithAndReleasesToASqliteNode()
    {
        await using var morocco = await AgencyNode.StartAsync("MA-DGST", "MA", provider: "postgres");
        await using var spain = await AgencyNode.StartAsync("ES-CNP", "ES");
        await morocco.PeerWithAsync(spain);
        await spain.PeerWithAsync(morocco);
        var analyst = await morocco.Node.AddUserAsync(morocco.Agency, "analyst.ma", [Role.Analyst]);
        var partnerAnalyst = await spain.Node.AddUserAsync(spain.Agency, "analyst.es", [Role.Analyst]);

        var proposed = await morocco.Administrator.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = "ES-CNP",
            threatDomains = new[] { "drug-trafficking", "organised-crime" },
            highestClassification = "RESTRICTED",
            handlingCodes = new[] { "H1" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1),
        });
        var agreement = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => await spain.AgreementAsync(agreement) is not null, "the proposal reaches the SQLite node");
        Assert.Equal(HttpStatusCode.OK, (await spain.Administrator.Client.PostAsync($"/api/v1/agreements/{agreement}/accept", null)).StatusCode);
        await Eventually.HoldsAsync(async () => (await morocco.AgreementAsync(agreement))!["status"]!.GetValue<string>() == "in-force", "the acceptance reaches the PostgreSQL node");

        var record = (await (await analyst.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid())).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var released = await analyst.Client.PostAsJsonAsync($"/api/v1/records/{record}/releases", new { agency = "ES-CNP" });
        var copy = (await released.Content.ReadFromJsonAsync<JsonObject>())!["copy"]!.GetValue<Guid>();

        await Eventually.HoldsAsync(async () => (await partnerAnalyst.Client.GetAsync($"/api/v1/records/{copy}")).IsSuccessStatusCode, "the copy is readable on the SQLite node");
    }
}
