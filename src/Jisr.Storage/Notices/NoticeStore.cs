using Jisr.Domain.Notices;

namespace Jisr.Storage.Notices;

/// <summary>Notices: every query starts from what the caller's agency may see; every change is audited with it.</summary>
public sealed class NoticeStore(JisrDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<List<Notice>> ListAsync(Principal principal, CancellationToken cancellationToken)
    {
        var notices = await Visible(principal).AsNoTracking().OrderByDescending(n => n.CreatedAt).Take(500).ToListAsync(cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.NoticeList, detail: $"{notices.Count} notices"));
        return notices;
    }

    /// <summary>A notice to show the caller, or null (missing and invisible look the same); the read is audited either way.</summary>
    public async Task<Notice?> ReadAsync(Principal principal, NoticeId id, CancellationToken cancellationToken)
    {
        var notice = await Visible(principal).AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.NoticeRead, AuditTargets.Notice, id.ToString(), notice is not null));
        return notice;
    }

    /// <summary>A tracked notice the caller's agency may see, or null (missing and invisible look the same).</summary>
    public Task<Notice?> FindAsync(Principal principal, NoticeId id, CancellationToken cancellationToken) =>
        Visible(principal).FirstOrDefaultAsync(n => n.Id == id, cancellationToken);

    public Task AddAsync(Principal principal, Notice notice, CancellationToken cancellationToken) => AddAsync(principal, notice, [], cancellationToken);

    /// <summary>Adds the notice, committed with <paramref name="alsoAudited"/> (messages to peer nodes staged on this context).</summary>
    public async Task AddAsync(Principal principal, Notice notice, IReadOnlyList<AuditEvent> alsoAudited, CancellationToken cancellationToken)
    {
        db.Notices.Add(notice);
        await audit.SaveWithAuditAsync(db, [Event(principal, AuditActions.NoticeCreate, notice), .. alsoAudited], cancellationToken);
    }

    public Task SaveAsync(Principal principal, Notice notice, string action, CancellationToken cancellationToken) => SaveAsync(principal, notice, action, [], cancellationToken);

    public Task SaveAsync(Principal principal, Notice notice, string action, IReadOnlyList<AuditEvent> alsoAudited, CancellationToken cancellationToken) =>
        audit.SaveWithAuditAsync(db, [Event(principal, action, notice), .. alsoAudited], cancellationToken);

    private IQueryable<Notice> Visible(Principal principal) =>
        db.Notices.Include(n => n.Recipients).Where(AccessPolicy.VisibleNotices(principal, time.GetUtcNow(), db.Agreements));

    private static AuditEvent Event(Principal principal, string action, Notice notice) =>
        new(action, principal.UserId, principal.UserName, principal.AgencyId, AuditTargets.Notice, notice.Id.ToString(),
            Detail: $"status={Notice.Statuses[notice.Status]}" + (notice.ScreeningFlags.Count > 0 ? $"; flags: {string.Join(", ", notice.ScreeningFlags)}" : string.Empty));
}
