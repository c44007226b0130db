using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Exchange.HitCheck;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Jisr.Storage.HitCheck;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Federation.Tests;

/// <summary>
/// Hit notices between two real nodes: a check on MA-DGST that hits ES-CNP's filter tells ES-CNP (signed
/// <c>hit.notice</c>) who had the hit, when and under which agreement, never the query; a no-hit tells nothing; forged
/// notices are refused with the reason, audited on both nodes, and keep nothing.
/// </summary>
public abstract partial class HitRequestFederationTestsBase
{
    [Fact]
    public async Task AHitTellsTheOwnerOnce_WithoutTheQuery_ANoHitTellsNothing()
    {
        await HoldAsync("RESTRICTED", "Youssef El Idrissi");
        await PublishAndWaitAsync();

        Assert.Equal("no-hit", (await CheckAsync(new { name = "Khalid Ouazzani" }))["result"]!.GetValue<string>());
        var hit = await CheckAsync(new { name = "يوسف الإدريسي" });
        Assert.Equal("hit", hit["result"]!.GetValue<string>());
        var keysHit = Assert.Single(hit["hits"]!.AsArray())!["parts"]!.AsArray().Count;

        // ES-CNP's liaison officer sees exactly one notice: who, under which agreement, how many keys; and it is counted.
        await Eventually.HoldsAsync(async () => (await _liaison.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/notices"))!.Count > 0, "the notice reaches ES-CNP", seconds: 60);
        var notice = Assert.Single((await _reviewer.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/notices"))!)!;
        Assert.Equal("MA-DGST", notice["requester"]!["code"]!.GetValue<string>());
        Assert.Equal(_agreement, notice["agreementId"]!.GetValue<Guid>());
        Assert.Equal(keysHit, notice["keysHit"]!.GetValue<int>());
        Assert.DoesNotContain("يوسف", notice.ToJsonString(), StringComparison.Ordinal);
        var tally = Assert.Single((await _liaison.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/requests/tally"))!)!;
        Assert.Equal(1, tally["hits"]!.GetValue<int>());
        Assert.Equal(1, tally["hitsLastDay"]!.GetValue<int>());
        Assert.Equal(0, tally["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, (await _spanishAnalyst.Client.GetAsync("/api/v1/hits/notices")).StatusCode);

        // The signed payload as ES-CNP keeps it holds the notice's six fields and nothing of the query.
        await using (var spainDb = _spain.Node.Database.Open())
        {
            var envelope = Assert.Single(await spainDb.Set<InboxMessage>().Where(m => m.Type == HitNoticeMessage.Type).Select(m => m.Envelope).ToListAsync());
            var payload = JsonNode.Parse(JsonNode.Parse(envelope)!["payload"]!.GetValue<string>())!.AsObject();
            Assert.Equal(
                new[] { "agreementid", "checkedat", "keyshit", "noticeid", "owneragencyid", "requesteragencyid" },
                payload.Select(p => p.Key.ToLowerInvariant()).Order(StringComparer.Ordinal).ToArray());
            foreach (var secret in new[] { "Youssef", "Idrissi", "يوسف", "الإدريسي", "ysf", "drs", "enquête" })
            {
                Assert.DoesNotContain(secret, payload.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.OrdinalIgnoreCase);
            }

            var kept = Assert.Single(await spainDb.Set<HitNotice>().ToListAsync());
            Assert.Equal((_morocco.Agency.Id.Value, _spain.Agency.Id.Value, _agreement, keysHit), (kept.RequesterAgencyId, kept.OwnerAgencyId, kept.AgreementId, kept.KeysHit));
            var received = Assert.Single(await spainDb.AuditLog.Where(e => e.Action == AuditActions.HitNoticeReceive).ToListAsync());
            Assert.Equal(_spain.Agency.Id, received.AgencyId);
            Assert.DoesNotContain("Idrissi", received.Detail!, StringComparison.OrdinalIgnoreCase);
        }

        // One notice left MA-DGST (the no-hit sent none), committed with the check's audit entry.
        await using var moroccoDb = _morocco.Node.Database.Open();
        Assert.Equal(1, await moroccoDb.Set<OutboxMessage>().CountAsync(m => m.Type == HitNoticeMessage.Type));
        Assert.Equal(2, await moroccoDb.AuditLog.CountAsync(e => e.Action == AuditActions.HitCheck));
    }

    [Fact]
    public async Task ForgedHitNotices_AreRefusedWithTheReason_AuditedOnBothNodes_AndKeepNothing()
    {
        var now = DateTimeOffset.UtcNow;
        var spain = _spain.Agency.Id.Value;
        var morocco = _morocco.Agency.Id.Value;
        await SendFromSpainAsync(HitNoticeMessage.Type, new HitNoticeMessage(Guid.NewGuid(), _agreement, morocco, morocco, 1, now)); // a requester ES-CNP's node does not host
        await SendFromSpainAsync(HitNoticeMessage.Type, new HitNoticeMessage(Guid.NewGuid(), Guid.NewGuid(), spain, morocco, 1, now)); // an agreement unknown there

        await Eventually.HoldsAsync(
            async () => (await _spain.MessagesAsync()).Count(m => m!["type"]!.GetValue<string>() == HitNoticeMessage.Type && m["status"]!.GetValue<string>() == "rejected") == 2,
            () => $"two notices rejected by MA-DGST: {_spain.MessagesAsync().GetAwaiter().GetResult().ToJsonString()}",
            seconds: 60);
        await using (var moroccoDb = _morocco.Node.Database.Open())
        {
            var refusals = await moroccoDb.AuditLog.Where(e => e.Action == AuditActions.FederationReceive && e.Outcome == AuditOutcomes.Refused).Select(e => e.Detail!).ToListAsync();
            Assert.True(refusals.Any(d => d.Contains("requester is not hosted by the sending node", StringComparison.Ordinal)), string.Join("\n", refusals));
            Assert.True(refusals.Any(d => d.Contains("no agreement between the requester and the owner", StringComparison.Ordinal)), string.Join("\n", refusals));
            Assert.False(await moroccoDb.Set<HitNotice>().AnyAsync());
            Assert.False(await moroccoDb.AuditLog.AnyAsync(e => e.Action == AuditActions.HitNoticeReceive));
        }

        await using var spainDb = _spain.Node.Database.Open();
        Assert.True(await spainDb.AuditLog.CountAsync(e => e.Action == AuditActions.FederationDelivered && e.Detail!.Contains(HitNoticeMessage.Type)) >= 2);
    }

    private async Task<JsonObject> CheckAsync(object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hits/check") { Content = JsonContent.Create(body) };
        request.Headers.Add(PurposeHeader, Uri.EscapeDataString(Purpose));
        var response = await _analyst.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
