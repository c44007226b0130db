using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Exchange.Federation;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Federation.Tests;

/// <summary>
/// The third-party rule when the third node is not peered with the originator's: MA-DGST and FR-DGSI each peer only
/// with ES-CNP. ES-CNP passes MA-DGST's record on to FR-DGSI after MA-DGST's reviewer granted it on MA-DGST's node;
/// the copy carries MA-DGST's node's own signed grant, and FR-DGSI's node checks it (it holds for this record, this
/// releasing agency and this recipient, signed by the key ES-CNP pinned for MA-DGST). Without that grant, with it
/// altered, or signed by another node, FR-DGSI's node rejects the copy; MA-DGST becomes known there as the agency of a
/// relayed node, to which nothing is sent, and which becomes an ordinary peer when FR-DGSI's operator peers with it.
/// </summary>
public sealed class OnwardReleaseTests
{
    [Fact]
    public async Task AnOnwardRelease_ReachesAThirdNodeNotPeeredWithTheOriginator_OnlyWithTheOriginatorsSignedConsent()
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

        var record = (await (await analystMa.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: "Réseau de passeurs")))
            .Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var copy = (await (await analystMa.Client.PostAsJsonAsync($"/api/v1/records/{record}/releases", new { agency = "ES-CNP" }))
            .Content.ReadFromJsonAsync<JsonObject>())!["copy"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => (await analystEs.Client.GetAsync($"/api/v1/records/{copy}")).IsSuccessStatusCode, "the copy reaches ES-CNP");
        Assert.Equal(HttpStatusCode.Forbidden, (await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{copy}/releases", new { agency = "FR-DGSI" })).StatusCode);

        var consent = (await (await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{copy}/consents", new { agency = "FR-DGSI", note = "enquête conjointe" }))
            .Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => (await reviewerMa.Client.GetAsync($"/api/v1/consents/{consent}")).IsSuccessStatusCode, "the request reaches MA-DGST's reviewers");
        Assert.Equal(HttpStatusCode.OK, (await reviewerMa.Client.PostAsJsonAsync($"/api/v1/consents/{consent}/grant", new { reason = "accordé" })).StatusCode);
        await Eventually.HoldsAsync(
            async () => (await analystEs.Client.GetFromJsonAsync<JsonObject>($"/api/v1/consents/{consent}"))!["status"]!.GetValue<string>() == "granted",
            "the grant reaches ES-CNP");

        var onward = await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{copy}/releases", new { agency = "FR-DGSI" });
        Assert.Equal(HttpStatusCode.Created, onward.StatusCode);
        var frenchCopy = (await onward.Content.ReadFromJsonAsync<JsonObject>())!["copy"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(
            async () => (await analystFr.Client.GetAsync($"/api/v1/records/{frenchCopy}")).IsSuccessStatusCode,
            () => $"the onward copy reaches FR-DGSI; ES-CNP's messages: {spain.MessagesAsync().GetAwaiter().GetResult().ToJsonString()}");
        var seen = (await analystFr.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{frenchCopy}"))!;
        Assert.Equal("MA-DGST", seen["originator"]!["code"]!.GetValue<string>());
        Assert.Equal(record, seen["provenance"]!["originalRecord"]!.GetValue<Guid>());
        Assert.Equal(copy, seen["provenance"]!["sourceRecord"]!.GetValue<Guid>());
        Assert.Equal("H1", seen["marking"]!["handling"]!.GetValue<string>());

        // On FR-DGSI's node MA-DGST's node is known, relayed, not a peer: nothing can be sent to it.
        var peers = (await france.Operator.Client.GetFromJsonAsync<JsonArray>("/api/v1/federation/peers"))!;
        var relayed = Assert.Single(peers, p => p!["fingerprint"]!.GetValue<string>() == morocco.Node.Fingerprint)!;
        Assert.Equal(PeerStatuses.Relayed, relayed["status"]!.GetValue<string>());
        Assert.Equal(["MA-DGST"], relayed["agencies"]!.AsArray().Select(a => a!.GetValue<string>()));
        await using (var franceDb = france.Node.Database.Open())
        {
            Assert.True(await franceDb.AuditLog.AnyAsync(e => e.Action == AuditActions.ReleaseReceive && e.TargetId == frenchCopy.ToString() && e.Detail!.Contains("onward")));
        }

        // Forged onward releases from ES-CNP's node (its own key, next in sequence): each rejected, none stored.
        var spainKey = spain.Node.App.Services.GetRequiredService<NodeIdentity>().Require().Key;
        ReleaseDelivery delivered;
        long sequence;
        await using (var franceDb = france.Node.Database.Open())
        {
            var row = await franceDb.Set<InboxMessage>().Where(m => m.Type == FederationMessageTypes.ReleaseDeliver).OrderByDescending(m => m.Sequence).FirstAsync();
            delivered = FederationJson.Read<ReleaseDelivery>(FederationJson.Read<FederationEnvelope>(row.Envelope).Payload);
            sequence = await franceDb.Set<InboxMessage>().Where(m => m.PeerId == row.PeerId).MaxAsync(m => m.Sequence);
        }

        var proof = delivered.Onward!;
        var decision = FederationJson.Read<FederationEnvelope>(proof.Decision);
        var granted = FederationJson.Read<ConsentDecisionMessage>(decision.Payload);
        var forgedDecision = FederationEnvelope.Create(spainKey, Guid.CreateVersion7(), FederationMessageTypes.ConsentDecision, spain.Node.Fingerprint!, 1, DateTimeOffset.UtcNow, EnvelopeCheck.Lifetime, decision.Payload);
        var forgeries = new (OnwardConsent? Proof, string Why)[]
        {
            (null, "carries none"),
            (proof with { Decision = FederationJson.Write(decision with { Payload = FederationJson.Write(granted with { TargetAgencyId = Guid.CreateVersion7() }) }) }, "changed after signing"),
            (proof with { Decision = FederationJson.Write(forgedDecision), OriginatorNodeKey = Convert.ToBase64String(spainKey.ExportSubjectPublicKeyInfo()) }, "not by the node known here"),
        };
        using var toFrance = france.Node.CreateClient();
        foreach (var (forged, why) in forgeries)
        {
            var release = delivered with { ReleaseId = Guid.CreateVersion7(), CopyRecordId = Guid.CreateVersion7(), Onward = forged };
            var envelope = FederationEnvelope.Create(spainKey, Guid.CreateVersion7(), FederationMessageTypes.ReleaseDeliver, france.Node.Fingerprint!, ++sequence, DateTimeOffset.UtcNow, EnvelopeCheck.Lifetime, FederationJson.Write(release));
            using var content = new StringContent(FederationJson.Write(envelope), System.Text.Encoding.UTF8, "application/json");
            var ack = FederationJson.Read<FederationAck>(await (await toFrance.PostAsync("/federation/v1/messages", content)).Content.ReadAsStringAsync());
            Assert.Equal(FederationAck.Rejected, ack.Status);
            Assert.Contains(why, ack.Reason, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await analystFr.Client.GetAsync($"/api/v1/records/{release.CopyRecordId}")).StatusCode);
        }

        // FR-DGSI's operator peers with MA-DGST's node for real: the relayed node becomes an active peer, same agency.
        await france.PeerWithAsync(morocco);
        peers = (await france.Operator.Client.GetFromJsonAsync<JsonArray>("/api/v1/federation/peers"))!;
        relayed = Assert.Single(peers, p => p!["fingerprint"]!.GetValue<string>() == morocco.Node.Fingerprint)!;
        Assert.Equal(PeerStatuses.Active, relayed["status"]!.GetValue<string>());
        Assert.Equal(["MA-DGST"], relayed["agencies"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await analystFr.Client.GetAsync($"/api/v1/records/{frenchCopy}")).StatusCode);
        foreach (var node in new[] { morocco, spain, france })
        {
            await using var db = node.Node.Database.Open();
            Assert.True((await AuditVerifier.VerifyAsync(db)).IsIntact, $"{node.Code}'s audit chain");
        }
    }
}
