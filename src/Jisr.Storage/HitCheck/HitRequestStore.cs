using Jisr.Storage.Federation;

namespace Jisr.Storage.HitCheck;

/// <summary>
/// Hit requests on both nodes: what the caller may see (<see cref="AccessPolicy.ShownHitRequests"/>), every read and
/// change audited with the change, received requests staged on the receiver's context (committed with the inbox row).
/// </summary>
public sealed partial class HitRequestStore(JisrDbContext db, AuditLog audit)
{
    public const int MaxListSize = 500;

    /// <summary>The requests the caller sees, newest first, <paramref name="limit"/> (at most <see cref="MaxListSize"/>) after the first <paramref name="offset"/>; audited as a list.</summary>
    public async Task<List<HitRequest>> ListAsync(Principal principal, HitRequestStatus? status, int offset, int limit, CancellationToken cancellationToken)
    {
        var query = db.Set<HitRequest>().AsNoTracking().Where(AccessPolicy.ShownHitRequests(principal));
        if (status is { } wanted)
        {
            query = query.Where(r => r.Status == wanted);
        }

        var requests = await query.OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id).Skip(offset).Take(Math.Clamp(limit, 1, MaxListSize)).ToListAsync(cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.HitRequestList, detail: $"{requests.Count} hit requests from {offset}"));
        return requests;
    }

    /// <summary>A request to show the caller, or null; the read is audited either way.</summary>
    public async Task<HitRequest?> ReadAsync(Principal principal, Guid id, CancellationToken cancellationToken)
    {
        var request = await db.Set<HitRequest>().AsNoTracking().Where(AccessPolicy.ShownHitRequests(principal)).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.HitRequestRead, AuditTargets.HitRequest, id.ToString("D"), request is not null));
        return request;
    }

    /// <summary>A tracked request the caller may see, or null.</summary>
    public Task<HitRequest?> FindAsync(Principal principal, Guid id, CancellationToken cancellationToken) =>
        db.Set<HitRequest>().Where(AccessPolicy.ShownHitRequests(principal)).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>A tracked request by id, for the node's own work (a reply received, the release followed).</summary>
    public Task<HitRequest?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<HitRequest>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>Adds a request opened here with its audit entries and the staged message, in one transaction.</summary>
    public Task AddAsync(HitRequest request, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        db.Add(request);
        return audit.SaveWithAuditAsync(db, events, cancellationToken);
    }

    /// <summary>Saves a tracked change with its audit entries (and any staged message), in one transaction.</summary>
    public Task SaveAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken) => audit.SaveWithAuditAsync(db, events, cancellationToken);

    /// <summary>Stages a request received from a peer (unsaved: the receiver commits it with the inbox row).</summary>
    public void StageReceived(HitRequest request) => db.Add(request);

    public Task<bool> ExistsAsync(Guid id, CancellationToken cancellationToken) => db.Set<HitRequest>().AnyAsync(r => r.Id == id, cancellationToken);

    /// <summary>How many requests from <paramref name="requester"/> under <paramref name="agreement"/> arrived since <paramref name="since"/> (refused ones too).</summary>
    public Task<int> CountReceivedSinceAsync(AgreementId agreement, AgencyId requester, DateTimeOffset since, CancellationToken cancellationToken) =>
        db.Set<HitRequest>().CountAsync(r => r.AgreementId == agreement && r.RequesterAgencyId == requester && r.ReceivedAt >= since, cancellationToken);

    /// <summary>Open requests to agencies of this node (the owner side): those a reminder may be due for.</summary>
    public Task<List<HitRequest>> OpenOwnedHereAsync(CancellationToken cancellationToken) =>
        db.Set<HitRequest>()
            .Where(r => r.Status == HitRequestStatus.Open && !db.Set<RemoteAgency>().Any(x => x.AgencyId == r.OwnerAgencyId))
            .OrderBy(r => r.RequestedAt).Take(MaxListSize).ToListAsync(cancellationToken);

    /// <summary>Requests answered here with a release that waited for its second person, now decided, with that release.</summary>
    public async Task<List<(HitRequest Request, Release Release)>> ReleasesDecidedAsync(CancellationToken cancellationToken)
    {
        var pending = await db.Set<HitRequest>()
            .Where(r => r.Status == HitRequestStatus.ReleasePending && r.ReleaseId != null && !db.Set<RemoteAgency>().Any(x => x.AgencyId == r.OwnerAgencyId))
            .Take(MaxListSize).ToListAsync(cancellationToken);
        var ids = pending.Select(r => r.ReleaseId!.Value).ToList();
        var releases = await db.Releases.AsNoTracking().Where(r => ids.Contains(r.Id) && r.Status != ReleaseStatus.AwaitingApproval).ToDictionaryAsync(r => r.Id, cancellationToken);
        return [.. pending.Where(r => releases.ContainsKey(r.ReleaseId!.Value)).Select(r => (r, releases[r.ReleaseId!.Value]))];
    }

    /// <summary>
    /// Releases made to answer <paramref name="open"/> requests (their note begins with <paramref name="notePrefix"/>
    /// and the request's id, from the owner agency to the requester under the request's agreement) that the request
    /// does not record yet: the node stopped between the release's commit and the request's. The newest per request,
    /// with the name of the user who made it.
    /// </summary>
    public async Task<List<(HitRequest Request, Release Release, string ByName)>> UnrecordedAnswerReleasesAsync(IReadOnlyList<HitRequest> open, string notePrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (open.Count == 0)
        {
            return [];
        }

        var requesters = open.Select(r => r.RequesterAgencyId).Distinct().ToList();
        var since = open.Min(r => r.ReceivedAt ?? r.RequestedAt);
        var releases = await db.Releases.AsNoTracking()
            .Where(r => requesters.Contains(r.RecipientAgencyId) && r.RequestedAt >= since && r.Note != null && r.Note.StartsWith(notePrefix))
            .ToListAsync(cancellationToken);
        var found = new List<(HitRequest, Release)>();
        foreach (var request in open)
        {
            var note = notePrefix + request.Id.ToString("D");
            if (releases.Where(r => r.Note!.StartsWith(note, StringComparison.Ordinal) && r.RecipientAgencyId == request.RequesterAgencyId
                    && r.ReleasingAgencyId == request.OwnerAgencyId && r.AgreementId == request.AgreementId)
                .OrderByDescending(r => r.RequestedAt).FirstOrDefault() is { } release)
            {
                found.Add((request, release));
            }
        }

        var userIds = found.Select(f => f.Item2.RequestedBy.Value).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName ?? "", cancellationToken);
        return [.. found.Select(f => (f.Item1, f.Item2, names.GetValueOrDefault(f.Item2.RequestedBy.Value) ?? "?"))];
    }

    /// <summary>Refusals for rate made on arrival whose answer is not sent yet.</summary>
    public Task<List<HitRequest>> AnswersOwedAsync(CancellationToken cancellationToken) =>
        db.Set<HitRequest>().Where(r => r.RateLimited && !r.AnswerSent).OrderBy(r => r.ReceivedAt).Take(MaxListSize).ToListAsync(cancellationToken);

    public Task<Release?> FindReleaseAsync(ReleaseId id, CancellationToken cancellationToken) =>
        db.Releases.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>
    /// What partners asked the caller's agency, per requester agency and agreement: every count, the last day's, and
    /// those refused for their rate (the owner sees a flood). Audited as a list.
    /// </summary>
    public async Task<List<HitRequestTally>> TallyForOwnerAsync(Principal principal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agency = principal.AgencyId;
        var rows = await db.Set<HitRequest>().AsNoTracking().Where(AccessPolicy.ShownHitRequests(principal)).Where(r => r.OwnerAgencyId == agency)
            .Select(r => new { r.RequesterAgencyId, r.AgreementId, r.Status, r.RateLimited, r.RequestedAt, r.Deadline })
            .ToListAsync(cancellationToken);
        var dayAgo = now.AddDays(-1);
        var tallies = rows.GroupBy(r => (r.RequesterAgencyId, r.AgreementId))
            .Select(g => new HitRequestTally(
                g.Key.RequesterAgencyId, g.Key.AgreementId, g.Count(), g.Count(r => r.RequestedAt >= dayAgo),
                g.Count(r => r.Status == HitRequestStatus.Open), g.Count(r => r.Status == HitRequestStatus.ReleasePending),
                g.Count(r => r.Status == HitRequestStatus.Released), g.Count(r => r.Status == HitRequestStatus.Refused && !r.RateLimited),
                g.Count(r => r.RateLimited), g.Count(r => r.Status == HitRequestStatus.Open && now > r.Deadline), g.Max(r => r.RequestedAt)))
            .OrderByDescending(t => t.LastDay).ThenByDescending(t => t.Total).ToList();
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.HitRequestList, detail: $"tally of hit requests to agency {agency.Value:D}: {tallies.Count} requester/agreement pairs"));
        return tallies;
    }
}

/// <summary>The hit requests one requester agency sent the owner under one agreement, by state.</summary>
public sealed record HitRequestTally(
    AgencyId RequesterAgencyId, AgreementId AgreementId, int Total, int LastDay, int Open, int ReleasePending, int Released, int Refused, int RateLimited, int Overdue, DateTimeOffset LastAt);
