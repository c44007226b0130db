using Jisr.Domain.Notices;

namespace Jisr.Storage.Federation;

/// <summary>Notices between nodes: what the sender reads to describe a notice, and what the receiver stages.</summary>
public sealed partial class FederationStore
{
    /// <summary>An entity by id (untracked): a notice's subject, described to the recipients' node.</summary>
    public Task<Entity?> FindEntityAsync(EntityId id, CancellationToken cancellationToken) =>
        db.Entities.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);

    /// <summary>A tracked notice with its recipients, whoever issued it: for applying a peer's message (the policy decides first).</summary>
    public Task<Notice?> FindNoticeAsync(NoticeId id, CancellationToken cancellationToken) =>
        db.Notices.Include(n => n.Recipients).FirstOrDefaultAsync(n => n.Id == id, cancellationToken);

    /// <summary>Stages a notice received from a peer and the subject entity it is about (unsaved).</summary>
    public void AddReceivedNotice(Notice notice, Entity subject)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(subject);
        db.Entities.Add(subject);
        db.Notices.Add(notice);
    }

    /// <summary>The agreements <paramref name="agencyId"/> is a party to, whatever their state (the policy judges which are in force).</summary>
    public Task<List<SharingAgreement>> AgreementsOfAsync(AgencyId agencyId, CancellationToken cancellationToken) =>
        db.Agreements.AsNoTracking().Where(a => a.ProposerAgencyId == agencyId || a.PartnerAgencyId == agencyId).ToListAsync(cancellationToken);
}
