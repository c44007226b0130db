namespace Jisr.Storage;

/// <summary>Who runs a node-wide background job until when (one row per job).</summary>
public sealed class JobLease
{
    public string Job { get; set; } = string.Empty;

    public string Holder { get; set; } = string.Empty;

    public DateTimeOffset Until { get; set; }
}

/// <summary>
/// Leases that make a background job run in one process of a node at a time, when several processes share one
/// database: a process runs the job only when it holds the job's lease; another one skips that round.
/// </summary>
public sealed class JobLeases(JisrDbContext db, TimeProvider time)
{
    public const int MaxNameLength = 64;

    /// <summary>
    /// Takes (or renews) the lease of <paramref name="job"/> for <paramref name="holder"/> until now plus
    /// <paramref name="duration"/>; false when another holder's lease has not run out yet.
    /// </summary>
    public async Task<bool> TryAcquireAsync(string job, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var until = now + duration;

        // One conditional UPDATE: the database decides between two processes trying at the same moment.
        var taken = await db.JobLeases
            .Where(l => l.Job == job && (l.Until <= now || l.Holder == holder))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.Until, until), cancellationToken);
        if (taken == 1)
        {
            return true;
        }

        if (await db.JobLeases.AnyAsync(l => l.Job == job, cancellationToken))
        {
            return false;
        }

        db.JobLeases.Add(new JobLease { Job = job, Holder = holder, Until = until });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException exception) when (StorageErrors.IsUniqueViolation(exception, "JobLeases"))
        {
            return false; // another process created the lease first
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Gives the lease up early (e.g. at shutdown), so another process need not wait for it to run out.</summary>
    public Task ReleaseAsync(string job, string holder, CancellationToken cancellationToken = default) =>
        db.JobLeases.Where(l => l.Job == job && l.Holder == holder).ExecuteDeleteAsync(cancellationToken);
}
