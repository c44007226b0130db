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

    /// <summary>The most bytes one row of a watermark holds (<see cref="XrefWatermark"/>).</summary>
    public const int PartBytes = 1 << 20;

    /// <summary>
    /// The state of the agency's last run of <paramref name="scope"/>, part after part as stored (none: never run). One
    /// statement, so the parts are those of one save even while another run saves.
    /// </summary>
    public IAsyncEnumerable<byte[]> WatermarkAsync(AgencyId agency, string scope) =>
        db.XrefWatermarks.AsNoTracking().Where(w => w.AgencyId == agency && w.Scope == scope).OrderBy(w => w.Part).Select(w => w.State).AsAsyncEnumerable();

    /// <summary>
    /// Keeps the state <paramref name="state"/> gives, read to its end, as the agency's watermark for
    /// <paramref name="scope"/>, in place of the last one, in one transaction: a state cut short (the stream fails, the
    /// process dies) leaves the last one whole. Not audited on its own: it is the core's working state, written by a run
    /// that is. Two runs ending at once: one of them stands whole, and either is a valid base for the next run. The state
    /// is compressed as it is written, so the transaction lasts as long as that (about 4 s at a million persons); on
    /// SQLite the node's other writes wait for it, within their busy timeout.
    /// </summary>
    public async Task SaveWatermarkAsync(AgencyId agency, string scope, Stream state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.XrefWatermarks.Where(w => w.AgencyId == agency && w.Scope == scope).ExecuteDeleteAsync(cancellationToken);

        // One buffer for every full part: each is written (its value bound and sent) before the next is read into it.
        var buffer = new byte[PartBytes];
        try
        {
            for (var part = 0; ; part++)
            {
                var read = await state.ReadAtLeastAsync(buffer, PartBytes, throwOnEndOfStream: false, cancellationToken);
                if (read == 0 && part > 0)
                {
                    break;
                }

                db.XrefWatermarks.Add(new XrefWatermark { AgencyId = agency, Scope = scope, Part = part, State = read == PartBytes ? buffer : buffer[..read], UpdatedAt = now });
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                if (read < PartBytes)
                {
                    break;
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (StorageErrors.IsUniqueViolation(exception, "XrefWatermarks"))
        {
            // Another run stored its state first (PostgreSQL: its parts were written while this one deleted): keep that one.
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
