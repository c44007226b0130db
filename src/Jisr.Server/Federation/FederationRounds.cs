using Microsoft.Extensions.Hosting;

namespace Jisr.Server.Federation;

/// <summary>
/// A background loop that runs one round of work in a fresh scope every <see cref="Interval"/> while this node takes
/// part in federation (it has a node key); a failed round is logged and retried at the next interval, so the node keeps serving.
/// </summary>
public abstract class FederationRounds(IServiceScopeFactory scopes, NodeIdentity identity, TimeProvider time) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    /// <summary>One round; returns how many items it changed or sent (logged when above zero).</summary>
    protected abstract Task<int> RunRoundAsync(IServiceProvider services, CancellationToken cancellationToken);

    protected abstract void LogDone(int count);

    protected abstract void LogFailed(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (identity.Key is null)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var count = await RunRoundAsync(scope.ServiceProvider, stoppingToken);
                if (count > 0)
                {
                    LogDone(count);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }

            await Task.Delay(Interval, time, stoppingToken);
        }
    }
}
