namespace Jisr.Storage.HitCheck;

/// <summary>Hit notices on the owner's node: staged on receipt (committed with the inbox row), listed and counted for the owner agency.</summary>
public sealed partial class HitRequestStore
{
    /// <summary>Stages a notice received from a peer (unsaved: the receiver commits it with the inbox row and its audit entry).</summary>
    public void StageNotice(HitNotice notice) => db.Add(notice);

    public Task<bool> NoticeExistsAsync(Guid id, CancellationToken cancellationToken) => db.Set<HitNotice>().AnyAsync(n => n.Id == id, cancellationToken);

    /// <summary>The caller agency's latest hit notices (newest first), audited as a list.</summary>
    public async Task<List<HitNotice>> NoticesForOwnerAsync(Principal principal, CancellationToken cancellationToken)
    {
        var agency = principal.AgencyId.Value;
        var notices = await db.Set<HitNotice>().AsNoTracking().Where(n => n.OwnerAgencyId == agency)
            .OrderByDescending(n => n.ReceivedAt).Take(MaxListSize).ToListAsync(cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.HitNoticeList, detail: $"{notices.Count} hit notices to agency {agency:D}"));
        return notices;
    }

    /// <summary>The caller agency's hit notices per requester agency and agreement (read with the request tally, which audits the read).</summary>
    public async Task<List<HitNoticeTally>> NoticeTallyForOwnerAsync(Principal principal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agency = principal.AgencyId.Value;
        var rows = await db.Set<HitNotice>().AsNoTracking().Where(n => n.OwnerAgencyId == agency)
            .Select(n => new { n.RequesterAgencyId, n.AgreementId, n.ReceivedAt })
            .ToListAsync(cancellationToken);
        var dayAgo = now.AddDays(-1);
        return [.. rows.GroupBy(r => (r.RequesterAgencyId, r.AgreementId))
            .Select(g => new HitNoticeTally(new AgencyId(g.Key.RequesterAgencyId), new AgreementId(g.Key.AgreementId), g.Count(), g.Count(r => r.ReceivedAt >= dayAgo), g.Max(r => r.ReceivedAt)))];
    }
}
