using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Federation.Tests;

/// <summary>
/// The third-party rule across three sovereign nodes: ES-CNP holds a copy MA-DGST released to it; passing it on to
/// FR-DGSI is refused on ES-CNP's node until MA-DGST's reviewer grants consent on MA-DGST's node, and the decision
/// travels back; then the onward release reaches FR-DGSI's node with the original provenance and handling code.
/// </summary>
public sealed class ConsentFederationTests
{
    [Fact]
    public async Task AnOnwardRelease_NeedsTheOriginatorsConsent_DecidedOnTheOriginatorsNode()
    {
        await using var morocco = await AgencyNode.StartAsync("MA-DGST", "MA");
        await using var spain = await AgencyNode.StartAsync("ES-CNP", "ES");
        await using var france = await AgencyNode.StartAsync("FR-DGSI", "FR");
        foreach (var (a, b) in new[] { (morocco, spain), (spain, morocco), (spain, france), (france, spain), (morocco, france), (france, morocco) })
        {
            await a.PeerWithAsync(b);
        }

        await morocco.AgreeWithAsync(spain);
        await spain.AgreeWithAsync(france);
        var analystMa = await morocco.Node.AddUserAsync(morocco.Agency, "analyst.ma", [Role.Analyst]);
        var reviewerMa = await morocco.Node.AddUserAsync(morocco.Agency, "dpo.ma", [Role.LegalReviewer]);
        var analystEs = await spain.Node.AddUserAsync(spain.Agency, "analyst.es", [Role.Analyst]);
        var analystFr = await france.Node.AddUserAsync(france.Agency, "analyst.fr", [Role.Analyst]);

        var record = (await (await analystMa.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: "Filière de faux documents")))
            .Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var copy = (await (await analystMa.Client.PostAsJsonAsync($"/api/v1/records/{record}/releases", new { agency = "ES-CNP" }))
            .Content.ReadFromJsonAsync<JsonObject>())!["copy"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => (await analystEs.Client.GetAsync($"/api/v1/records/{copy}")).IsSuccessStatusCode, "the copy reaches ES-CNP");

        // Without the originator's consent, ES-CNP's own node refuses the onward release.
        Assert.Equal(HttpStatusCode.Forbidden, (await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{copy}/releases", new { agency = "FR-DGSI" })).StatusCode);

        var asked = await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{copy}/consents", new { agency = "FR-DGSI", note = "enquête conjointe" });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var consent = (await asked.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => (await reviewerMa.Client.GetAsync($"/api/v1/consents/{consent}")).IsSuccessStatusCode, "the request reaches MA-DGST's reviewers");
        Assert.Equal(HttpStatusCode.OK, (await reviewerMa.Client.PostAsJsonAsync($"/api/v1/consents/{consent}/grant", new { reason = "accordé" })).StatusCode);
        await Eventually.HoldsAsync(
            async () => (await analystEs.Client.GetFromJsonAsync<JsonObject>($"/api/v1/consents/{consent}"))!["status"]!.GetValue<string>() == "granted",
            "the grant reaches ES-CNP");

        var onward = await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{copy}/releases", new { agency = "FR-DGSI" });
        Assert.Equal(HttpStatusCode.Created, onward.StatusCode);
        var frenchCopy = (await onward.Content.ReadFromJsonAsync<JsonObject>())!["copy"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => (await analystFr.Client.GetAsync($"/api/v1/records/{frenchCopy}")).IsSuccessStatusCode, "the onward copy reaches FR-DGSI");
        var seen = (await analystFr.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{frenchCopy}"))!;
        Assert.Equal("MA-DGST", seen["originator"]!["code"]!.GetValue<string>());
        Assert.Equal(record, seen["provenance"]!["originalRecord"]!.GetValue<Guid>());
        Assert.Equal(copy, seen["provenance"]!["sourceRecord"]!.GetValue<Guid>());
        Assert.Equal("H1", seen["marking"]!["handling"]!.GetValue<string>());
    }
}
