using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Exchange.Federation;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Federation.Tests;

/// <summary>
/// Two sovereign nodes (MA-DGST, ES-CNP), each with its own database, key and HTTPS port, peered by pinned
/// fingerprint: an agreement proposed on one is accepted on the other and every change reaches both; bad messages are
/// refused and audited.
/// </summary>
public sealed class AgreementFederationTests : TwoPeeredNodes
{
    [Fact]
    public async Task Peering_MakesThePartnersAgenciesKnown_AndIsAudited()
    {
        var peers = (await Morocco.Operator.Client.GetFromJsonAsync<JsonArray>("/api/v1/federation/peers"))!;

        var peer = Assert.Single(peers)!;
        Assert.Equal(Spain.Node.Fingerprint, peer["fingerprint"]!.GetValue<string>());
        Assert.Equal(["ES-CNP"], peer["agencies"]!.AsArray().Select(a => a!.GetValue<string>()));
        await using var db = Morocco.Node.Database.Open();
        Assert.True(await db.AuditLog.AnyAsync(e => e.Action == AuditActions.PeerAdd && e.TargetId == Spain.Node.Fingerprint));
        Assert.Equal(HttpStatusCode.Forbidden, (await Morocco.Administrator.Client.GetAsync("/api/v1/federation/peers")).StatusCode);
    }

    [Fact]
    public async Task AnAgreement_ProposedOnOneNode_IsAcceptedOnTheOther_AndEveryChangeReachesBoth()
    {
        var proposed = await Morocco.Administrator.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = "ES-CNP",
            threatDomains = new[] { "terrorism", "organised-crime" },
            highestClassification = "CONFIDENTIAL",
            handlingCodes = new[] { "H1", "H2" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1),
        });
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var id = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        await Eventually.HoldsAsync(async () => await Spain.AgreementAsync(id) is not null, "the proposal reaches ES-CNP's node");
        var there = (await Spain.AgreementAsync(id))!;
        var here = (await Morocco.AgreementAsync(id))!;
        foreach (var term in new[] { "proposer", "partner", "threatDomains", "highestClassification", "handlingCodes", "validFrom", "validUntil", "status" })
        {
            Assert.Equal(here[term]!.ToJsonString(), there[term]!.ToJsonString());
        }

        // Only the partner accepts, on its own node; MA-DGST's administrator cannot.
        Assert.Equal(HttpStatusCode.Forbidden, (await Morocco.Administrator.Client.PostAsync($"/api/v1/agreements/{id}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Spain.Administrator.Client.PostAsync($"/api/v1/agreements/{id}/accept", null)).StatusCode);
        await Eventually.HoldsAsync(async () => (await Morocco.AgreementAsync(id))!["status"]!.GetValue<string>() == "in-force", "the acceptance reaches MA-DGST's node");

        Assert.Equal(HttpStatusCode.OK, (await Morocco.Administrator.Client.PostAsJsonAsync($"/api/v1/agreements/{id}/suspend", new { reason = "audit of the partner's handling" })).StatusCode);
        await Eventually.HoldsAsync(async () => (await Spain.AgreementAsync(id))!["status"]!.GetValue<string>() == "suspended", "the suspension reaches ES-CNP's node");

        // The suspension is MA-DGST's safeguard: ES-CNP cannot lift it, on its own node.
        Assert.Equal(HttpStatusCode.Forbidden, (await Spain.Administrator.Client.PostAsJsonAsync($"/api/v1/agreements/{id}/resume", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Morocco.Administrator.Client.PostAsJsonAsync($"/api/v1/agreements/{id}/resume", new { reason = "resolved" })).StatusCode);
        await Eventually.HoldsAsync(async () => (await Spain.AgreementAsync(id))!["status"]!.GetValue<string>() == "in-force", "the resumption reaches ES-CNP's node");

        Assert.Equal(HttpStatusCode.OK, (await Spain.Administrator.Client.PostAsJsonAsync($"/api/v1/agreements/{id}/end", new { reason = "mission over" })).StatusCode);
        await Eventually.HoldsAsync(async () => (await Morocco.AgreementAsync(id))!["status"]!.GetValue<string>() == "ended", "the end reaches MA-DGST's node");

        // Every message delivered with a signed acknowledgement; each side audited what it sent and received. (ES-CNP
        // applies a message and answers before MA-DGST records the answer: the last one's status is waited for.)
        List<JsonNode?> sent = [];
        await Eventually.HoldsAsync(
            async () =>
            {
                sent = [.. (await Morocco.MessagesAsync()).Where(m => m!["direction"]!.GetValue<string>() == "sent")];
                return sent.All(m => m!["status"]!.GetValue<string>() == "delivered");
            },
            () => $"MA-DGST records every acknowledgement: {string.Join(", ", sent.Select(m => m!.ToJsonString()))}");
        Assert.Equal(3, sent.Count);
        var received = (await Spain.MessagesAsync()).Where(m => m!["direction"]!.GetValue<string>() == "received").ToList();
        Assert.Equal(3, received.Count);
        await using var db = Spain.Node.Database.Open();
        foreach (var message in sent)
        {
            var digest = message!["payloadDigest"]!.GetValue<string>();
            Assert.True(await db.AuditLog.AnyAsync(e => e.Action == AuditActions.FederationReceive && e.Detail!.Contains(digest)), $"ES-CNP audited the receipt of {digest}");
        }
    }

    [Fact]
    public async Task ATamperedPayload_AReplayAndAnUnknownNode_AreRefusedAndAudited()
    {
        await Morocco.ProposeAsync("ES-CNP", ["terrorism"], ["H1"]);
        await Eventually.HoldsAsync(async () => (await Morocco.MessagesAsync()).Any(m => m!["status"]!.GetValue<string>() == "delivered"), "the first message is delivered");
        OutboxMessage delivered;
        await using (var db = Morocco.Node.Database.Open())
        {
            delivered = await db.Set<OutboxMessage>().SingleAsync();
        }

        var envelope = FederationJson.Read<FederationEnvelope>(delivered.Envelope);
        using var toSpain = Spain.Node.CreateClient();

        // The exact message again: acknowledged as a duplicate, nothing changes.
        var again = await PostAsync(toSpain, FederationJson.Write(envelope));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(FederationAck.Duplicate, again.Ack!.Status);

        // The payload changed in flight: refused.
        var tampered = await PostAsync(toSpain, FederationJson.Write(envelope with { Payload = envelope.Payload.Replace("CONFIDENTIAL", "SECRET", StringComparison.Ordinal) }));
        Assert.Equal(HttpStatusCode.Forbidden, tampered.Status);
        Assert.Contains("digest", tampered.Ack!.Reason, StringComparison.Ordinal);

        // A new message reusing an old sequence (properly signed by MA-DGST's key): a replay.
        var key = Morocco.Node.App.Services.GetRequiredService<NodeIdentity>().Require().Key;
        var replay = FederationEnvelope.Create(key, Guid.NewGuid(), envelope.Type, envelope.Recipient, envelope.Sequence, DateTimeOffset.UtcNow, EnvelopeCheck.Lifetime, envelope.Payload);
        var replayed = await PostAsync(toSpain, FederationJson.Write(replay));
        Assert.Equal(HttpStatusCode.Conflict, replayed.Status);
        Assert.Contains("replay", replayed.Ack!.Reason, StringComparison.Ordinal);

        // A gap in the sequence: refused, the sender will retry in order.
        var gap = FederationEnvelope.Create(key, Guid.NewGuid(), envelope.Type, envelope.Recipient, envelope.Sequence + 5, DateTimeOffset.UtcNow, EnvelopeCheck.Lifetime, envelope.Payload);
        Assert.Contains("out of order", (await PostAsync(toSpain, FederationJson.Write(gap))).Ack!.Reason, StringComparison.Ordinal);

        // A node nobody peered with, with a well-formed, well-signed message: refused.
        await using var stranger = await AgencyNode.StartAsync("FR-DGSI", "FR");
        var strangerKey = stranger.Node.App.Services.GetRequiredService<NodeIdentity>().Require().Key;
        var unknown = FederationEnvelope.Create(strangerKey, Guid.NewGuid(), envelope.Type, envelope.Recipient, 1, DateTimeOffset.UtcNow, EnvelopeCheck.Lifetime, envelope.Payload);
        var fromStranger = await PostAsync(toSpain, FederationJson.Write(unknown));
        Assert.Equal(HttpStatusCode.Forbidden, fromStranger.Status);
        Assert.Contains("not a peer", fromStranger.Ack!.Reason, StringComparison.Ordinal);

        await using var spainDb = Spain.Node.Database.Open();
        var refusals = await spainDb.AuditLog.Where(e => e.Action == AuditActions.FederationReceive && e.Outcome == AuditOutcomes.Refused).ToListAsync();
        Assert.Equal(4, refusals.Count);
        Assert.Equal(1, await spainDb.Agreements.CountAsync());
    }

    [Fact]
    public async Task APartnerDownForAWhile_GetsEverything_InOrder_WhenItComesBack()
    {
        await Spain.Node.StopAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Morocco.ProposeAsync("ES-CNP", ["terrorism"], ["H1"]));
        }

        // A delivery was tried and failed (however slow the machine), and nothing counts as delivered.
        await Eventually.HoldsAsync(async () => (await Morocco.MessagesAsync()).Any(m => m!["lastError"] is not null && m["attempts"]!.GetValue<int>() >= 1), "a failed delivery attempt to the stopped partner");
        Assert.All(await Morocco.MessagesAsync(), m => Assert.Equal("pending", m!["status"]!.GetValue<string>()));

        await Spain.Node.StartAgainAsync();
        foreach (var id in ids)
        {
            await Eventually.HoldsAsync(async () => await Spain.AgreementAsync(id) is not null, $"agreement {id} reaches ES-CNP after its restart", seconds: 60);
        }

        await using var db = Spain.Node.Database.Open();
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), await db.Set<InboxMessage>().OrderBy(m => m.ReceivedAt).Select(m => m.Sequence).ToListAsync());
        Assert.Equal(5, await db.Agreements.CountAsync());

        // Both audit chains are intact after the outage, the retries and the catch-up.
        await using var moroccoDb = Morocco.Node.Database.Open();
        Assert.True((await AuditVerifier.VerifyAsync(moroccoDb)).IsIntact);
        Assert.True((await AuditVerifier.VerifyAsync(db)).IsIntact);
    }


    private static async Task<(HttpStatusCode Status, FederationAck? Ack)> PostAsync(HttpClient client, string envelope)
    {
        using var content = new StringContent(envelope, System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/federation/v1/messages", content);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, FederationJson.Read<FederationAck>(body));
    }
}
