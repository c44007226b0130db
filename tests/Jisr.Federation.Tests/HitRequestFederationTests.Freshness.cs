using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Server.HitCheck;
using Jisr.Storage.Audit;
using Jisr.Storage.HitCheck;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Federation.Tests;

/// <summary>
/// Freshness, floods and stops between two real nodes: a record added, changed or deleted on ES-CNP reaches MA-DGST's
/// copy of its filter within seconds, with no publish and long before the periodic rebuild; a partner checking in a
/// loop adds at most the notice rate in rows (every hit still counted) and the list pages; an answer whose release
/// committed but whose request did not (the node stopped between the two) is taken by the upkeep and sent.
/// </summary>
public abstract partial class HitRequestFederationTestsBase
{
    [Fact]
    public async Task ARecordAddedChangedOrDeleted_ChangesThePartnersFilterWithinSeconds_WithoutAPublish()
    {
        var youssef = await HoldAsync("RESTRICTED", "Youssef El Idrissi");
        await PublishAndWaitAsync();
        Assert.Equal("no-hit", await ResultAsync("Karim Benali Tazi"));

        // Added: the rebuild interval is 5 minutes; only the change itself can bring the name into the filter this soon.
        var karim = await HoldAsync("RESTRICTED", "Karim Benali Tazi");
        await HitsAsync("كريم بنعلي التازي", "hit", "a record added on ES-CNP hits on MA-DGST");

        // Deleted: its names stop hitting.
        Assert.Equal(HttpStatusCode.NoContent, (await _spanishAnalyst.Client.DeleteAsync($"/api/v1/records/{karim}")).StatusCode);
        await HitsAsync("Karim Benali Tazi", "no-hit", "a record deleted on ES-CNP stops hitting on MA-DGST");

        // Changed: the person's name is corrected; the old name stops hitting, the new one hits.
        var record = RecordRequests.Valid(title: "Suivi", classification: "RESTRICTED");
        record["entities"] = new JsonArray(new JsonObject { ["ref"] = "x", ["type"] = "person", ["names"] = new JsonArray("Hamid Ouazzani") });
        record["links"] = new JsonArray();
        var changed = await _spanishAnalyst.Client.PutAsJsonAsync($"/api/v1/records/{youssef}", record);
        Assert.True(changed.StatusCode == HttpStatusCode.OK, $"{(int)changed.StatusCode} {await changed.Content.ReadAsStringAsync()}");
        await HitsAsync("Youssef El Idrissi", "no-hit", "the old name stops hitting");
        Assert.Equal("hit", await ResultAsync("حميد الوزاني"));

        await using var spainDb = _spain.Node.Database.Open();
        Assert.True(await spainDb.AuditLog.CountAsync(e => e.Action == AuditActions.HitFilterPublish && e.ActorName == "node:hit-filters") >= 3, "each change published by the node itself");
    }

    [Fact]
    public async Task ACheckLoop_AddsAtMostTheNoticeRateInRows_EveryHitCounted_TheListPages()
    {
        await HoldAsync("RESTRICTED", "Youssef El Idrissi");
        await PublishAndWaitAsync();
        _spain.Node.App.Services.GetRequiredService<HitRequestOptions>().NoticeLimit = 2;
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("hit", await ResultAsync("Youssef El Idrissi"));
        }

        await Eventually.HoldsAsync(
            async () => (await _liaison.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/requests/tally"))!.SingleOrDefault()?["hits"]?.GetValue<int>() == 6,
            "the six hits are counted on ES-CNP",
            seconds: 60);
        var notices = (await _liaison.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/notices"))!;
        Assert.Equal(2, notices.Count);
        Assert.Equal(6, notices.Sum(n => n!["hits"]!.GetValue<int>()));
        Assert.Equal(5, notices.Max(n => n!["hits"]!.GetValue<int>())); // the latest row took the four over the rate

        // Pages: one at a time, in order, no row twice; a bad page size is refused with the reason.
        var first = Assert.Single((await _liaison.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/notices?limit=1"))!)!;
        var second = Assert.Single((await _liaison.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/notices?offset=1&limit=1"))!)!;
        Assert.Equal(notices[0]!["id"]!.GetValue<Guid>(), first["id"]!.GetValue<Guid>());
        Assert.Equal(notices[1]!["id"]!.GetValue<Guid>(), second["id"]!.GetValue<Guid>());
        Assert.Empty((await _liaison.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/notices?offset=2"))!);
        await ExpectProblemAsync(await _liaison.Client.GetAsync("/api/v1/hits/notices?limit=0"), HttpStatusCode.BadRequest, "limit");
        await ExpectProblemAsync(await _liaison.Client.GetAsync("/api/v1/hits/requests?offset=-1"), HttpStatusCode.BadRequest, "offset");

        await using var spainDb = _spain.Node.Database.Open();
        Assert.Equal(2, await spainDb.Set<HitNotice>().CountAsync());
        Assert.Equal(6, await spainDb.AuditLog.CountAsync(e => e.Action == AuditActions.HitNoticeReceive));
        Assert.Equal(4, await spainDb.AuditLog.CountAsync(e => e.Action == AuditActions.HitNoticeReceive && e.Outcome == AuditOutcomes.Refused && e.Detail!.Contains("over the notice rate")));
    }

    [Fact]
    public async Task AnAnswerWhoseReleaseCommittedBeforeTheNodeStopped_IsTakenByTheUpkeep_AndReachesTheRequester()
    {
        var youssef = await HoldAsync("RESTRICTED", "Youssef El Idrissi");
        await PublishAndWaitAsync();
        var id = (await OpenOkAsync(new { agency = "ES-CNP", name = "Youssef El Idrissi", legalBasis = "art. 5", handling = "H1" }))["id"]!.GetValue<Guid>();
        await OnSpainAsync(id, r => r["status"]!.GetValue<string>() == "open");

        // What the answer does before its second commit: the release, made through the release path with the answer's note.
        var made = await _liaison.Client.PostAsJsonAsync($"/api/v1/records/{youssef}/releases", new { agency = "MA-DGST", agreement = _agreement, note = $"answer to hit request {id:D}: voir rapport" });
        Assert.True(made.StatusCode == HttpStatusCode.Created, $"{(int)made.StatusCode} {await made.Content.ReadAsStringAsync()}");
        var release = (await made.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        Assert.Equal("open", (await _liaison.Client.GetFromJsonAsync<JsonObject>($"/api/v1/hits/requests/{id}"))!["status"]!.GetValue<string>());

        // The upkeep takes it as the answer: the request follows on both nodes, with the one release (no second one).
        await UpkeepAsync(_spain);
        var owner = await OnSpainAsync(id, r => r["status"]!.GetValue<string>() == "released");
        Assert.Equal(release, owner["release"]!.GetValue<Guid>());
        Assert.Equal("liaison.es", owner["decidedBy"]!.GetValue<string>());
        Assert.Equal("voir rapport", owner["reason"]!.GetValue<string>());
        var requester = await OnMoroccoAsync(id, r => r["status"]!.GetValue<string>() == "released");
        Assert.Equal(release, requester["release"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.OK, (await _analyst.Client.GetAsync($"/api/v1/records/{requester["copyRecord"]!.GetValue<Guid>()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ReplyAsync(_liaison, id, new { decision = "release", record = youssef })).StatusCode);

        await using var spainDb = _spain.Node.Database.Open();
        Assert.Equal(1, await spainDb.Releases.CountAsync());
        Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.HitRequestReply && e.TargetId == id.ToString() && e.Detail!.Contains("recovered")));
    }

    /// <summary>Checks <paramref name="name"/> on MA-DGST until the answer is <paramref name="expected"/> (each check audited there).</summary>
    private async Task HitsAsync(string name, string expected, string what) =>
        await Eventually.HoldsAsync(async () => await ResultAsync(name) == expected, what, seconds: 60);

    private async Task<string> ResultAsync(string name) => (await CheckAsync(new { name }))["result"]!.GetValue<string>();
}
