using Jisr.Domain.Sharing;

namespace Jisr.Policy;

/// <summary>Hit notices: the owner's node is told of every check that hit its agency's filter.</summary>
public static partial class AccessPolicy
{
    /// <summary>
    /// A peer node telling this one that a check hit the filter of <paramref name="ownerAgencyId"/>: the requester is an
    /// agency the sending node hosts, the owner one of this node, and <paramref name="agreement"/> (looked up by the
    /// notice's agreement id) is between the two and in force by this node's clock.
    /// </summary>
    public static PolicyDecision CanPeerNoticeHit(IReadOnlySet<AgencyId> peerAgencies, AgencyId requesterAgencyId, AgencyId ownerAgencyId, bool ownerIsOwnAgency, SharingAgreement? agreement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(peerAgencies);
        if (!peerAgencies.Contains(requesterAgencyId) || !ownerIsOwnAgency)
        {
            return PolicyDecision.Deny("the requester is not hosted by the sending node, or the owner not by this one");
        }

        if (agreement is null || !agreement.IsParty(requesterAgencyId) || !agreement.IsParty(ownerAgencyId))
        {
            return PolicyDecision.Deny("no agreement between the requester and the owner agency is known here");
        }

        return agreement.IsInForce(Today(now)) ? PolicyDecision.Allow : PolicyDecision.Deny("the agreement is not in force here: no hit notice is taken under it");
    }

    /// <summary>Who sees the hit notices of their agency: its liaison officers, legal reviewers and administrators.</summary>
    public static PolicyDecision CanSeeHitNotices(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Has(Role.LiaisonOfficer) || principal.Has(Role.LegalReviewer) || principal.Has(Role.Administrator)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only liaison officers, legal reviewers and administrators see who had hits on their agency's data");
    }
}
