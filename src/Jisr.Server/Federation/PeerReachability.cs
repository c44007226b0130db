using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Jisr.Server.Federation;

/// <summary>
/// What this process knows of each peer's reachability, so that a backlog for a peer that was down goes as soon as it
/// is back rather than at the next retry of its back-off (up to <see cref="FederationStore.LongestRetry"/>). A peer is
/// "heard" when a message, batch or <see cref="PeerHello"/> signed by its pinned key passes the envelope checks here;
/// it is "unreachable" when delivery to it failed without a signed answer (network, TLS, no acknowledgement). A peer
/// heard after it was last found unreachable has its back-off lifted once: the first waiting message goes at once.
/// A peer that answers with a signed refusal is reachable and keeps its back-off (hearing from it changes nothing),
/// and a peer that is really down sends nothing to be heard, so it keeps its back-off too.
/// </summary>
public sealed class PeerReachability(OutboxSignal signal)
{
    /// <summary>Marks a peer that answered (delivered or refused): never lifted by hearing from it.</summary>
    private const long Answered = long.MaxValue;

    // Event order, not the clock: a test's frozen clock and two events in one tick must still compare.
    private long _events;

    private readonly ConcurrentDictionary<string, long> _heard = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _unreachable = new(StringComparer.Ordinal);

    // When delivery to each peer last stopped on a message not taken, on this process's monotonic clock.
    private readonly ConcurrentDictionary<string, long> _stoppedAt = new(StringComparer.Ordinal);

    /// <summary>A signed message from the peer passed the checks: it is up; wakes delivery when a backlog waits for it.</summary>
    public void Heard(string fingerprint)
    {
        var now = Interlocked.Increment(ref _events);
        _heard[fingerprint] = now;
        if (_unreachable.TryGetValue(fingerprint, out var since) && since < now)
        {
            signal.Notify();
        }
    }

    /// <summary>Delivery to the peer failed without a signed answer.</summary>
    public void Unreachable(string fingerprint) => _unreachable[fingerprint] = Interlocked.Increment(ref _events);

    /// <summary>The peer answered with signed acknowledgements (whatever their status).</summary>
    public void Reached(string fingerprint) => _unreachable[fingerprint] = Answered;

    /// <summary>Delivery to the peer stopped on a message it did not take (a failure or a refusal): its retry is timed from now.</summary>
    public void Stopped(string fingerprint) => _stoppedAt[fingerprint] = Stopwatch.GetTimestamp();

    /// <summary>
    /// Whether the peer's first waiting message, which failed before, may go now although its back-off has not run
    /// out by the wall clock: this process has waited that back-off since delivery stopped, or the peer was heard after
    /// it was last found unreachable. A failure from before this process started is
    /// taken as unreachable as of the start (its reason is not known here), so a peer heard since lifts it once.
    /// </summary>
    public bool BackNow(string fingerprint, int attempts)
    {
        if (attempts == 0)
        {
            return false;
        }

        // The retry's time is on the wall clock; a wall clock that stood still or stepped back since (a test's frozen
        // clock, NTP, a restored VM) must not hold it past its back-off, so the time this process waited counts too.
        if (_stoppedAt.TryGetValue(fingerprint, out var stopped) && Stopwatch.GetElapsedTime(stopped) >= FederationStore.Backoff(attempts))
        {
            return true;
        }

        var since = _unreachable.GetOrAdd(fingerprint, 0);
        return since != Answered && _heard.TryGetValue(fingerprint, out var heard) && heard > since;
    }
}

/// <summary>
/// Tells every active peer that this node is up (<see cref="PeerHello"/>) once it listens, so that a peer holding a
/// backlog for it delivers at once. A peer that cannot be reached is tried again a little later, then left: when it
/// comes back, its own hello or its next retry brings what it has for this node.
/// </summary>
public sealed partial class PeerHelloService(IServiceScopeFactory scopes, PeerChannel channel, NodeIdentity identity, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<PeerHelloService> logger)
    : BackgroundService
{
    private static readonly TimeSpan[] Delays = [TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (identity.Key is not { } key)
        {
            return;
        }

        try
        {
            // A peer that hears this node is up sends at once: this node must be listening by then.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                await started.Task;
            }

            List<FederationPeer> left;
            await using (var scope = scopes.CreateAsyncScope())
            {
                left = [.. (await scope.ServiceProvider.GetRequiredService<FederationStore>().ListPeersAsync(stoppingToken)).Where(p => p.Status == PeerStatuses.Active)];
            }

            foreach (var delay in Delays)
            {
                if (left.Count == 0)
                {
                    return;
                }

                await Task.Delay(delay, time, stoppingToken);
                var heard = await Task.WhenAll(left.Select(p => SayHelloAsync(key, p, stoppingToken)));
                left = [.. left.Where((_, i) => !heard[i])];
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<bool> SayHelloAsync(NodeKey key, FederationPeer peer, CancellationToken cancellationToken)
    {
        var hello = PeerHello.Create(key.Key, peer.Fingerprint, time.GetUtcNow());
        try
        {
            using var content = new StringContent(FederationJson.Write(hello), System.Text.Encoding.UTF8, "application/json");
            using var response = await channel.For(peer.Fingerprint).PostAsync(new Uri(new Uri(peer.Url), PeerChannel.HelloPath), content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogHelloRefused(logger, FederationStore.ShortId(peer.Fingerprint), (int)response.StatusCode);
            }

            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer {Peer} refused this node's hello ({Status}): it will deliver what it holds for this node at its next retry")]
    private static partial void LogHelloRefused(ILogger logger, string peer, int status);
}
