namespace Jisr.Server.Federation;

/// <summary>
/// Peers keep each other's signed audit checkpoints: this node sends its latest one to every active peer when it is
/// newer than the last one sent (an <c>audit.checkpoint</c> message in the ordered stream), and keeps what peers send
/// (the signed envelopes in its inbox). A node that later rewrites its audit chain cannot rewrite its partners' copies:
/// <c>jisr peer checkpoints</c> exports them for <c>jisr audit verify --checkpoints</c>.
/// </summary>
public sealed class CheckpointExchange(FederationStore store, AuditLog audit, NodeIdentity identity, OutboxSignal signal)
{
    /// <summary>Stages this node's latest checkpoint for every active peer that does not have it yet; returns how many were staged.</summary>
    public async Task<int> SendLatestAsync(CancellationToken cancellationToken)
    {
        var key = identity.Require();
        if (audit.CheckpointKey is not { } publicKey || await store.LatestAuditCheckpointAsync(cancellationToken) is not { } latest)
        {
            return 0;
        }

        var payload = FederationJson.Write(ToMessage(latest, publicKey));
        var events = new List<AuditEvent>();
        foreach (var peer in await store.ActivePeersAsync(cancellationToken))
        {
            var sent = await store.EnvelopesAsync(peer.Id, FederationMessageTypes.AuditCheckpoint, received: false, cancellationToken);
            if (sent.Count > 0 && FederationJson.Read<AuditCheckpointMessage>(FederationJson.Read<FederationEnvelope>(sent[^1]).Payload).Sequence >= latest.Sequence)
            {
                continue;
            }

            events.Add(store.Stage(peer, FederationMessageTypes.AuditCheckpoint, new AuditEvent("", ActorName: "node"), (sequence, now) =>
            {
                var envelope = FederationEnvelope.Create(key.Key, Guid.CreateVersion7(now), FederationMessageTypes.AuditCheckpoint, peer.Fingerprint, sequence, now, EnvelopeCheck.Lifetime, payload);
                return new SealedMessage(envelope.Id, FederationJson.Write(envelope), envelope.PayloadDigest);
            }));
        }

        if (events.Count > 0)
        {
            await store.SaveAsync(events, cancellationToken);
            signal.Notify();
        }

        return events.Count;
    }

    /// <summary>
    /// The checkpoints <paramref name="peerId"/> sent here and this node accepted, with the audit key they are signed
    /// by (null when none): what verifies the peer's chain against its own earlier word.
    /// </summary>
    public static async Task<(string? PublicKeyPem, List<AuditCheckpoint> Checkpoints)> ReceivedFromAsync(FederationStore store, Guid peerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var acks = await store.AcknowledgementsAsync(peerId, FederationMessageTypes.AuditCheckpoint, cancellationToken);
        string? pem = null;
        var checkpoints = new List<AuditCheckpoint>();
        foreach (var json in await store.EnvelopesAsync(peerId, FederationMessageTypes.AuditCheckpoint, received: true, cancellationToken))
        {
            var envelope = FederationJson.Read<FederationEnvelope>(json);
            if (!acks.TryGetValue(envelope.Id, out var ack) || FederationJson.Read<FederationAck>(ack).Status != FederationAck.Accepted)
            {
                continue;
            }

            var message = FederationJson.Read<AuditCheckpointMessage>(envelope.Payload);
            pem = message.PublicKey;
            checkpoints.Add(ToCheckpoint(message));
        }

        return (pem, checkpoints);
    }

    public static AuditCheckpointMessage ToMessage(AuditCheckpoint checkpoint, AuditPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(key);
        return new(checkpoint.Sequence, Convert.ToHexStringLower(checkpoint.EntryHash), checkpoint.At, checkpoint.KeyId, Convert.ToBase64String(checkpoint.Signature), key.Pem);
    }

    public static AuditCheckpoint ToCheckpoint(AuditCheckpointMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new AuditCheckpoint
        {
            Sequence = message.Sequence,
            EntryHash = Convert.FromHexString(message.EntryHash),
            At = message.At,
            KeyId = message.KeyId,
            Signature = Convert.FromBase64String(message.Signature),
        };
    }
}

/// <summary>Sends the latest audit checkpoint to peers every <see cref="Interval"/> (the first time one interval after start).</summary>
public sealed partial class CheckpointGossip(IServiceScopeFactory scopes, NodeIdentity identity, ILogger<CheckpointGossip> logger) : BackgroundService
{
    public static TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (identity.Key is null)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Interval, stoppingToken);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<CheckpointExchange>().SendLatestAsync(stoppingToken);
                }
#pragma warning disable CA1031 // A failed round (database busy) must not stop the exchange for good: logged, tried again next round.
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "sending the audit checkpoint to peers failed; tried again next round")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
