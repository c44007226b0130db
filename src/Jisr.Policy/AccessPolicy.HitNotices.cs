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

    /// <summary>
    /// The notice flood guard: at most <paramref name="limit"/> hit notices from one partner agency under one agreement
    /// are kept as rows of their own within <paramref name="window"/>; further hits are not lost but counted on the
    /// latest one (coalesced), so a partner that checks in a loop cannot bury the owner's list or fill its disk.
    /// </summary>
    public static PolicyDecision WithinHitNoticeRate(int keptInWindow, int limit, TimeSpan window) =>
        keptInWindow < limit
            ? PolicyDecision.Allow
            : PolicyDecision.Deny($"over the notice rate: {keptInWindow} hit notices under this agreement from that agency in the last {window.TotalMinutes:0} minutes (at most {limit}); counted on the latest");
}
