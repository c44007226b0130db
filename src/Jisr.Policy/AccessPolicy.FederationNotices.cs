using Jisr.Domain.Notices;
using Jisr.Domain.Sharing;
using Jisr.Domain.Records;

namespace Jisr.Policy;

/// <summary>Federation: what a peer node may do here to the notices of the agencies it hosts.</summary>
public static partial class AccessPolicy
{
    /// <summary>
    /// A peer node sending a notice's state here: the issuer is an agency that peer hosts, every recipient named is an
    /// agency of this node, and a notice already held here is the same issuer's. An issued notice (new text) must be
    /// one this node would let the issuer send: an agreement in force here, by this node's clock, between the issuer
    /// and each recipient that covers the notice's threat domain (<see cref="CanSendNotice"/>). A cancellation or a
    /// withdrawal only hides or marks what is held, so it needs no agreement.
    /// </summary>
    public static PolicyDecision CanPeerSendNotice(
        IReadOnlySet<AgencyId> peerAgencies, AgencyId issuerAgencyId, IReadOnlyCollection<AgencyId> recipientsHere, bool recipientsAreOwnAgencies,
        Notice? held, NoticeStatus status, ThreatDomain threatDomain, IEnumerable<SharingAgreement> agreements, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(peerAgencies);
        ArgumentNullException.ThrowIfNull(recipientsHere);
        if (!peerAgencies.Contains(issuerAgencyId))
        {
            return PolicyDecision.Deny("the issuing agency is not hosted by the sending node");
        }

        if (held is not null && held.IssuerAgencyId != issuerAgencyId)
        {
            return PolicyDecision.NotVisible;
        }

        if (recipientsHere.Count == 0 || !recipientsAreOwnAgencies)
        {
            return PolicyDecision.Deny("a notice reaches this node only for recipient agencies it hosts");
        }

        if (status != NoticeStatus.Issued)
        {
            return PolicyDecision.Allow;
        }

        var inForce = agreements.ToList();
        foreach (var recipient in recipientsHere)
        {
            var sendable = CanSendNotice(issuerAgencyId, recipient, threatDomain, inForce, now);
            if (!sendable.IsAllowed)
            {
                return PolicyDecision.Deny($"recipient agency {recipient}: {sendable.Reason}");
            }
        }

        return PolicyDecision.Allow;
    }
}
