using System.Net;
using Jisr.Exchange.Federation;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Federation.Tests;

/// <summary>
/// "The peer is back": a backlog held under a long retry back-off for a partner that was down goes as soon as the
/// partner starts again (its signed hello), not at the next retry; while the partner is really down the back-off
/// holds (no attempts); a hello that is not signed by a peer's pinned key is refused and audited.
/// </summary>
public sealed class PeerBackTests : TwoPeeredNodes
{
    [Fact]
    public async Task ABacklog_UnderALongBackoff_GoesAsSoonAsThePeerIsBack()
    {
        await Spain.Node.StopAsync();
        for (var i = 0; i < 3; i++)
        {
            await Morocco.ProposeAsync("ES-CNP", ["terrorism"], ["H1"]);
        }

        await Eventually.HoldsAsync(async () => (await FirstPendingAsync()).Attempts > 0, "a delivery attempt fails while ES-CNP is down");

        // As after a long outage: the next retry is 10 minutes away (the worker may be recording a failure at this
        // very moment, so this is set until it stays).
        DateTimeOffset retryAt = default;
        int attempts = 0;
        await Eventually.HoldsAsync(async () =>
        {
            await using (var db = Morocco.Node.Database.Open())
            {
                retryAt = DateTimeOffset.UtcNow.AddMinutes(10);
                await db.Set<OutboxMessage>().Where(m => m.Status == DeliveryStatuses.Pending).ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, retryAt).SetProperty(m => m.Attempts, 12));
            }

            await Task.Delay(500);
            var first = await FirstPendingAsync();
            attempts = first.Attempts;
            return first.NextAttemptAt > retryAt.AddSeconds(-1) && attempts == 12;
        }, "the back-off is set");

        // Really down: the back-off holds, nothing is tried.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var waiting = await FirstPendingAsync();
        Assert.Equal(attempts, waiting.Attempts);
        Assert.True(waiting.NextAttemptAt > retryAt.AddSeconds(-1), $"next attempt {waiting.NextAttemptAt:O}");

        // Back: its hello lifts the back-off, the backlog goes at once (well before the 10 minutes).
        var restarted = DateTimeOffset.UtcNow;
        await Spain.Node.StartAgainAsync();
        await Eventually.HoldsAsync(async () =>
        {
            await using var db = Morocco.Node.Database.Open();
            return !await db.Set<OutboxMessage>().AnyAsync(m => m.Status == DeliveryStatuses.Pending);
        }, "the backlog drains once ES-CNP is back", seconds: 90);

        await using var moroccoDb = Morocco.Node.Database.Open();
        var delivered = await moroccoDb.Set<OutboxMessage>().Where(m => m.Type == FederationMessageTypes.AgreementPropose).ToListAsync();
        Assert.Equal(3, delivered.Count);
        Assert.All(delivered, m => Assert.True(m.DeliveredAt < retryAt.AddMinutes(-5) && m.DeliveredAt >= restarted, $"delivered at {m.DeliveredAt:O}, restart {restarted:O}"));
        await using var spainDb = Spain.Node.Database.Open();
        Assert.Equal(3, await spainDb.Agreements.CountAsync());
        Assert.True((await AuditVerifier.VerifyAsync(moroccoDb)).IsIntact);
        Assert.True((await AuditVerifier.VerifyAsync(spainDb)).IsIntact);
    }

    [Fact]
    public async Task AHello_FromAPeer_IsTaken_AndOneNotSignedByItsPinnedKey_IsRefusedAndAudited()
    {
        var moroccoKey = Morocco.Node.App.Services.GetRequiredService<NodeIdentity>().Require().Key;
        var spainFingerprint = Spain.Node.Fingerprint!;
        Assert.Equal(HttpStatusCode.NoContent, await PostHelloAsync(FederationJson.Write(PeerHello.Create(moroccoKey, spainFingerprint, DateTimeOffset.UtcNow))));

        // A stranger's key, the peer's hello altered, an old one, another type: refused, each audited.
        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        Assert.Equal(HttpStatusCode.Forbidden, await PostHelloAsync(FederationJson.Write(PeerHello.Create(stranger, spainFingerprint, DateTimeOffset.UtcNow))));
        var altered = PeerHello.Create(moroccoKey, spainFingerprint, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.Forbidden, await PostHelloAsync(FederationJson.Write(altered with { Created = altered.Created.AddSeconds(1) })));
        Assert.Equal(HttpStatusCode.Forbidden, await PostHelloAsync(FederationJson.Write(PeerHello.Create(moroccoKey, spainFingerprint, DateTimeOffset.UtcNow.AddHours(-1)))));
        var notHello = FederationEnvelope.Create(moroccoKey, Guid.CreateVersion7(), FederationMessageTypes.AgreementPropose, spainFingerprint, 0, DateTimeOffset.UtcNow, PeerHello.Lifetime, "{}");
        Assert.Equal(HttpStatusCode.BadRequest, await PostHelloAsync(FederationJson.Write(notHello)));

        await using var spainDb = Spain.Node.Database.Open();
        var refusals = await spainDb.AuditLog.Where(e => e.Action == AuditActions.FederationReceive && e.Outcome == AuditOutcomes.Refused).Select(e => e.Detail!).ToListAsync();
        Assert.Equal(4, refusals.Count);
        Assert.Contains(refusals, d => d.Contains("not a peer", StringComparison.Ordinal));
        Assert.Contains(refusals, d => d.Contains("signature", StringComparison.Ordinal));
        Assert.Contains(refusals, d => d.Contains("expired", StringComparison.Ordinal));
        Assert.Contains(refusals, d => d.Contains(PeerHello.Type, StringComparison.Ordinal));
        Assert.True((await AuditVerifier.VerifyAsync(spainDb)).IsIntact);
    }

    private async Task<HttpStatusCode> PostHelloAsync(string body)
    {
        using var toSpain = Spain.Node.CreateClient();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        return (await toSpain.PostAsync("/federation/v1/hello", content)).StatusCode;
    }

    private async Task<OutboxMessage> FirstPendingAsync()
    {
        await using var db = Morocco.Node.Database.Open();
        return await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Status == DeliveryStatuses.Pending).OrderBy(m => m.Sequence).FirstAsync();
    }
}
