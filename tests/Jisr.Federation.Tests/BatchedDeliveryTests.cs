using System.Net;
using Jisr.Exchange.Federation;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Federation.Tests;

/// <summary>
/// Batched delivery between two real nodes: a backlog goes several signed messages per request, every message is
/// applied exactly once and in order, and a batch holding a rejected, a duplicate, an out-of-order or a tampered
/// message is answered message by message exactly as single messages would be.
/// </summary>
public sealed class BatchedDeliveryTests : TwoPeeredNodes
{
    [Fact]
    public async Task ABacklog_GoesInBatches_AndEveryMessageIsAppliedOnce_InOrder()
    {
        const int backlog = 150;
        await Spain.Node.StopAsync();
        for (var i = 0; i < backlog; i++)
        {
            await Morocco.ProposeAsync("ES-CNP", ["terrorism"], ["H1"]);
        }

        await Spain.Node.StartAgainAsync();
        await Eventually.HoldsAsync(async () =>
        {
            await using var db = Morocco.Node.Database.Open();
            return !await db.Set<OutboxMessage>().AnyAsync(m => m.Status == DeliveryStatuses.Pending);
        }, "the backlog drains", seconds: 120);

        await using var spainDb = Spain.Node.Database.Open();
        var received = await spainDb.Set<InboxMessage>().Where(m => m.Type == FederationMessageTypes.AgreementPropose).OrderBy(m => m.Sequence).Select(m => m.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, backlog).Select(i => (long)i), received);
        Assert.Equal(backlog, await spainDb.Agreements.CountAsync());

        // Answers to one batch are recorded together (one time for all): far fewer delivery times than messages.
        await using var moroccoDb = Morocco.Node.Database.Open();
        var delivered = await moroccoDb.Set<OutboxMessage>().Where(m => m.Type == FederationMessageTypes.AgreementPropose).ToListAsync();
        Assert.All(delivered, m => Assert.Equal(DeliveryStatuses.Delivered, m.Status));
        var rounds = delivered.Select(m => m.DeliveredAt).Distinct().Count();
        Assert.True(rounds <= 10, $"{backlog} messages took {rounds} delivery rounds: they were not batched");
        Assert.True((await AuditVerifier.VerifyAsync(moroccoDb)).IsIntact);
        Assert.True((await AuditVerifier.VerifyAsync(spainDb)).IsIntact);
    }

    [Fact]
    public async Task ABatch_IsAnsweredMessageByMessage_AsSingleMessagesWouldBe()
    {
        var key = Morocco.Node.App.Services.GetRequiredService<NodeIdentity>().Require().Key;
        var spainFingerprint = Spain.Node.Fingerprint!;
        long sequence;
        await using (var db = Spain.Node.Database.Open())
        {
            sequence = await db.Set<InboxMessage>().MaxAsync(m => (long?)m.Sequence) ?? 0;
        }

        FederationEnvelope Seal(long at, string type, string payload) =>
            FederationEnvelope.Create(key, Guid.NewGuid(), type, spainFingerprint, at, DateTimeOffset.UtcNow, EnvelopeCheck.Lifetime, payload);
        AgreementTerms Terms() => new(
            Guid.NewGuid(), Morocco.Agency.Id.Value, Spain.Agency.Id.Value, ["terrorism"], "CONFIDENTIAL", ["H1"],
            DateOnly.FromDateTime(DateTime.UtcNow), DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1), Morocco.Administrator.Id, DateTimeOffset.UtcNow);
        FederationEnvelope Propose(long at, AgreementTerms? terms = null) => Seal(at, FederationMessageTypes.AgreementPropose, FederationJson.Write(terms ?? Terms()));

        // Accepted; the same agreement proposed again in the same batch, rejected because the second message reads
        // what the first one wrote; an agreement Spain does not hold, rejected (taken, final); accepted.
        var terms = Terms();
        var unknownAgreement = Seal(sequence + 3, FederationMessageTypes.AgreementChange,
            FederationJson.Write(new AgreementChangeMessage(Guid.NewGuid(), "accept", Spain.Agency.Id.Value, Guid.NewGuid(), null, DateTimeOffset.UtcNow)));
        var first = new[] { Propose(sequence + 1, terms), Propose(sequence + 2, terms), unknownAgreement, Propose(sequence + 4) };
        var (status, acks) = await PostBatchAsync(first);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            [FederationAck.Accepted, FederationAck.Rejected, FederationAck.Rejected, FederationAck.Accepted],
            acks.Select(a => a.Status));
        Assert.Equal(first.Select(m => m.Id), acks.Select(a => a.MessageId));
        Assert.Contains("exists here already", acks[1].Reason, StringComparison.Ordinal);
        Assert.Contains("no such item", acks[2].Reason, StringComparison.Ordinal);
        var spainKey = Spain.Node.App.Services.GetRequiredService<NodeIdentity>().Require().Key;
        Assert.All(acks, a => Assert.True(a.IsSignedBy(spainKey)));

        // A duplicate (acknowledged again), the next one (accepted), a gap (refused): the batch stops there, so the
        // message after the gap is not taken.
        var second = new[] { first[3], Propose(sequence + 5), Propose(sequence + 9), Propose(sequence + 6) };
        (status, acks) = await PostBatchAsync(second);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([FederationAck.Duplicate, FederationAck.Accepted, FederationAck.Refused], acks.Select(a => a.Status));
        Assert.Contains("out of order", acks[2].Reason, StringComparison.Ordinal);

        // A tampered payload after a good message: the good one is taken, the tampered one refused.
        var tampered = Propose(sequence + 7);
        var third = new[] { Propose(sequence + 6), tampered with { Payload = tampered.Payload.Replace("CONFIDENTIAL", "SECRET", StringComparison.Ordinal) } };
        (_, acks) = await PostBatchAsync(third);
        Assert.Equal([FederationAck.Accepted, FederationAck.Refused], acks.Select(a => a.Status));
        Assert.Contains("digest", acks[1].Reason, StringComparison.Ordinal);

        // Not a batch at all: a problem, audited.
        using var toSpain = Spain.Node.CreateClient();
        using (var content = new StringContent("{\"messages\":[]}", System.Text.Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await toSpain.PostAsync("/federation/v1/messages/batch", content)).StatusCode);
        }

        await using var spainDb = Spain.Node.Database.Open();
        Assert.Equal(Enumerable.Range(1, 6).Select(i => sequence + i), await spainDb.Set<InboxMessage>().Where(m => m.Sequence > sequence).OrderBy(m => m.Sequence).Select(m => m.Sequence).ToListAsync());
        Assert.Equal(4, await spainDb.Agreements.CountAsync());

        // Two rejected in a run, the gap, the tampered message and the empty batch: each audited once.
        Assert.Equal(5, await spainDb.AuditLog.CountAsync(e => e.Action == AuditActions.FederationReceive && e.Outcome == AuditOutcomes.Refused));
        Assert.True((await AuditVerifier.VerifyAsync(spainDb)).IsIntact);
    }

    private async Task<(HttpStatusCode Status, List<FederationAck> Acks)> PostBatchAsync(IEnumerable<FederationEnvelope> messages)
    {
        using var toSpain = Spain.Node.CreateClient();
        using var content = new StringContent(FederationJson.Write(new FederationBatch([.. messages.Select(FederationJson.Write)])), System.Text.Encoding.UTF8, "application/json");
        var response = await toSpain.PostAsync("/federation/v1/messages/batch", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return (response.StatusCode, [.. FederationJson.Read<FederationBatchAck>(body).Acknowledgements]);
    }
}
