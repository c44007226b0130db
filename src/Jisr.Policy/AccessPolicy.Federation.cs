using Jisr.Domain.Common;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;

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
}
