namespace Jisr.Storage.Fusion;

/// <summary>
/// Cross-reference jobs in the database: started with their audit entry in one transaction, renewed while they run,
/// finished with their hits, read back by their owner only (another user's job reads as unknown). A job whose process
/// died (no renewal for <see cref="StaleAfter"/>) is marked failed, with what to do, the next time anyone looks.
/// </summary>
public sealed class XrefJobStore(JisrDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>How long a running job may go without renewal before it counts as dead (renewed every few seconds).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    /// <summary>How long a finished job is kept for its owner to read.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    public const string Interrupted = "the node stopped while this cross-reference ran: start it again (it reuses what the last finished run compared)";

    /// <summary>
    /// Stores a new running job for the caller, or null when they already have one running (the database decides
    /// between two starts at the same moment).
    /// </summary>
    public async Task<XrefJobRow?> StartAsync(Principal principal, string against, double? minScore, string purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var now = time.GetUtcNow();
        await MarkStaleAsync(principal.UserId, now, cancellationToken);
        await db.XrefJobs.Where(j => j.StartedAt < now - KeptFor && j.Status != XrefJobRow.Running).ExecuteDeleteAsync(cancellationToken);
        if (await db.XrefJobs.AnyAsync(j => j.OwnerId == principal.UserId && j.Status == XrefJobRow.Running, cancellationToken))
        {
            return null;
        }

        var job = new XrefJobRow
        {
            Id = Guid.CreateVersion7(now),
            OwnerId = principal.UserId,
            AgencyId = principal.AgencyId,
            Against = against,
            MinScore = minScore,
            Purpose = purpose.Length > XrefJobRow.MaxPurposeLength ? purpose[..XrefJobRow.MaxPurposeLength] : purpose,
            StartedAt = now,
            HeartbeatAt = now,
        };
        db.XrefJobs.Add(job);
        try
        {
            await audit.SaveWithAuditAsync(
                db, CallerEvents.For(principal, AuditActions.FusionXref, null, AuditOutcomes.Success, purpose, $"job started against {against}", AuditTargets.XrefJob, job.Id.ToString("D")), cancellationToken);
        }
        catch (DbUpdateException exception) when (StorageErrors.IsUniqueViolation(exception, "XrefJobs"))
        {
            db.ChangeTracker.Clear();
            return null;
        }

        return job;
    }

    /// <summary>The caller's running job (for the 409 that names it), or null.</summary>
    public Task<XrefJobRow?> RunningAsync(Principal principal, CancellationToken cancellationToken) =>
        db.XrefJobs.AsNoTracking().FirstOrDefaultAsync(j => j.OwnerId == principal.UserId && j.Status == XrefJobRow.Running, cancellationToken);

    /// <summary>Renews a running job and records its progress.</summary>
    public Task<int> ReportAsync(Guid id, int progress, int total, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.XrefJobs.Where(j => j.Id == id && j.Status == XrefJobRow.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Progress, progress).SetProperty(j => j.Total, total).SetProperty(j => j.HeartbeatAt, now), cancellationToken);
    }

    /// <summary>Ends a running job: done with its hits and counts, or failed with a message a person can act on.</summary>
    public Task<int> FinishAsync(Guid id, string? hitsJson, int? probes, int? targets, int? compared, string? error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var status = error is null ? XrefJobRow.Done : XrefJobRow.Failed;
        return db.XrefJobs.Where(j => j.Id == id && j.Status == XrefJobRow.Running)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Status, status).SetProperty(j => j.HitsJson, hitsJson).SetProperty(j => j.Probes, probes)
                    .SetProperty(j => j.Targets, targets).SetProperty(j => j.Compared, compared).SetProperty(j => j.Error, error)
                    .SetProperty(j => j.FinishedAt, now).SetProperty(j => j.HeartbeatAt, now)
                    .SetProperty(j => j.Progress, j => probes ?? j.Progress).SetProperty(j => j.Total, j => probes ?? j.Total),
                cancellationToken);
    }

    /// <summary>The caller's own job, or null (unknown, expired, or another user's: the same answer).</summary>
    public async Task<XrefJobRow?> FindAsync(Principal principal, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        await MarkStaleAsync(principal.UserId, time.GetUtcNow(), cancellationToken);
        return await db.XrefJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id && j.OwnerId == principal.UserId, cancellationToken);
    }

    /// <summary>The state of the agency's last run of <paramref name="scope"/>, or null (never run).</summary>
    public async Task<byte[]?> WatermarkAsync(AgencyId agency, string scope, CancellationToken cancellationToken) =>
        await db.XrefWatermarks.AsNoTracking().Where(w => w.AgencyId == agency && w.Scope == scope).Select(w => w.State).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Keeps the state of the run that just ended as the agency's watermark for <paramref name="scope"/>. Not audited
    /// on its own: it is the core's working state, written by a run that is. Two runs ending at once: the last one
    /// written stands, and either is a valid base for the next run.
    /// </summary>
    public async Task SaveWatermarkAsync(AgencyId agency, string scope, byte[] state, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var updated = await db.XrefWatermarks.Where(w => w.AgencyId == agency && w.Scope == scope)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.State, state).SetProperty(w => w.UpdatedAt, now), cancellationToken);
        if (updated > 0)
        {
            return;
        }

        db.XrefWatermarks.Add(new XrefWatermark { AgencyId = agency, Scope = scope, State = state, UpdatedAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (StorageErrors.IsUniqueViolation(exception, "XrefWatermarks"))
        {
            // Another run stored its state first: keep that one.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private Task<int> MarkStaleAsync(UserId owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deadline = now - StaleAfter;
        return db.XrefJobs.Where(j => j.OwnerId == owner && j.Status == XrefJobRow.Running && j.HeartbeatAt < deadline)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, XrefJobRow.Failed).SetProperty(j => j.Error, Interrupted).SetProperty(j => j.FinishedAt, now), cancellationToken);
    }
}
