namespace Jisr.Server.Federation;

/// <summary>
/// Makes a recall reach every copy, not only the one the originator released: when a copy is removed because its
/// originator recalled it, each release its holder made of it (<see cref="AccessPolicy.RecallReachesOnward"/>) is
/// recalled too, by the holder's node, which alone can speak to the node that received it (that node need not be
/// peered with the originator's). A copy further on held by this node is removed in the same transaction, and its own
/// onward releases followed in turn; one held by a peer gets a <c>release.recall</c> signed by this node, written in
/// the same transaction, and that node does the same. Every step is audited where it happens.
/// </summary>
public sealed class OnwardRecall(FederationStore store, FederationOutbox outbox)
{
    /// <summary>
    /// Stages (unsaved, on the request's context) the recall of every open release made from <paramref name="copy"/>,
    /// which the recall of the originator's release <paramref name="cause"/> removes, and returns the audit events
    /// the caller's save must carry. <paramref name="actor"/> names who acts here (a user, or the peer node that brought
    /// the recall); <paramref name="byUser"/> is the originator's user who recalled.
    /// </summary>
    public async Task<List<AuditEvent>> FollowAsync(RecordId copy, Guid cause, UserId byUser, AuditEvent actor, string? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var events = new List<AuditEvent>();
        var removed = new Queue<RecordId>([copy]);
        var seen = new HashSet<RecordId> { copy };
        var why = Truncate($"recalled with release {cause:D}, of which it is an onward release; reason: {reason}");
        while (removed.TryDequeue(out var source))
        {
            foreach (var release in await store.OpenReleasesOfAsync(source, cancellationToken))
            {
                if (!AccessPolicy.RecallReachesOnward(source, release).IsAllowed)
                {
                    continue;
                }

                var by = actor with { AgencyId = release.ReleasingAgencyId, TargetType = AuditTargets.Release, TargetId = release.Id.ToString() };
                if (release.Status == ReleaseStatus.AwaitingApproval)
                {
                    release.Refuse(byUser, why, now);
                    events.Add(by with { Action = AuditActions.ReleaseRefuse, Detail = $"record {source:D} to agency {release.RecipientAgencyId:D}: {why}" });
                    continue;
                }

                release.Recall(byUser, why, now);
                events.Add(by with { Action = AuditActions.ReleaseRecall, Detail = $"copy {release.CopyRecordId:D} of record {source:D} at agency {release.RecipientAgencyId:D}: {why}" });
                events.AddRange(await RemoveCopyAsync(release, byUser, by, why, now, seen, removed, cancellationToken));
            }
        }

        return events;
    }

    /// <summary>The onward copy goes: here at once, or on its holder's node by a signed message from this one.</summary>
    private async Task<List<AuditEvent>> RemoveCopyAsync(
        Release release, UserId byUser, AuditEvent by, string why, DateTimeOffset now, HashSet<RecordId> seen, Queue<RecordId> removed, CancellationToken cancellationToken)
    {
        if (release.CopyRecordId is not { } copyId || !seen.Add(copyId))
        {
            return [];
        }

        if (await outbox.IsRemoteAsync(release.RecipientAgencyId, cancellationToken))
        {
            try
            {
                var sent = await outbox.StageForAsync(
                    release.RecipientAgencyId,
                    FederationMessageTypes.ReleaseRecall,
                    new ReleaseRecallMessage(release.Id.Value, copyId.Value, release.ReleasingAgencyId.Value, byUser.Value, why, now),
                    by with { Action = "", TargetType = null, TargetId = null, Detail = null },
                    cancellationToken);
                return sent is null ? [] : [sent];
            }
            catch (DomainStateException ex)
            {
                // That node's peering was revoked here: nothing can reach it any more; the recall stands on this side.
                return [by with { Action = AuditActions.ReleaseRecall, Outcome = AuditOutcomes.Refused, Detail = $"the recall of copy {copyId:D} cannot be sent: {ex.Message}" }];
            }
        }

        if (await store.FindRecordAsync(copyId, cancellationToken) is not { } local)
        {
            return [];
        }

        store.RemoveRecord(local);
        removed.Enqueue(copyId);
        return [by with { Action = AuditActions.ReleaseRecall, AgencyId = local.HolderAgencyId, TargetType = AuditTargets.Record, TargetId = copyId.ToString(), Detail = $"release {release.Id:D}: the copy is removed; {why}" }];
    }

    private static string Truncate(string text) => text.Length <= Release.MaxNoteLength ? text : text[..Release.MaxNoteLength];
}
