using Jisr.Storage.Records;
using Microsoft.Extensions.Hosting;

namespace Jisr.Server;

/// <summary>Runs the retention purge when the node starts and then every hour.</summary>
internal sealed partial class RetentionPurgeService(IServiceScopeFactory scopes, TimeProvider time, ILogger<RetentionPurgeService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var purged = await scope.ServiceProvider.GetRequiredService<RetentionPurge>().PurgeExpiredAsync(time.GetUtcNow(), stoppingToken);
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

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Retention purge failed; it will run again at the next interval")]
    private partial void LogFailed(Exception exception);
}
