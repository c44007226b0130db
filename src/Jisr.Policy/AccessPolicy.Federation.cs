using Jisr.Domain.Sharing;

namespace Jisr.Policy;

/// <summary>Federation: who administers peers, and what a peer node may do here on behalf of the agencies it hosts.</summary>
public static partial class AccessPolicy
{
    /// <summary>Peering with another node, revoking a peer and reading the message log are the node operator's acts.</summary>
    public static PolicyDecision CanAdministerFederation(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Has(Role.NodeAdministrator)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only node administrators add, revoke or inspect federation peers");
    }

    /// <summary>
    /// A peer node proposing an agreement here: the proposer must be one of the agencies that peer hosts (a node
    /// speaks only for its own agencies) and the partner an agency of this node.
    /// </summary>
    public static PolicyDecision CanPeerProposeAgreement(IReadOnlySet<AgencyId> peerAgencies, SharingAgreement agreement, bool partnerIsOwnAgency)
    {
        ArgumentNullException.ThrowIfNull(peerAgencies);
        ArgumentNullException.ThrowIfNull(agreement);
        if (!peerAgencies.Contains(agreement.ProposerAgencyId))
        {
            return PolicyDecision.Deny("the proposing agency is not hosted by the sending node");
        }

        return partnerIsOwnAgency ? PolicyDecision.Allow : PolicyDecision.Deny("the partner agency is not hosted by this node");
    }

    /// <summary>
    /// A peer node changing an agreement here, for <paramref name="byAgency"/>: that agency must be hosted by the peer
    /// and a party to the agreement; the same rules as for a local administrator follow (only the partner accepts,
    /// only the agency that suspended resumes).
    /// </summary>
    public static PolicyDecision CanPeerChangeAgreement(IReadOnlySet<AgencyId> peerAgencies, AgencyId byAgency, SharingAgreement agreement, AgreementAction change)
    {
        ArgumentNullException.ThrowIfNull(peerAgencies);
        ArgumentNullException.ThrowIfNull(agreement);
        if (!peerAgencies.Contains(byAgency) || !agreement.IsParty(byAgency))
        {
            return PolicyDecision.NotVisible;
        }

        return change switch
        {
            AgreementAction.Accept when byAgency != agreement.PartnerAgencyId =>
                PolicyDecision.Deny("the agency that proposed an agreement cannot accept it: the partner agency's administrator accepts"),
            AgreementAction.Resume when agreement.SuspendedBy is { } suspender && suspender != byAgency =>
                PolicyDecision.Deny("only the agency that suspended this agreement can resume it"),
            _ => PolicyDecision.Allow,
        };
    }

    /// <summary>
    /// A peer node delivering a release here: the releasing agency is one it hosts, the recipient one of this node, and
    /// the agreement named (the same on both nodes) is between those two and in force by this node's own clock, and
    /// covers the record's marking and threat domains (<paramref name="received"/>, once read). Handling codes travel with the copy.
    /// </summary>
    public static PolicyDecision CanPeerDeliverRelease(
        IReadOnlySet<AgencyId> peerAgencies, AgencyId releasingAgencyId, AgencyId recipientAgencyId, bool recipientIsOwnAgency, SharingAgreement? agreement, Domain.Records.Record? received, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(peerAgencies);
        if (!peerAgencies.Contains(releasingAgencyId) || !recipientIsOwnAgency)
        {
            return PolicyDecision.Deny("the releasing agency is not hosted by the sending node, or the recipient not by this one");
        }

        if (agreement is null || !agreement.IsParty(releasingAgencyId) || !agreement.IsParty(recipientAgencyId))
        {
            return PolicyDecision.Deny("no agreement between the releasing and the recipient agency is known here");
        }

        if (!agreement.IsInForce(Today(now)))
        {
            return PolicyDecision.Deny("the agreement is not in force here");
        }

        // Before the bundle is read (null), the parties and the agreement; after, what the record is.
        return received is not null && agreement.WhyNotCovering(received.Marking, [.. received.ThreatDomains]) is { } why ? PolicyDecision.Deny(why) : PolicyDecision.Allow;
    }

    /// <summary>
    /// Recalling a release (the recipient's copy is removed, on this node or the partner's): the releasing agency's
    /// legal reviewers and administrators, as for the decisions that let it go.
    /// </summary>
    public static PolicyDecision CanRecallRelease(Principal principal, Release release)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(release);
        if (!ReleaseVisibleRule.Allows(principal, release))
        {
            return PolicyDecision.NotVisible;
        }

        return principal.Has(Role.LegalReviewer) || principal.Has(Role.Administrator)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only the releasing agency's legal reviewers and administrators recall a release");
    }

    /// <summary>A peer node recalling a copy held here: only for the agency it hosts that released it, and only that release's copy.</summary>
    public static PolicyDecision CanPeerRecallRelease(IReadOnlySet<AgencyId> peerAgencies, AgencyId byAgency, ReleaseId releaseId, Domain.Records.Record? copy)
    {
        ArgumentNullException.ThrowIfNull(peerAgencies);
        return copy?.Provenance is { } provenance && peerAgencies.Contains(byAgency) && provenance.ReleasingAgencyId == byAgency && provenance.ReleaseId == releaseId
            ? PolicyDecision.Allow
            : PolicyDecision.NotVisible;
    }

    /// <summary>A peer node asking consent here: for a copy its own agency holds, of a record an agency of this node originated.</summary>
    public static PolicyDecision CanPeerRequestConsent(IReadOnlySet<AgencyId> peerAgencies, ConsentRequest consent, bool originatorIsOwnAgency)
    {
        ArgumentNullException.ThrowIfNull(peerAgencies);
        ArgumentNullException.ThrowIfNull(consent);
        return peerAgencies.Contains(consent.RequesterAgencyId) && originatorIsOwnAgency
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("the requester is not hosted by the sending node, or the originator not by this one");
    }

    /// <summary>A peer node deciding a consent request asked here: only for the originator, which it must host.</summary>
    public static PolicyDecision CanPeerDecideConsent(IReadOnlySet<AgencyId> peerAgencies, AgencyId byAgency, ConsentRequest? consent)
    {
        ArgumentNullException.ThrowIfNull(peerAgencies);
        return consent is not null && peerAgencies.Contains(byAgency) && consent.OriginatorAgencyId == byAgency
            ? PolicyDecision.Allow
            : PolicyDecision.NotVisible;
    }
}
