using Microsoft.Extensions.Hosting;

namespace Jisr.Server;

/// <summary>
/// Runs the retention purge when the node starts and then every hour, in one process of the node at a time: a round
/// runs only in the process that holds the purge's lease (<see cref="JobLeases"/>), the others skip it.
/// </summary>
internal sealed partial class RetentionPurgeService(IServiceScopeFactory scopes, TimeProvider time, Operations.NodeMetrics metrics, ILogger<RetentionPurgeService> logger) : BackgroundService
{
    public const string LeaseName = "retention-purge";

    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>A little shorter than the interval, so the holder's next round renews its own lease rather than racing for it.</summary>
    private static readonly TimeSpan LeaseDuration = Interval - TimeSpan.FromMinutes(5);

    /// <summary>This process, as the lease names it.</summary>
    private readonly string _holder = $"{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (!await scope.ServiceProvider.GetRequiredService<JobLeases>().TryAcquireAsync(LeaseName, _holder, LeaseDuration, stoppingToken))
                {
                    LogSkipped();
                    continue;
                }

                var purged = await scope.ServiceProvider.GetRequiredService<RetentionPurge>().PurgeExpiredAsync(time.GetUtcNow(), stoppingToken);
                metrics.Purged(purged);
                if (purged > 0)
                {
                    LogPurged(purged);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed run is logged and retried at the next interval; the node keeps serving.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Retention purge removed {Count} records past their retention end")]
    private partial void LogPurged(int count);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Retention purge skipped: another process of this node runs it this round")]
    private partial void LogSkipped();

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Retention purge failed; it will run again at the next interval")]
    private partial void LogFailed(Exception exception);
}
