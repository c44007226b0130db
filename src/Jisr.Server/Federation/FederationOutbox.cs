using Jisr.Domain.Common;
using Jisr.Exchange.Federation;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;

namespace Jisr.Server.Federation;

/// <summary>
/// Writes messages to peers: signs the envelope and stages it on the request's database context, so the caller's
/// audited save commits it with the change that causes it (the transactional outbox); after the commit,
/// <see cref="Notify"/> wakes the delivery service.
/// </summary>
public sealed class FederationOutbox(FederationStore store, NodeIdentity identity, OutboxSignal signal)
{
    /// <summary>
    /// Stages <paramref name="payload"/> of <paramref name="type"/> for the node hosting <paramref name="agencyId"/>;
    /// null when that agency is hosted here (nothing to send), else the audit event the save must carry.
    /// </summary>
    public async Task<AuditEvent?> StageForAsync<T>(AgencyId agencyId, string type, T payload, AuditEvent actor, CancellationToken cancellationToken)
    {
        var peer = await store.PeerOfAgencyAsync(agencyId, cancellationToken);
        if (peer is null)
        {
            return null;
        }

        var key = identity.Require();
        var json = FederationJson.Write(payload);
        return store.Stage(peer, type, actor, (sequence, now) =>
        {
            var envelope = FederationEnvelope.Create(key.Key, Guid.CreateVersion7(now), type, peer.Fingerprint, sequence, now, EnvelopeCheck.Lifetime, json);
            return new SealedMessage(envelope.Id, FederationJson.Write(envelope), envelope.PayloadDigest);
        });
    }

    /// <summary>Wakes the delivery service (call after the save that committed staged messages).</summary>
    public void Notify() => signal.Notify();
}

/// <summary>How writers wake the delivery service without it polling fast.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every message written before it.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
