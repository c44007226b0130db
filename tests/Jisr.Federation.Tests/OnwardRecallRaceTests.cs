using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Exchange.Federation;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Federation.Tests;

/// <summary>
/// A recall received on the middle node writes to the next node's outbox inside the receive transaction (the only
/// receive path that moves a peer's outgoing sequence). Here it lands while ES-CNP's administrators send proposals to
/// FR-DGSI at the same moment, each in its own transaction: every message to FR-DGSI still gets its own sequence (no
/// gap, no duplicate), each is delivered and applied once, and the recall reaches the onward copy.
/// </summary>
public sealed class OnwardRecallRaceTests
{
    private const int Proposals = 24;

    [Fact]
    public async Task ARecallPassedOn_WhileTheMiddleNodeSendsToTheSamePeer_KeepsOneUnbrokenSequence()
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

        // MA-DGST's record reaches ES-CNP and, with MA-DGST's consent, goes on to FR-DGSI.
        var record = (await (await analystMa.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: "Réseau de passeurs"))).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var release = (await (await analystMa.Client.PostAsJsonAsync($"/api/v1/records/{record}/releases", new { agency = "ES-CNP" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var copy = release["copy"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => (await analystEs.Client.GetAsync($"/api/v1/records/{copy}")).IsSuccessStatusCode, "the copy reaches ES-CNP");
        var consent = (await (await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{copy}/consents", new { agency = "FR-DGSI", note = "enquête conjointe" }))
            .Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => (await reviewerMa.Client.GetAsync($"/api/v1/consents/{consent}")).IsSuccessStatusCode, "the request reaches MA-DGST");
        Assert.Equal(HttpStatusCode.OK, (await reviewerMa.Client.PostAsJsonAsync($"/api/v1/consents/{consent}/grant", new { reason = "accordé" })).StatusCode);
        await Eventually.HoldsAsync(
            async () => (await analystEs.Client.GetFromJsonAsync<JsonObject>($"/api/v1/consents/{consent}"))!["status"]!.GetValue<string>() == "granted", "the grant reaches ES-CNP");
        var onward = (await (await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{copy}/releases", new { agency = "FR-DGSI" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var frenchCopy = onward["copy"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => (await analystFr.Client.GetAsync($"/api/v1/records/{frenchCopy}")).IsSuccessStatusCode, "the onward copy reaches FR-DGSI");

        // The recall and a burst of ES-CNP's own proposals to FR-DGSI, at once.
        var recall = reviewerMa.Client.PostAsJsonAsync($"/api/v1/releases/{release["id"]!.GetValue<Guid>()}/recall", new { reason = "source compromise" });
        var proposals = Enumerable.Range(0, Proposals).Select(_ => spain.Administrator.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = "FR-DGSI",
            threatDomains = new[] { "terrorism" },
            highestClassification = "RESTRICTED",
            handlingCodes = new[] { "H1" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1),
        })).ToList();
        Assert.Equal(HttpStatusCode.OK, (await recall).StatusCode);
        Assert.All(await Task.WhenAll(proposals), p => Assert.Equal(HttpStatusCode.Created, p.StatusCode));

        await Eventually.HoldsAsync(async () => (await analystFr.Client.GetAsync($"/api/v1/records/{frenchCopy}")).StatusCode == HttpStatusCode.NotFound, "the recall reaches the onward copy on FR-DGSI", seconds: 60);
        await Eventually.HoldsAsync(async () =>
        {
            await using var db = spain.Node.Database.Open();
            return !await db.Set<OutboxMessage>().AnyAsync(m => m.Status == DeliveryStatuses.Pending);
        }, "ES-CNP's outbox drains", seconds: 60);

        List<(long Sequence, string Type, string Status)> sent;
        await using (var spainDb = spain.Node.Database.Open())
        {
            var toFrance = await spainDb.Set<FederationPeer>().AsNoTracking().SingleAsync(p => p.Fingerprint == france.Node.Fingerprint);
            sent = [.. (await spainDb.Set<OutboxMessage>().AsNoTracking().Where(m => m.PeerId == toFrance.Id).OrderBy(m => m.Sequence).ToListAsync()).Select(m => (m.Sequence, m.Type, m.Status))];
            Assert.Equal(toFrance.LastSequenceOut, sent.Count);
        }

        Assert.Equal(Enumerable.Range(1, sent.Count).Select(i => (long)i), sent.Select(m => m.Sequence));
        Assert.All(sent, m => Assert.Equal(DeliveryStatuses.Delivered, m.Status));
        Assert.Equal(Proposals + 1, sent.Count(m => m.Type == FederationMessageTypes.AgreementPropose)); // the burst and the first agreement
        Assert.Single(sent, m => m.Type == FederationMessageTypes.ReleaseRecall);

        await using (var franceDb = france.Node.Database.Open())
        {
            var fromSpain = await franceDb.Set<FederationPeer>().AsNoTracking().SingleAsync(p => p.Fingerprint == spain.Node.Fingerprint);
            var received = await franceDb.Set<InboxMessage>().AsNoTracking().Where(m => m.PeerId == fromSpain.Id).OrderBy(m => m.Sequence).Select(m => m.Sequence).ToListAsync();
            Assert.Equal(sent.Select(m => m.Sequence), received);
            Assert.Equal(Proposals + 1, await franceDb.Agreements.CountAsync());
        }

        foreach (var node in new[] { morocco, spain, france })
        {
            await using var db = node.Node.Database.Open();
            Assert.True((await AuditVerifier.VerifyAsync(db)).IsIntact, $"{node.Code}'s audit chain");
        }
    }
}
