namespace Jisr.Storage;

/// <summary>Whether the node's database can serve: reachable, and every migration of this build applied.</summary>
public sealed class DatabaseHealth(JisrDbContext db)
{
    /// <summary>Null when ready; otherwise why not, in words an operator can act on (never a connection string).</summary>
    public async Task<string?> WhyNotReadyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return "the database cannot be reached";
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            return pending == 0 ? null : $"{pending} database migrations are not applied (run 'jisr migrate')";
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            return $"the database cannot be reached ({failure.GetType().Name})";
        }
    }
}
