using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jisr.Server.Persons;

/// <summary>
/// Builds the node's person name index in the background as the node starts, so that the first person match does not
/// wait for a million names to be read and parsed. The node serves meanwhile; a query that comes first waits for this
/// build instead of starting its own.
/// </summary>
public sealed partial class PersonNameIndexWarmup(PersonNameIndex index, ILogger<PersonNameIndexWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // never hold up the node's start
        try
        {
            await index.WarmAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node stopped first.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The first person query builds it instead.
            LogWarmupFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Building the person name index at start failed; the first person query builds it")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception);
}
