using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Jisr.Server.Federation;

/// <summary>
/// Delivers the outbox: for each active peer, its pending messages in sequence order, in batches of up to
/// <see cref="FederationBatch.MaxMessages"/> signed messages per request (a message that failed before goes alone),
/// until one fails; a failure waits with exponential back-off (<see cref="FederationStore.FirstRetry"/> doubling up to
/// <see cref="FederationStore.LongestRetry"/>) and nothing after it is sent before it (per-peer order), unless the
/// peer, found unreachable, has since been heard from (<see cref="PeerReachability"/>): then it goes at once. Delivery is
/// at least once: the receiver's inbox makes a second copy harmless. Each answer must be an acknowledgement signed with
/// the peer's pinned key; it is kept as proof.
/// </summary>
public sealed partial class OutboxDelivery(IServiceScopeFactory scopes, PeerChannel channel, OutboxSignal signal, PeerReachability reachability, NodeIdentity identity, TimeProvider time, ILogger<OutboxDelivery> logger)
    : BackgroundService
{
    private const int BatchPerPeer = 500;

    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (identity.Key is null)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await DeliverDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round (database busy, a bug in one message) must not stop delivery for good: logged, retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRoundFailed(logger, ex);
                wait = IdleWait;
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round over every peer with due messages; returns how long to wait before the next round.</summary>
    private async Task<TimeSpan> DeliverDueAsync(CancellationToken cancellationToken)
    {
        List<(FederationPeer Peer, List<OutboxMessage> Messages)> due;
        DateTimeOffset? waiting;
        await using (var scope = scopes.CreateAsyncScope())
        {
            (due, waiting) = await scope.ServiceProvider.GetRequiredService<FederationStore>().DueOrNextAsync(time.GetUtcNow(), BatchPerPeer, reachability.BackNow, cancellationToken);
        }

        // Nothing due (a backlog for a peer that is down, woken by each message written): the same reads said when next.
        if (due.Count == 0)
        {
            return Until(waiting);
        }

        var full = await Task.WhenAll(due.Select(d => DeliverToPeerAsync(d.Peer, d.Messages, cancellationToken)));
        if (full.Any(f => f))
        {
            return TimeSpan.Zero;
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            return Until(await scope.ServiceProvider.GetRequiredService<FederationStore>().NextDueAsync(cancellationToken));
        }
    }

    /// <summary>How long to wait for <paramref name="next"/> (none: the idle wait), at most the idle wait.</summary>
    private TimeSpan Until(DateTimeOffset? next)
    {
        var wait = next is { } at ? at - time.GetUtcNow() : IdleWait;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > IdleWait ? IdleWait : wait;
    }

    /// <summary>Sends in order, batch by batch, until one fails; true when all of them went (more may wait).</summary>
    private async Task<bool> DeliverToPeerAsync(FederationPeer peer, List<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<FederationStore>();
        using var peerKey = ECDsa.Create();
        peerKey.ImportSubjectPublicKeyInfo(peer.PublicKey, out _);
        var peerName = FederationStore.ShortId(peer.Fingerprint);
        var next = 0;
        while (next < messages.Count)
        {
            var batch = NextBatch(messages, next);
            List<PeerAnswer> answers;
            try
            {
                answers = batch.Count == 1
                    ? [await SendAsync(peer, peerKey, batch[0], cancellationToken)]
                    : await SendBatchAsync(peer, peerKey, batch, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or PeerException or FormatException && !cancellationToken.IsCancellationRequested)
            {
                reachability.Unreachable(peer.Fingerprint);
                reachability.Stopped(peer.Fingerprint);
                await store.RecordFailureAsync(batch[0].Id, ex is HttpRequestException http ? $"{http.Message} {http.InnerException?.Message}".TrimEnd() : ex.Message, cancellationToken);
                return false;
            }

            reachability.Reached(peer.Fingerprint);
            await store.RecordAnswersAsync([.. answers.Select((a, i) => (batch[i], a))], peerName, cancellationToken);
            if (answers.Count < batch.Count || answers.Any(a => !a.Delivered && !a.Final))
            {
                reachability.Stopped(peer.Fingerprint);
                return false;
            }

            next += batch.Count;
        }

        return messages.Count == BatchPerPeer;
    }

    /// <summary>
    /// The next messages to send together: up to <see cref="FederationBatch.MaxMessages"/> and
    /// <see cref="FederationBatch.MaxCharacters"/>; a message that failed before goes alone, so one the peer cannot
    /// take is retried by itself and does not hold back a whole batch over and over.
    /// </summary>
    private static List<OutboxMessage> NextBatch(List<OutboxMessage> messages, int from)
    {
        var batch = new List<OutboxMessage> { messages[from] };
        if (messages[from].Attempts > 0)
        {
            return batch;
        }

        var characters = messages[from].Envelope.Length;
        for (var i = from + 1; i < messages.Count && batch.Count < FederationBatch.MaxMessages; i++)
        {
            characters += messages[i].Envelope.Length;
            if (messages[i].Attempts > 0 || characters > FederationBatch.MaxCharacters)
            {
                break;
            }

            batch.Add(messages[i]);
        }

        return batch;
    }

    /// <summary>Sends several messages in one request; the answers, in order, each checked like a single one's.</summary>
    private async Task<List<PeerAnswer>> SendBatchAsync(FederationPeer peer, ECDsa peerKey, List<OutboxMessage> batch, CancellationToken cancellationToken)
    {
        var (answer, _) = await PostAsync<FederationBatchAck>(
            peer, PeerChannel.BatchPath, FederationJson.Write(new FederationBatch([.. batch.Select(m => m.Envelope)])),
            static status => $"the peer answered the batch {status} without signed acknowledgements", cancellationToken);
        if (answer.Acknowledgements is null || answer.Acknowledgements.Count == 0 || answer.Acknowledgements.Count > batch.Count)
        {
            throw new PeerException($"the peer answered a batch of {batch.Count} with {answer.Acknowledgements?.Count ?? 0} acknowledgements");
        }

        return [.. answer.Acknowledgements.Select((ack, i) => Checked(peer, peerKey, batch[i], ack, FederationJson.Write(ack)))];
    }

    private async Task<PeerAnswer> SendAsync(FederationPeer peer, ECDsa peerKey, OutboxMessage message, CancellationToken cancellationToken)
    {
        var (ack, body) = await PostAsync<FederationAck>(
            peer, PeerChannel.MessagesPath, message.Envelope, static status => $"the peer answered {status} without a signed acknowledgement", cancellationToken);
        return Checked(peer, peerKey, message, ack, body);
    }

    /// <summary>
    /// Posts <paramref name="json"/> to the peer's <paramref name="path"/> and reads its answer, returned with the text it
    /// came as; an answer that is not a <typeparamref name="TAnswer"/> fails the delivery with <paramref name="unreadable"/>
    /// (given the HTTP status).
    /// </summary>
    private async Task<(TAnswer Answer, string Body)> PostAsync<TAnswer>(FederationPeer peer, string path, string json, Func<int, string> unreadable, CancellationToken cancellationToken)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await channel.For(peer.Fingerprint).PostAsync(new Uri(new Uri(peer.Url), path), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return (FederationJson.Read<TAnswer>(body), body);
        }
        catch (FormatException)
        {
            throw new PeerException(unreadable((int)response.StatusCode));
        }
    }

    /// <summary>An acknowledgement kept only when the peer's pinned key signed it for this very message.</summary>
    private static PeerAnswer Checked(FederationPeer peer, ECDsa peerKey, OutboxMessage message, FederationAck ack, string json)
    {
        if (ack is null || ack.MessageId != message.Id || ack.PayloadDigest != message.PayloadDigest || ack.Receiver != peer.Fingerprint || !ack.IsSignedBy(peerKey))
        {
            throw new PeerException("the peer's acknowledgement is not signed by its pinned key for this message");
        }

        return new PeerAnswer(ack.Delivered, ack.Status == FederationAck.Rejected, ack.Status, ack.Reason, json);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A federation delivery round failed; retrying")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
