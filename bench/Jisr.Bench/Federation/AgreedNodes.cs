using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Agencies;
using Jisr.Domain.Users;
using Jisr.Server.HitCheck;
using Jisr.Testing;

namespace Jisr.Bench.Federation;

/// <summary>
/// Two federated nodes on loopback (real HTTPS, pinned keys, SQLite each), MA-DGST on one and ES-CNP on the other,
/// peered both ways, with an agreement in force between them (drug trafficking and organised crime, up to
/// CONFIDENTIAL, H1, a year): the start the federation and hit/no-hit benches share.
/// </summary>
internal sealed class AgreedNodes : IAsyncDisposable
{
    private AgreedNodes(TestNode morocco, TestNode spain, Agency ma, Agency es, TestUser maAdmin, TestUser esAdmin, Guid agreement)
    {
        (Morocco, Spain, Ma, Es, MaAdmin, EsAdmin, Agreement) = (morocco, spain, ma, es, maAdmin, esAdmin, agreement);
    }

    public TestNode Morocco { get; }

    public TestNode Spain { get; }

    public Agency Ma { get; }

    public Agency Es { get; }

    public TestUser MaAdmin { get; }

    public TestUser EsAdmin { get; }

    public Guid Agreement { get; }

    /// <summary>Starts both nodes (<paramref name="hitFilters"/>: their filter loop's options), peers them and puts the agreement in force.</summary>
    public static async Task<AgreedNodes> StartAsync(HitFilterOptions? hitFilters = null)
    {
        var morocco = await TestNode.StartFederatedAsync(hitFilters: hitFilters);
        var spain = await TestNode.StartFederatedAsync(hitFilters: hitFilters);
        var ma = await morocco.AddAgencyAsync("MA-DGST", "MA");
        var es = await spain.AddAgencyAsync("ES-CNP", "ES");
        var maAdmin = await morocco.AddUserAsync(ma, "admin.ma", [Role.Administrator]);
        var maOperator = await morocco.AddUserAsync(ma, "operator.ma", [Role.NodeAdministrator]);
        var esAdmin = await spain.AddUserAsync(es, "admin.es", [Role.Administrator]);
        var esOperator = await spain.AddUserAsync(es, "operator.es", [Role.NodeAdministrator]);
        (await maOperator.Client.PostAsJsonAsync("/api/v1/federation/peers", new { url = spain.BaseAddress.ToString(), fingerprint = spain.Fingerprint })).EnsureSuccessStatusCode();
        (await esOperator.Client.PostAsJsonAsync("/api/v1/federation/peers", new { url = morocco.BaseAddress.ToString(), fingerprint = morocco.Fingerprint })).EnsureSuccessStatusCode();
        var proposed = await maAdmin.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = "ES-CNP",
            threatDomains = new[] { "drug-trafficking", "organised-crime" },
            highestClassification = "CONFIDENTIAL",
            handlingCodes = new[] { "H1" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1),
        });
        var agreement = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        while (!(await esAdmin.Client.PostAsync($"/api/v1/agreements/{agreement}/accept", null)).IsSuccessStatusCode)
        {
            await Task.Delay(20);
        }

        while ((await maAdmin.Client.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{agreement}"))!["status"]!.GetValue<string>() != "in-force")
        {
            await Task.Delay(20);
        }

        return new AgreedNodes(morocco, spain, ma, es, maAdmin, esAdmin, agreement);
    }

    public async ValueTask DisposeAsync()
    {
        await Spain.DisposeAsync();
        await Morocco.DisposeAsync();
    }
}
