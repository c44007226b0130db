using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Jisr.Exchange.Federation;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Federation.Tests;

/// <summary>
/// What the originator keeps once its record has gone two hops: MA-DGST and FR-DGSI each peer only with ES-CNP, and
/// ES-CNP passed two of MA-DGST's records on to FR-DGSI with MA-DGST's consent. A recall by MA-DGST reaches the onward
/// copy on FR-DGSI, through ES-CNP's node (signed by it, audited on all three); FR-DGSI, which holds MA-DGST's node only
/// as relayed, cannot ask it for consent (409 saying what to do); once FR-DGSI revokes that relayed node, ES-CNP's
/// later onward copies of MA-DGST's records are rejected there.
/// </summary>
public sealed class OnwardRecallTests
{
    [Fact]
    public async Task ARecallByTheOriginator_ReachesTheOnwardCopyOnANodeNotPeeredWithIt_AndARevokedRelayedNodeStopsLaterCopies()
    {
        await using var morocco = await AgencyNode.StartAsync("MA-DGST", "MA");
        await using var spain = await AgencyNode.StartAsync("ES-CNP", "ES");
        await using var france = await AgencyNode.StartAsync("FR-DGSI", "FR");
        foreach (var (a, b) in new[] { (morocco, spain), (spain, morocco), (spain, france), (france, spain) })
        {
            await a.PeerWithAsync(b);
        }

        await morocco.AgreeWithAsync(spain);
        await spain.AgreeWithAsync(france);
        var analystMa = await morocco.Node.AddUserAsync(morocco.Agency, "analyst.ma", [Role.Analyst]);
        var reviewerMa = await morocco.Node.AddUserAsync(morocco.Agency, "dpo.ma", [Role.LegalReviewer]);
        var analystEs = await spain.Node.AddUserAsync(spain.Agency, "analyst.es", [Role.Analyst]);
        var analystFr = await france.Node.AddUserAsync(france.Agency, "analyst.fr", [Role.Analyst]);

        // Two of MA-DGST's records reach ES-CNP, and MA-DGST consents to each going on to FR-DGSI.
        var released = new List<(Guid Release, Guid Copy)>();
        foreach (var title in new[] { "Réseau de passeurs", "Filière de faux documents" })
        {
            var record = (await (await analystMa.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: title))).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
            var release = (await (await analystMa.Client.PostAsJsonAsync($"/api/v1/records/{record}/releases", new { agency = "ES-CNP" })).Content.ReadFromJsonAsync<JsonObject>())!;
            var copy = release["copy"]!.GetValue<Guid>();
            released.Add((release["id"]!.GetValue<Guid>(), copy));
            await Eventually.HoldsAsync(async () => (await analystEs.Client.GetAsync($"/api/v1/records/{copy}")).IsSuccessStatusCode, "the copy reaches ES-CNP");
            var consent = (await (await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{copy}/consents", new { agency = "FR-DGSI", note = "enquête conjointe" }))
                .Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
            await Eventually.HoldsAsync(async () => (await reviewerMa.Client.GetAsync($"/api/v1/consents/{consent}")).IsSuccessStatusCode, "the request reaches MA-DGST");
            Assert.Equal(HttpStatusCode.OK, (await reviewerMa.Client.PostAsJsonAsync($"/api/v1/consents/{consent}/grant", new { reason = "accordé" })).StatusCode);
            await Eventually.HoldsAsync(
                async () => (await analystEs.Client.GetFromJsonAsync<JsonObject>($"/api/v1/consents/{consent}"))!["status"]!.GetValue<string>() == "granted", "the grant reaches ES-CNP");
        }

        var onward = (await (await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{released[0].Copy}/releases", new { agency = "FR-DGSI" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var onwardRelease = onward["id"]!.GetValue<Guid>();
        var frenchCopy = onward["copy"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => (await analystFr.Client.GetAsync($"/api/v1/records/{frenchCopy}")).IsSuccessStatusCode, "the onward copy reaches FR-DGSI");

        // FR-DGSI cannot ask MA-DGST's node for consent about its copy: it is not a peer there, only relayed.
        var asked = await analystFr.Client.PostAsJsonAsync($"/api/v1/records/{frenchCopy}/consents", new { agency = "ES-CNP", note = "retour" });
        Assert.Equal(HttpStatusCode.Conflict, asked.StatusCode);
        Assert.Contains("must peer with it first", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // FR-DGSI's operator revokes the relayed node: ES-CNP's next onward copy of MA-DGST's record is rejected there.
        var peers = (await france.Operator.Client.GetFromJsonAsync<JsonArray>("/api/v1/federation/peers"))!;
        var relayed = peers.Single(p => p!["fingerprint"]!.GetValue<string>() == morocco.Node.Fingerprint)!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await france.Operator.Client.PostAsync($"/api/v1/federation/peers/{relayed}/revoke", null)).StatusCode);
        var second = await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{released[1].Copy}/releases", new { agency = "FR-DGSI" });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var secondCopy = (await second.Content.ReadFromJsonAsync<JsonObject>())!["copy"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(
            async () => (await spain.MessagesAsync()).Any(m => m!["type"]!.GetValue<string>() == FederationMessageTypes.ReleaseDeliver && m["status"]!.GetValue<string>() == "rejected"
                && m["lastError"]?.GetValue<string>() is { } e && e.Contains("was revoked here", StringComparison.Ordinal)),
            "FR-DGSI rejects the onward copy whose originator's node it revoked");
        Assert.Equal(HttpStatusCode.NotFound, (await analystFr.Client.GetAsync($"/api/v1/records/{secondCopy}")).StatusCode);

        // MA-DGST recalls its first release: the copy goes on ES-CNP, and ES-CNP's node recalls its onward release.
        Assert.Equal(HttpStatusCode.OK, (await reviewerMa.Client.PostAsJsonAsync($"/api/v1/releases/{released[0].Release}/recall", new { reason = "source compromise" })).StatusCode);
        await Eventually.HoldsAsync(async () => (await analystEs.Client.GetAsync($"/api/v1/records/{released[0].Copy}")).StatusCode == HttpStatusCode.NotFound, "the copy goes on ES-CNP");
        await Eventually.HoldsAsync(
            async () => (await analystFr.Client.GetAsync($"/api/v1/records/{frenchCopy}")).StatusCode == HttpStatusCode.NotFound,
            () => $"the onward copy goes on FR-DGSI; ES-CNP's messages: {spain.MessagesAsync().GetAwaiter().GetResult().ToJsonString()}");
        Assert.Equal(HttpStatusCode.OK, (await analystEs.Client.GetAsync($"/api/v1/records/{released[1].Copy}")).StatusCode);
        await Eventually.HoldsAsync(
            async () => (await morocco.MessagesAsync()).Any(m => m!["type"]!.GetValue<string>() == FederationMessageTypes.ReleaseRecall && m["status"]!.GetValue<string>() == "delivered"),
            "MA-DGST holds ES-CNP's acknowledgement of the recall");
        await Eventually.HoldsAsync(
            async () => (await spain.MessagesAsync()).Any(m => m!["type"]!.GetValue<string>() == FederationMessageTypes.ReleaseRecall && m["direction"]!.GetValue<string>() == "sent" && m["status"]!.GetValue<string>() == "delivered"),
            "ES-CNP holds FR-DGSI's acknowledgement of the recall it passed on");

        await using (var spainDb = spain.Node.Database.Open())
        {
            var passedOn = await spainDb.Releases.AsNoTracking().SingleAsync(r => r.Id == new ReleaseId(onwardRelease));
            Assert.Equal(ReleaseStatus.Recalled, passedOn.Status);
            Assert.Contains(released[0].Release.ToString("D"), passedOn.RecallReason, StringComparison.Ordinal);
            Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.ReleaseRecall && e.TargetType == AuditTargets.Release && e.TargetId == onwardRelease.ToString()));
            Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.FederationSend && e.Detail!.Contains("type=" + FederationMessageTypes.ReleaseRecall)));
        }

        await using (var franceDb = france.Node.Database.Open())
        {
            Assert.True(await franceDb.AuditLog.AnyAsync(e => e.Action == AuditActions.ReleaseRecall && e.TargetId == frenchCopy.ToString() && e.Detail!.Contains("onward release")));
        }

        foreach (var node in new[] { morocco, spain, france })
        {
            await using var db = node.Node.Database.Open();
            Assert.True((await AuditVerifier.VerifyAsync(db)).IsIntact, $"{node.Code}'s audit chain");
        }
    }
}
