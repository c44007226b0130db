using Jisr.Exchange.Stix.Mapping;

namespace Jisr.Server.Federation;

/// <summary>Receiving a notice's state from the node of its issuing agency.</summary>
public sealed partial class FederationReceiver
{
    /// <summary>
    /// Applies a notice's state: a first issued state makes the notice here (with its subject, kept as an entity of the
    /// issuer); later states update, withhold or cancel it. A withheld or cancelled state of a notice never received
    /// here changes nothing. Visibility then follows the notice read rule: recipients see it while an agreement with
    /// the issuer is in force here.
    /// </summary>
    private async Task<List<AuditEvent>> ReceiveNoticeAsync(NoticeStateMessage state, string sender, IReadOnlySet<AgencyId> peerAgencies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = new NoticeId(state.NoticeId);
        var issuer = new AgencyId(state.IssuerAgencyId);
        var status = Notice.Statuses.Parse(state.Status, "status");
        var domain = RecordVocabulary.ThreatDomains.Parse(state.ThreatDomain, "threatDomain");
        var recipients = state.RecipientAgencyIds.Select(a => new AgencyId(a)).Distinct().ToList();
        var allOwn = true;
        foreach (var recipient in recipients)
        {
            allOwn &= await store.IsOwnAgencyAsync(recipient, cancellationToken);
        }

        var held = await store.FindNoticeAsync(id, cancellationToken);
        Decide(AccessPolicy.CanPeerSendNotice(peerAgencies, issuer, recipients, allOwn, held, status, domain, await store.AgreementsOfAsync(issuer, cancellationToken), now));
        if (held is null)
        {
            if (status != NoticeStatus.Issued)
            {
                return [];
            }

            if (state.Subject is null)
            {
                throw new FormatException("an issued notice names its subject");
            }

            using var fields = JsonDocument.Parse(state.Subject.ToJsonString());
            var subject = EntityFields.ToEntity(fields.RootElement, issuer, now);
            Guard.That(subject.Type is EntityType.Person or EntityType.Event, "subject", ValidationCodes.NoticeSubject, "a notice is about a person or an event");
            held = Notice.Received(id, issuer, new UserId(state.AuthorUserId), Notice.Colors.Parse(state.Color, "color"), subject.Id, recipients, state.CreatedAt);
            held.ApplyReceived(status, state.Title, state.Summary, state.Offence, domain, state.DecisionReason, state.UpdatedAt);
            store.AddReceivedNotice(held, subject);
            return [NoticeEvent(AuditActions.NoticeCreate, sender, issuer, id, $"status=issued; recipients={string.Join(',', recipients)}; from={sender}")];
        }

        held.ApplyReceived(status, state.Title, state.Summary, state.Offence, domain, state.DecisionReason, state.UpdatedAt);
        var action = status switch
        {
            NoticeStatus.Issued => AuditActions.NoticeUpdate,
            NoticeStatus.Cancelled => AuditActions.NoticeCancel,
            _ => AuditActions.NoticeUpdate,
        };
        return [NoticeEvent(action, sender, issuer, id, $"status={state.Status}; from={sender}")];
    }

    private static AuditEvent NoticeEvent(string action, string sender, AgencyId issuer, NoticeId id, string detail) =>
        new(action, ActorName: sender, AgencyId: issuer, TargetType: AuditTargets.Notice, TargetId: id.ToString(), Detail: detail);
}
