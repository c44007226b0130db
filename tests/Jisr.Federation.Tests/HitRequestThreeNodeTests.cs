using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Federation.Tests;

/// <summary>
/// Three real nodes: MA-DGST checks a name that ES-CNP and FR-DGSI both hold, gets a hit at each, asks each; each owner
/// sees only the request made to it, answers on its own (FR-DGSI releases, ES-CNP refuses), and MA-DGST sees both
/// answers; once FR-DGSI suspends its agreement, no new request to it is possible.
/// </summary>
public sealed class HitRequestThreeNodeTests : IAsyncLifetime
{
    private const string Purpose = "enquête 2026/115";
    private AgencyNode _morocco = null!;
    private AgencyNode _spain = null!;
    private AgencyNode _france = null!;
    private TestUser _analyst = null!;

    public async Task InitializeAsync()
    {
        _morocco = await AgencyNode.StartAsync("MA-DGST", "MA");
        _spain = await AgencyNode.StartAsync("ES-CNP", "ES");
        _france = await AgencyNode.StartAsync("FR-DGSI", "FR");
        foreach (var partner in new[] { _spain, _france })
        {
            await _morocco.PeerWithAsync(partner);
            await partner.PeerWithAsync(_morocco);
        }

        _analyst = await _morocco.Node.AddUserAsync(_morocco.Agency, "analyst.ma", [Role.Analyst]);
    }

    public async Task DisposeAsync()
    {
        await _morocco.Node.DisposeAsync();
        await _spain.Node.DisposeAsync();
        await _france.Node.DisposeAsync();
    }

    [Fact]
    public async Task AHitAtTwoPartners_TwoRequests_EachOwnerSeesOnlyItsOwn_AndAnswersOnItsOwn()
    {
        var agreements = new Dictionary<string, Guid>();
        var liaisons = new Dictionary<string, TestUser>();
        var records = new Dictionary<string, Guid>();
        foreach (var owner in new[] { _spain, _france })
        {
            agreements[owner.Code] = await AgreeAsync(owner);
            var analyst = await owner.Node.AddUserAsync(owner.Agency, $"analyst.{owner.Agency.Country.ToLowerInvariant()}", [Role.Analyst]);
            liaisons[owner.Code] = await owner.Node.AddUserAsync(owner.Agency, $"liaison.{owner.Agency.Country.ToLowerInvariant()}", [Role.LiaisonOfficer]);
            var record = RecordRequests.Valid(title: $"Suivi {owner.Code}");
            var created = await analyst.Client.PostAsJsonAsync("/api/v1/records", record);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            records[owner.Code] = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
            Assert.Equal(HttpStatusCode.OK, (await owner.Operator.Client.PostAsync("/api/v1/hits/filters/publish", null)).StatusCode);
        }

        await Eventually.HoldsAsync(
            async () =>
            {
                await using var db = _morocco.Node.Database.Open();
                return await db.AuditLog.CountAsync(e => e.Action == AuditActions.HitFilterReceive) >= 2;
            },
            "MA-DGST takes both partners' filters",
            seconds: 60);

        var check = await SendAsync("/api/v1/hits/check", new { name = "Yusuf Al-Idrisi" });
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        var hits = (await check.Content.ReadFromJsonAsync<JsonObject>())!["hits"]!.AsArray().Select(h => h!["agencyCode"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["ES-CNP", "FR-DGSI"], hits);

        var asked = new Dictionary<string, Guid>();
        foreach (var code in hits)
        {
            var opened = await SendAsync("/api/v1/hits/requests", new { agency = code, name = "Yusuf Al-Idrisi", legalBasis = "art. 5", handling = "H1", urgency = "urgent" });
            Assert.True(opened.StatusCode == HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
            asked[code] = (await opened.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        }

        // Each owner sees exactly the request made to it; the other's does not exist on its node.
        foreach (var (code, liaison) in liaisons)
        {
            await Eventually.HoldsAsync(async () => (await liaison.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/requests"))!.Count == 1, $"{code} receives its request");
            var seen = Assert.Single((await liaison.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/requests"))!)!;
            Assert.Equal(asked[code], seen["id"]!.GetValue<Guid>());
            Assert.Equal("MA-DGST", seen["requester"]!["code"]!.GetValue<string>());
            Assert.Equal(Purpose, seen["request"]!["purpose"]!.GetValue<string>());
            var other = asked.Single(a => a.Key != code).Value;
            Assert.Equal(HttpStatusCode.NotFound, (await liaison.Client.GetAsync($"/api/v1/hits/requests/{other}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await liaisons["FR-DGSI"].Client.PostAsJsonAsync($"/api/v1/hits/requests/{asked["FR-DGSI"]}/reply", new { decision = "release", record = records["FR-DGSI"] })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await liaisons["ES-CNP"].Client.PostAsJsonAsync($"/api/v1/hits/requests/{asked["ES-CNP"]}/reply", new { decision = "refuse", reason = "hors du champ de l'accord" })).StatusCode);
        await Eventually.HoldsAsync(
            async () =>
            {
                var mine = (await _analyst.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/requests"))!;
                return mine.Count == 2
                    && mine.Any(r => r!["owner"]!["code"]!.GetValue<string>() == "FR-DGSI" && r["status"]!.GetValue<string>() == "released" && r["copyRecord"] is not null)
                    && mine.Any(r => r!["owner"]!["code"]!.GetValue<string>() == "ES-CNP" && r["status"]!.GetValue<string>() == "refused");
            },
            "MA-DGST sees FR-DGSI's release and ES-CNP's refusal",
            seconds: 60);

        // FR-DGSI suspends: no hit there any more, so no request either; ES-CNP still answers hits.
        Assert.Equal(HttpStatusCode.OK, (await _france.Administrator.Client.PostAsJsonAsync($"/api/v1/agreements/{agreements["FR-DGSI"]}/suspend", new { reason = "review" })).StatusCode);
        await Eventually.HoldsAsync(async () => (await _morocco.AgreementAsync(agreements["FR-DGSI"]))!["status"]!.GetValue<string>() == "suspended", "the suspension reaches MA-DGST");
        var refused = await SendAsync("/api/v1/hits/requests", new { agency = "FR-DGSI", name = "Yusuf Al-Idrisi", legalBasis = "art. 5", handling = "H1" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync("/api/v1/hits/requests", new { agency = "ES-CNP", name = "Yusuf Al-Idrisi", legalBasis = "art. 5", handling = "H1" })).StatusCode);
    }

    private async Task<Guid> AgreeAsync(AgencyNode partner)
    {
        var proposed = await _morocco.Administrator.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = partner.Code,
            threatDomains = new[] { "drug-trafficking", "organised-crime" },
            highestClassification = "CONFIDENTIAL",
            handlingCodes = new[] { "H1", "H2" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30),
        });
        var id = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => await partner.AgreementAsync(id) is not null, $"the proposal reaches {partner.Code}");
        Assert.Equal(HttpStatusCode.OK, (await partner.Administrator.Client.PostAsync($"/api/v1/agreements/{id}/accept", null)).StatusCode);
        await Eventually.HoldsAsync(async () => (await _morocco.AgreementAsync(id))!["status"]!.GetValue<string>() == "in-force", $"{partner.Code}'s acceptance reaches MA-DGST");
        return id;
    }

    private async Task<HttpResponseMessage> SendAsync(string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Jisr-Purpose", Uri.EscapeDataString(Purpose));
        return await _analyst.Client.SendAsync(request);
    }
}
