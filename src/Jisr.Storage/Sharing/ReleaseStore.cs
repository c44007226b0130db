namespace Jisr.Storage.Sharing;

/// <summary>
/// Releases of records to partner agencies and the consent requests of the third-party rule. Queries start from
/// what the caller's agency may see; a release that goes out writes the release copy, the release and two audit
/// entries (the releasing agency's and the recipient's) in one transaction.
/// </summary>
public sealed class ReleaseStore(JisrDbContext db, AuditLog audit, TimeProvider time)
{
    public const int MaxListSize = 500;

    public async Task<List<Release>> ListAsync(Principal principal, ReleaseStatus? status, RecordId? recordId, CancellationToken cancellationToken)
    {
        var query = db.ShownReleases(principal, time);
        if (status is { } s)
        {
            query = query.Where(r => r.Status == s);
        }

        if (recordId is { } id)
        {
            query = query.Where(r => r.RecordId == id);
        }

        var releases = await query.OrderByDescending(r => r.RequestedAt).Take(MaxListSize).ToListAsync(cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.ReleaseList, detail: $"{releases.Count} releases"));
        return releases;
    }

    /// <summary>A tracked release the caller's agency made, or null (missing and foreign look the same).</summary>
    public Task<Release?> FindAsync(Principal principal, ReleaseId id, CancellationToken cancellationToken) =>
        db.Releases.Where(AccessPolicy.VisibleReleases(principal)).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>A release to show the caller, or null; the read is audited either way.</summary>
    public async Task<Release?> ReadAsync(Principal principal, ReleaseId id, CancellationToken cancellationToken)
    {
        var release = await db.ShownReleases(principal, time).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.ReleaseRead, AuditTargets.Release, id.ToString(), release is not null));
        return release;
    }

    /// <summary>Whether the record is already released, or awaiting approval of its present version, to the agency.</summary>
    public Task<bool> IsReleasedOrPendingAsync(Record record, AgencyId recipientAgencyId, CancellationToken cancellationToken) =>
        db.Releases.AnyAsync(
            r => r.RecordId == record.Id && r.RecipientAgencyId == recipientAgencyId
                 && (r.Status == ReleaseStatus.Released || (r.Status == ReleaseStatus.AwaitingApproval && r.RecordVersion == record.Version)),
            cancellationToken);

    /// <summary>A tracked request to the agency awaiting approval of an older version of the record (it can never be approved), or null.</summary>
    public Task<Release?> FindStaleAsync(Record record, AgencyId recipientAgencyId, CancellationToken cancellationToken) =>
        db.Releases.FirstOrDefaultAsync(
            r => r.RecordId == record.Id && r.RecipientAgencyId == recipientAgencyId && r.Status == ReleaseStatus.AwaitingApproval && r.RecordVersion != record.Version,
            cancellationToken);

    /// <summary>Whether the originator granted consent to pass the received record on to the agency.</summary>
    public Task<bool> ConsentGrantedAsync(RecordId recordId, AgencyId targetAgencyId, CancellationToken cancellationToken) =>
        db.ConsentRequests.AnyAsync(c => c.RecordId == recordId && c.TargetAgencyId == targetAgencyId && c.Status == ConsentStatus.Granted, cancellationToken);

    /// <summary>Stores a new release (and the older request it supersedes); one that needs no approval goes out at once with its copy.</summary>
    public async Task RequestAsync(Principal principal, Release release, Record source, SharingAgreement agreement, CancellationToken cancellationToken, Release? superseded = null, RemoteDelivery? remote = null)
    {
        if (superseded is not null)
        {
            // Saved first: the unique index frees the (record, recipient) pair only once the old request is closed.
            await audit.SaveWithAuditAsync(db, Event(principal, AuditActions.ReleaseRefuse, superseded, $"superseded by release {release.Id:D}"), cancellationToken);
        }

        db.Releases.Add(release);
        var events = new List<AuditEvent> { Event(principal, AuditActions.ReleaseRequest, release) };

        if (release.Status == ReleaseStatus.Released)
        {
            events.AddRange(await DeliverAsync(principal, release, source, agreement, remote, cancellationToken));
        }

        await SaveUniqueAsync(events, "Releases", "the record is already released, or awaiting approval, to that agency", cancellationToken);
    }

    /// <summary>Saves an approval (which sends the copy) or a refusal made on a release from <see cref="FindAsync"/>.</summary>
    public async Task DecideAsync(Principal principal, Release release, Record source, SharingAgreement? agreement, CancellationToken cancellationToken, RemoteDelivery? remote = null)
    {
        var events = new List<AuditEvent> { Event(principal, release.Status == ReleaseStatus.Released ? AuditActions.ReleaseApprove : AuditActions.ReleaseRefuse, release) };
        if (release.Status == ReleaseStatus.Released)
        {
            events.AddRange(await DeliverAsync(principal, release, source, agreement ?? throw new InvalidOperationException("an approved release needs its agreement"), remote, cancellationToken));
        }

        await audit.SaveWithAuditAsync(db, events, cancellationToken);
    }

    /// <summary>
    /// Saves a recall made on a release from <see cref="FindAsync"/>: the copy held on this node (if the recipient is
    /// hosted here) is removed in the same transaction; <paramref name="alsoAudited"/> carries a message to the
    /// recipient's node otherwise. Both agencies' trails record it.
    /// </summary>
    public async Task RecallAsync(Principal principal, Release release, IReadOnlyList<AuditEvent> alsoAudited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(alsoAudited);
        var events = new List<AuditEvent> { Event(principal, AuditActions.ReleaseRecall, release, $"copy {release.CopyRecordId:D}; reason={release.RecallReason}") };
        if (release.CopyRecordId is { } copyId && await db.Records.FirstOrDefaultAsync(r => r.Id == copyId, cancellationToken) is { } copy)
        {
            db.Records.Remove(copy);
            events.Add(new AuditEvent(AuditActions.ReleaseRecall, principal.UserId, principal.UserName, release.RecipientAgencyId, AuditTargets.Record, copyId.ToString(),
                Detail: $"release {release.Id:D} recalled by agency {release.ReleasingAgencyId:D}: the copy is removed"));
        }

        // Nothing refers to a record by a foreign key that would stop its removal (what hangs off it goes with it;
        // releases and consents keep its id without a key), so the copy always goes with the recall.
        events.AddRange(alsoAudited);
        await audit.SaveWithAuditAsync(db, events, cancellationToken);
    }

    public Task<SharingAgreement?> FindAgreementAsync(AgreementId id, CancellationToken cancellationToken) =>
        db.Agreements.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);

    public async Task<List<ConsentRequest>> ListConsentsAsync(Principal principal, CancellationToken cancellationToken)
    {
        var consents = await db.ConsentRequests.AsNoTracking().Where(ShownConsents(principal))
            .OrderByDescending(c => c.RequestedAt).Take(MaxListSize).ToListAsync(cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.ConsentList, detail: $"{consents.Count} consent requests"));
        return consents;
    }

    /// <summary>A tracked consent request the caller's agency asked or must decide, of a record the caller may read, or null.</summary>
    public Task<ConsentRequest?> FindConsentAsync(Principal principal, ConsentId id, CancellationToken cancellationToken) =>
        db.ConsentRequests.Where(ShownConsents(principal)).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);

    /// <summary>A consent request to show the caller, or null; the read is audited either way.</summary>
    public async Task<ConsentRequest?> ReadConsentAsync(Principal principal, ConsentId id, CancellationToken cancellationToken)
    {
        var consent = await db.ConsentRequests.AsNoTracking().Where(ShownConsents(principal)).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.ConsentRead, AuditTargets.Consent, id.ToString(), consent is not null));
        return consent;
    }

    /// <summary>Whether consent to pass the record on to the agency is already asked for or granted.</summary>
    public Task<bool> ConsentOpenOrGrantedAsync(RecordId recordId, AgencyId targetAgencyId, CancellationToken cancellationToken) =>
        db.ConsentRequests.AnyAsync(c => c.RecordId == recordId && c.TargetAgencyId == targetAgencyId && c.Status != ConsentStatus.Refused, cancellationToken);

    public Task AddConsentAsync(Principal principal, ConsentRequest consent, CancellationToken cancellationToken) =>
        AddConsentAsync(principal, consent, [], cancellationToken);

    /// <summary>Adds a consent request; <paramref name="alsoAudited"/> carries a message to the originator's node, committed with it.</summary>
    public async Task AddConsentAsync(Principal principal, ConsentRequest consent, IReadOnlyList<AuditEvent> alsoAudited, CancellationToken cancellationToken)
    {
        db.ConsentRequests.Add(consent);
        await SaveUniqueAsync([.. ConsentEvents(principal, AuditActions.ConsentRequest, consent), .. alsoAudited], "ConsentRequests", "consent to pass this record on to that agency is already requested or granted", cancellationToken);
    }

    public Task SaveConsentAsync(Principal principal, ConsentRequest consent, string action, CancellationToken cancellationToken) =>
        SaveConsentAsync(principal, consent, action, [], cancellationToken);

    /// <summary>Saves a decision; <paramref name="alsoAudited"/> carries a message to the requester's node, committed with it.</summary>
    public Task SaveConsentAsync(Principal principal, ConsentRequest consent, string action, IReadOnlyList<AuditEvent> alsoAudited, CancellationToken cancellationToken) =>
        audit.SaveWithAuditAsync(db, [.. ConsentEvents(principal, action, consent), .. alsoAudited], cancellationToken);

    /// <summary>
    /// Saves a new release or consent request. The endpoint checks for an open one first; a concurrent request that
    /// passed the same check at the same moment is stopped here by the unique index, and nothing of it is kept.
    /// </summary>
    private async Task SaveUniqueAsync(IReadOnlyList<AuditEvent> events, string table, string duplicate, CancellationToken cancellationToken)
    {
        try
        {
            await audit.SaveWithAuditAsync(db, events, cancellationToken);
        }
        catch (DbUpdateException exception) when (StorageErrors.IsUniqueViolation(exception, table))
        {
            db.ChangeTracker.Clear();
            throw new DomainStateException(duplicate);
        }
    }

    private async Task<AuditEvent[]> DeliverAsync(Principal principal, Release release, Record source, SharingAgreement agreement, RemoteDelivery? remote, CancellationToken cancellationToken)
    {
        if (remote is not null)
        {
            // The recipient is hosted by a peer node: the copy is made there from the message staged with this change.
            release.Delivered(remote.CopyId);
            source.ReleasedNow();
            return [Event(principal, AuditActions.ReleaseDeliver, release, $"copy {remote.CopyId:D} on the recipient's node"), .. remote.Events];
        }

        var copy = Record.CreateReleaseCopy(source, release, agreement, time.GetUtcNow());
        var entityIds = copy.Mentions.Select(m => m.EntityId).ToList();
        var entities = await db.Entities.AsNoTracking().Where(e => entityIds.Contains(e.Id)).ToListAsync(cancellationToken);
        db.Records.Add(copy);
        db.Entry(copy).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(copy, entities);
        release.Delivered(copy.Id);
        return
        [
            Event(principal, AuditActions.ReleaseDeliver, release, $"copy {copy.Id:D}"),

            // The recipient's own trail shows what it received, from whom, under which agreement.
            new AuditEvent(AuditActions.ReleaseReceive, principal.UserId, principal.UserName, release.RecipientAgencyId, AuditTargets.Record, copy.Id.ToString(),
                Detail: $"release {release.Id:D}; from agency {release.ReleasingAgencyId:D}; agreement {release.AgreementId:D}"),
        ];
    }

    private System.Linq.Expressions.Expression<Func<ConsentRequest, bool>> ShownConsents(Principal principal) =>
        AccessPolicy.ShownConsents(principal, time.GetUtcNow(), db.Records, db.Agreements);

    private static AuditEvent Event(Principal principal, string action, Release release, string? detail = null) =>
        new(action, principal.UserId, principal.UserName, principal.AgencyId, AuditTargets.Release, release.Id.ToString(),
            Detail: $"record {release.RecordId:D}; to agency {release.RecipientAgencyId:D}; status={Release.StatusNames[release.Status]}" + (detail is null ? string.Empty : $"; {detail}"));

    /// <summary>Consent decisions concern two agencies: each one's trail records them.</summary>
    private static AuditEvent[] ConsentEvents(Principal principal, string action, ConsentRequest consent)
    {
        var detail = $"record {consent.RecordId:D} (original {consent.OriginalRecordId:D}); to agency {consent.TargetAgencyId:D}; status={ConsentRequest.StatusNames[consent.Status]}";
        var other = principal.AgencyId == consent.OriginatorAgencyId ? consent.RequesterAgencyId : consent.OriginatorAgencyId;
        return
        [
            new AuditEvent(action, principal.UserId, principal.UserName, principal.AgencyId, AuditTargets.Consent, consent.Id.ToString(), Detail: detail),
            new AuditEvent(action, principal.UserId, principal.UserName, other, AuditTargets.Consent, consent.Id.ToString(), Detail: detail),
        ];
    }
}

/// <summary>A release to an agency of a peer node: the id its copy gets there, and the audit events of the message staged for it.</summary>
public sealed record RemoteDelivery(RecordId CopyId, IReadOnlyList<AuditEvent> Events);
