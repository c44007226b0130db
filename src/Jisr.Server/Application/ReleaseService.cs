namespace Jisr.Server.Application;

/// <summary>
/// Releasing a record to a partner agency under a sharing agreement in force; sensitive markings wait for a second
/// person (four-eyes), who approves or refuses. Every decision is the policy's.
/// </summary>
public sealed class ReleaseService(ReleaseStore store, RecordStore records, AgreementStore agreements, AgencyNames names, AgencyDirectory agencies, Federation.FederationOutbox outbox, TimeProvider time, Federation.OnwardRecall onwardRecall)
{
    public Task<List<Release>> ListAsync(Principal caller, string? status, Guid? record, CancellationToken cancellationToken)
    {
        ReleaseStatus? wanted = string.IsNullOrEmpty(status) ? null : Release.StatusNames.Parse(status, "status");
        return store.ListAsync(caller, wanted, record is { } id ? new RecordId(id) : null, cancellationToken);
    }

    public async Task<Outcome<Release>> ReadAsync(Principal caller, Guid id, CancellationToken cancellationToken) =>
        Change.Found(await store.ReadAsync(caller, new ReleaseId(id), cancellationToken), $"release {id}");

    public async Task<Outcome<Release>> RequestAsync(Principal caller, Guid recordId, ReleaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var record = await records.FindForUpdateAsync(caller, new RecordId(recordId), cancellationToken);
        if (record is null)
        {
            return Refusal.NotFound($"record {recordId}");
        }

        var recipient = await names.PartnerAsync(request.Agency, caller.AgencyId, "agency", cancellationToken);
        var inForce = await agreements.InForceWithAsync(caller, recipient, AccessPolicy.Today(now), cancellationToken);

        // No agreement named: the first one in force that covers the record (or any, so the refusal says what is missing).
        var agreement = request.Agreement is { } agreementId
            ? inForce.FirstOrDefault(a => a.Id.Value == agreementId)
            : inForce.FirstOrDefault(a => a.WhyNotCovering(record.Marking, [.. record.ThreatDomains]) is null) ?? inForce.FirstOrDefault();
        var consented = record.Provenance is not null && await store.ConsentGrantedAsync(record.Id, recipient, cancellationToken);
        if (Refusal.Of(AccessPolicy.CanRelease(caller, record, recipient, agreement, consented, now), $"record {recordId}") is { } refused)
        {
            return refused;
        }

        if (await store.IsReleasedOrPendingAsync(record, recipient, cancellationToken))
        {
            return Refusal.Conflict($"this record is already released (or awaiting approval) to {(await agencies.GetAsync(recipient, cancellationToken)).Code}");
        }

        // An agency of another node: its users are known there only, so the names travel and are resolved there.
        var remoteRecipient = await outbox.IsRemoteAsync(recipient, cancellationToken);
        List<UserId> recipientUsers = remoteRecipient ? [] : await names.UsersOfAsync(request.Recipients, recipient, "recipients", "the recipient agency");
        List<string> remoteNames = remoteRecipient ? RemoteUserNames(request.Recipients) : [];
        var release = Release.Request(record, recipient, agreement!, caller.UserId, recipientUsers, request.Note, AccessPolicy.ReleaseNeedsSecondPerson(record), now, remoteNames);

        // A request for an older version can never be approved: asking again for the record as it is closes it.
        var stale = await store.FindStaleAsync(record, recipient, cancellationToken);
        stale?.Supersede(record, caller.UserId, now);
        var remote = release.Status == ReleaseStatus.Released ? await RemoteAsync(caller, release, record, now, cancellationToken) : null;
        await store.RequestAsync(caller, release, record, agreement!, cancellationToken, stale, remote);
        Notify(remote);
        return release;
    }

    /// <summary>
    /// Four-eyes decision. Approval checks the release terms again (the agreement may have been suspended, the
    /// consent may be gone since the request) and sends the copy.
    /// </summary>
    public async Task<Outcome<Release>> DecideAsync(Principal caller, Guid id, bool approve, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var release = await store.FindAsync(caller, new ReleaseId(id), cancellationToken);
        if (release is null)
        {
            return Refusal.NotFound($"release {id}");
        }

        var record = await records.FindForUpdateAsync(caller, release.RecordId, cancellationToken);
        if (Refusal.Of(AccessPolicy.CanDecideRelease(caller, release, record, now), $"release {id}") is { } refused)
        {
            return refused;
        }

        if (approve)
        {
            release.Approve(record!, caller.UserId, reason, now);
        }
        else
        {
            release.Refuse(caller.UserId, reason, now);
        }

        SharingAgreement? agreement = null;
        if (release.Status == ReleaseStatus.Released)
        {
            agreement = await store.FindAgreementAsync(release.AgreementId, cancellationToken);
            var consented = record!.Provenance is not null && await store.ConsentGrantedAsync(record.Id, release.RecipientAgencyId, cancellationToken);
            var terms = AccessPolicy.ReleaseTerms(record, release.ReleasingAgencyId, release.RecipientAgencyId, agreement, consented, now);
            if (!terms.IsAllowed)
            {
                return Refusal.Forbidden($"the release can no longer be approved: {terms.Reason}");
            }
        }

        var remote = release.Status == ReleaseStatus.Released ? await RemoteAsync(caller, release, record!, now, cancellationToken) : null;
        await store.DecideAsync(caller, release, record!, agreement, cancellationToken, remote);
        Notify(remote);
        return release;
    }

    /// <summary>
    /// Recalls a release: the recipient's copy is removed, here if the recipient is hosted here, else on its node by a
    /// message written with the recall, which that node acknowledges.
    /// </summary>
    public async Task<Outcome<Release>> RecallAsync(Principal caller, Guid id, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await Change.ApplyAsync(
            await store.FindAsync(caller, new ReleaseId(id), cancellationToken),
            $"release {id}",
            release => AccessPolicy.CanRecallRelease(caller, release),
            release => release.Recall(caller.UserId, reason, now),
            async release =>
            {
                var sent = await outbox.StageForAsync(
                    release.RecipientAgencyId,
                    Exchange.Federation.FederationMessageTypes.ReleaseRecall,
                    new Exchange.Federation.ReleaseRecallMessage(release.Id.Value, release.CopyRecordId?.Value ?? Guid.Empty, caller.AgencyId.Value, caller.UserId.Value, reason, now),
                    new Storage.Audit.AuditEvent("", caller.UserId, caller.UserName, caller.AgencyId),
                    cancellationToken);
                // A copy held here goes in this transaction: what its holder released of it goes too (OnwardRecall).
                List<Storage.Audit.AuditEvent> also = sent is not null ? [sent]
                    : release.CopyRecordId is { } copy ? await onwardRecall.FollowAsync(copy, release.Id.Value, caller.UserId, new Storage.Audit.AuditEvent("", caller.UserId, caller.UserName), reason, now, cancellationToken)
                    : [];
                await store.RecallAsync(caller, release, also, cancellationToken);
                if (also.Count > 0)
                {
                    outbox.Notify();
                }
            });
    }

    /// <summary>User names of another node's agency, checked for form only (that node says whether each is one of its users).</summary>
    private static List<string> RemoteUserNames(IReadOnlyList<string?>? names) =>
        [.. (names ?? []).Select((name, i) => Guard.Text(name, $"recipients[{i}]", AccountService.MaxUserNameLength))];

    /// <summary>A release to an agency of a peer node: the bundle staged for that node (null for an agency of this node).</summary>
    private async Task<RemoteDelivery?> RemoteAsync(Principal caller, Release release, Domain.Records.Record record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var originator = await agencies.FindAsync(record.OriginatorAgencyId, cancellationToken)
            ?? throw new DomainStateException("the record's originator agency is not known on this node");
        return await outbox.StageReleaseAsync(caller, release, record, originator, now, cancellationToken);
    }

    private void Notify(RemoteDelivery? remote)
    {
        if (remote is not null)
        {
            outbox.Notify();
        }
    }
}
