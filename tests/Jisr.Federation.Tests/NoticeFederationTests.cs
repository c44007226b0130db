using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Federation.Tests;

/// <summary>
/// Notices between two sovereign nodes: an issued notice reaches a recipient agency on the partner's node as a signed
/// message, its updates and its cancellation follow, an update the neutrality screen holds hides it there without its
/// new text ever leaving, a notice held from the start never leaves, and suspending the agreement hides it at once.
/// </summary>
public sealed class NoticeFederationTests : IAsyncLifetime
{
    private AgencyNode _morocco = null!;
    private AgencyNode _spain = null!;
    private TestUser _analyst = null!;
    private TestUser _reviewer = null!;
    private TestUser _partnerAnalyst = null!;
    private Guid _agreement;
    private Guid _subject;

    public async Task InitializeAsync()
    {
        _morocco = await AgencyNode.StartAsync("MA-DGST", "MA");
        _spain = await AgencyNode.StartAsync("ES-CNP", "ES");
        await _morocco.PeerWithAsync(_spain);
        await _spain.PeerWithAsync(_morocco);
        _analyst = await _morocco.Node.AddUserAsync(_morocco.Agency, "analyst.ma", [Role.Analyst]);
        _reviewer = await _morocco.Node.AddUserAsync(_morocco.Agency, "dpo.ma", [Role.LegalReviewer]);
        _partnerAnalyst = await _spain.Node.AddUserAsync(_spain.Agency, "analyst.es", [Role.Analyst]);
        var proposed = await _morocco.Administrator.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = "ES-CNP",
            threatDomains = new[] { "drug-trafficking" },
            highestClassification = "CONFIDENTIAL",
            handlingCodes = new[] { "H1" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30),
        });
        _agreement = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => await _spain.AgreementAsync(_agreement) is not null, "the proposal reaches ES-CNP");
        Assert.Equal(HttpStatusCode.OK, (await _spain.Administrator.Client.PostAsync($"/api/v1/agreements/{_agreement}/accept", null)).StatusCode);
        await Eventually.HoldsAsync(async () => (await _morocco.AgreementAsync(_agreement))!["status"]!.GetValue<string>() == "in-force", "the acceptance reaches MA-DGST");
        var record = await _analyst.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid());
        _subject = (await record.Content.ReadFromJsonAsync<JsonObject>())!["entities"]!.AsArray().First(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();
    }

    public async Task DisposeAsync()
    {
        await _morocco.Node.DisposeAsync();
        await _spain.Node.DisposeAsync();
    }

    [Fact]
    public async Task AnIssuedNotice_ItsUpdatesAndItsCancellation_ReachThePartnersNode()
    {
        var issued = await IssueAsync("Sought for cannabis resin trafficking through Tanger Med.");
        Assert.Equal("issued", issued["status"]!.GetValue<string>());
        var id = issued["id"]!.GetValue<Guid>();

        var seen = await SeenOnSpainAsync(id, n => n["status"]!.GetValue<string>() == "issued");
        Assert.Equal("red", seen["color"]!.GetValue<string>());
        Assert.Equal("MA-DGST", seen["issuer"]!["code"]!.GetValue<string>());
        Assert.Equal("Sought for cannabis resin trafficking through Tanger Med.", seen["summary"]!.GetValue<string>());
        await using (var spainDb = _spain.Node.Database.Open())
        {
            // The subject travelled with it: the person it is about is held on ES-CNP's node, as the issuer's entity.
            var subject = await spainDb.Entities.SingleAsync(e => e.Id == new Domain.Common.EntityId(seen["subject"]!.GetValue<Guid>()));
            Assert.Equal(_morocco.Agency.Id, subject.AgencyId);
            Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.NoticeCreate && e.TargetId == id.ToString() && e.ActorName!.StartsWith("node:")));
        }

        var updated = await _analyst.Client.PutAsJsonAsync($"/api/v1/notices/{id}", Request("Now believed to travel through Algeciras."));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        await SeenOnSpainAsync(id, n => n["summary"]!.GetValue<string>() == "Now believed to travel through Algeciras.");

        var cancelled = await _analyst.Client.PostAsJsonAsync($"/api/v1/notices/{id}/cancel", new { reason = "arrested in Tangier" });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        seen = await SeenOnSpainAsync(id, n => n["status"]!.GetValue<string>() == "cancelled");
        Assert.Equal("arrested in Tangier", seen["decisionReason"]!.GetValue<string>());

        // A cancelled notice is final on both nodes: a replayed issued state would be rejected, and none is sent.
        Assert.Equal(HttpStatusCode.Conflict, (await _analyst.Client.PutAsJsonAsync($"/api/v1/notices/{id}", Request("again"))).StatusCode);
        var sent = (await _morocco.MessagesAsync()).Where(m => m!["type"]!.GetValue<string>() == "notice.state").ToList();
        Assert.Equal(3, sent.Count);
        await Eventually.HoldsAsync(async () => (await _morocco.MessagesAsync()).Where(m => m!["type"]!.GetValue<string>() == "notice.state").All(m => m!["status"]!.GetValue<string>() == "delivered"), "every notice message acknowledged");
    }

    [Fact]
    public async Task ANoticeTheScreenHolds_NeverLeaves_AndAnUpdateItHolds_HidesTheNoticeOnThePartnersNode()
    {
        // Held from the start: nothing travels.
        var held = await IssueAsync("Member of a political party opposed to the government, sought for drug trafficking.");
        Assert.Equal("held-for-review", held["status"]!.GetValue<string>());

        var issued = await IssueAsync("Courier for a trafficking network.");
        var id = issued["id"]!.GetValue<Guid>();
        await SeenOnSpainAsync(id, n => n["status"]!.GetValue<string>() == "issued");

        // An update the screen holds: the partner stops seeing the notice, and the held text stays on MA-DGST's node.
        const string Flagged = "Also an election candidate for a political party.";
        var updated = await _analyst.Client.PutAsJsonAsync($"/api/v1/notices/{id}", Request(Flagged));
        Assert.Equal("held-for-review", (await updated.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        await Eventually.HoldsAsync(async () => (await _partnerAnalyst.Client.GetAsync($"/api/v1/notices/{id}")).StatusCode == HttpStatusCode.NotFound, "the held update hides the notice on ES-CNP");
        await using (var spainDb = _spain.Node.Database.Open())
        {
            Assert.False(await spainDb.Notices.AnyAsync(n => n.Id == new Domain.Common.NoticeId(held["id"]!.GetValue<Guid>())), "a notice held from the start never reaches the partner");
            Assert.False(await spainDb.Notices.AnyAsync(n => n.Summary.Contains("political")), "held text never reaches the partner");
            Assert.Equal("Courier for a trafficking network.", (await spainDb.Notices.SingleAsync(n => n.Id == new Domain.Common.NoticeId(id))).Summary);
        }

        // The issuer's legal reviewer clears it: it goes out again, with the text cleared.
        Assert.Equal(HttpStatusCode.OK, (await _reviewer.Client.PostAsJsonAsync($"/api/v1/notices/{id}/clear", new { reason = "about trafficking, not opinion" })).StatusCode);
        await SeenOnSpainAsync(id, n => n["summary"]!.GetValue<string>() == Flagged && n["status"]!.GetValue<string>() == "issued");
    }

    [Fact]
    public async Task SuspendingTheAgreement_HidesTheNoticeOnThePartnersNode_AndResumingShowsItAgain()
    {
        var id = (await IssueAsync("Sought for money laundering of drug proceeds."))["id"]!.GetValue<Guid>();
        await SeenOnSpainAsync(id, n => true);

        Assert.Equal(HttpStatusCode.OK, (await _spain.Administrator.Client.PostAsJsonAsync($"/api/v1/agreements/{_agreement}/suspend", new { reason = "review" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _partnerAnalyst.Client.GetAsync($"/api/v1/notices/{id}")).StatusCode);
        Assert.DoesNotContain((await _partnerAnalyst.Client.GetFromJsonAsync<JsonArray>("/api/v1/notices"))!, n => n!["id"]!.GetValue<Guid>() == id);

        // While suspended on MA-DGST's node too, no new notice can go to ES-CNP.
        await Eventually.HoldsAsync(async () => (await _morocco.AgreementAsync(_agreement))!["status"]!.GetValue<string>() == "suspended", "the suspension reaches MA-DGST");
        var refused = await _analyst.Client.PostAsJsonAsync("/api/v1/notices", Request("x"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _spain.Administrator.Client.PostAsJsonAsync($"/api/v1/agreements/{_agreement}/resume", new { reason = "done" })).StatusCode);
        await SeenOnSpainAsync(id, n => true);
    }

    private JsonObject Request(string summary) => new()
    {
        ["color"] = "red",
        ["subject"] = _subject.ToString(),
        ["title"] = "Wanted: trafficking network, Tanger Med",
        ["summary"] = summary,
        ["offence"] = "international drug trafficking",
        ["threatDomain"] = "drug-trafficking",
        ["recipients"] = new JsonArray("ES-CNP"),
    };

    private async Task<JsonObject> IssueAsync(string summary)
    {
        var response = await _analyst.Client.PostAsJsonAsync("/api/v1/notices", Request(summary));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<JsonObject> SeenOnSpainAsync(Guid id, Func<JsonObject, bool> condition)
    {
        JsonObject? seen = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                var response = await _partnerAnalyst.Client.GetAsync($"/api/v1/notices/{id}");
                seen = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
                return seen is not null && condition(seen);
            },
            () => $"notice {id} as expected on ES-CNP ({seen?.ToJsonString()}); messages sent: {_morocco.MessagesAsync().GetAwaiter().GetResult().ToJsonString()}");
        return seen!;
    }
}
