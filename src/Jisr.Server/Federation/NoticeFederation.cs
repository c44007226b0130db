using Jisr.Exchange.Stix.Mapping;

namespace Jisr.Server.Federation;

/// <summary>
/// Sends a notice's state to the nodes hosting its recipient agencies, staged with the change (the transactional
/// outbox): when it is issued or updated while issued, when it is cancelled, and when an update sends an issued
/// notice back to the neutrality screen (the partner hides it; the new text stays here until a reviewer clears it).
/// A notice held by the screen from the start never leaves this node. One message per peer, naming only that peer's
/// recipients.
/// </summary>
public sealed class NoticeFederation(FederationStore store, FederationOutbox outbox)
{
    /// <summary>The audit events of the messages staged (none when every recipient is hosted here or nothing is to be told).</summary>
    public async Task<List<AuditEvent>> StageAsync(Principal caller, Notice notice, NoticeStatus? before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(notice);
        var shown = notice.Status is NoticeStatus.Issued or NoticeStatus.Cancelled;
        if (!shown && before != NoticeStatus.Issued)
        {
            return [];
        }

        var byPeer = new Dictionary<Guid, List<AgencyId>>();
        foreach (var recipient in notice.Recipients)
        {
            if (await store.PeerOfAgencyAsync(recipient.AgencyId, cancellationToken) is { } peer)
            {
                (byPeer.TryGetValue(peer.Id, out var list) ? list : byPeer[peer.Id] = []).Add(recipient.AgencyId);
            }
        }

        if (byPeer.Count == 0)
        {
            return [];
        }

        var subject = shown && await store.FindEntityAsync(notice.SubjectEntityId, cancellationToken) is { } entity ? EntityFields.Of(entity) : null;
        var actor = new AuditEvent("", caller.UserId, caller.UserName, caller.AgencyId);
        var staged = new List<AuditEvent>();
        foreach (var recipients in byPeer.Values)
        {
            var state = new NoticeStateMessage(
                notice.Id.Value,
                notice.IssuerAgencyId.Value,
                notice.AuthorUserId.Value,
                Notice.Colors[notice.Color],
                RecordVocabulary.ThreatDomains[notice.ThreatDomain],
                Notice.Statuses[notice.Status],
                [.. recipients.Select(a => a.Value)],
                subject is null ? null : (System.Text.Json.Nodes.JsonObject)subject.DeepClone(),
                shown ? notice.Title : null,
                shown ? notice.Summary : null,
                shown ? notice.Offence : null,
                shown ? notice.DecisionReason : null,
                notice.CreatedAt,
                notice.UpdatedAt);
            staged.Add((await outbox.StageForAsync(recipients[0], FederationMessageTypes.NoticeState, state, actor, cancellationToken))!);
        }

        return staged;
    }

    /// <summary>Wakes the delivery service after the save that committed the staged messages.</summary>
    public void Notify() => outbox.Notify();
}
