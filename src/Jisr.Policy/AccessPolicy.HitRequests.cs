using System.Linq.Expressions;
using Jisr.Domain.Sharing;

namespace Jisr.Policy;

/// <summary>
/// Hit requests: who opens one after a hit, who sees one (who asked, and the owner agency that must answer), who answers,
/// what a peer may send, and how many requests a partner's node may send under one agreement.
/// </summary>
public static partial class AccessPolicy
{
    /// <summary>
    /// Opening a hit request to <paramref name="ownerAgencyId"/>: those who check hits, under an agreement in force
    /// between their agency and the owner, and only after the query hit that owner's filter under that agreement.
    /// </summary>
    public static PolicyDecision CanOpenHitRequest(Principal principal, AgencyId ownerAgencyId, SharingAgreement? agreement, bool queryHitsOwner, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (CanCheckHits(principal) is { IsAllowed: false } denied)
        {
            return denied;
        }

        if (agreement is null || !agreement.IsParty(principal.AgencyId) || !agreement.IsParty(ownerAgencyId) || ownerAgencyId == principal.AgencyId)
        {
            return PolicyDecision.Deny("there is no agreement between your agency and that agency");
        }

        if (!agreement.IsInForce(Today(now)))
        {
            return PolicyDecision.Deny("the agreement is not in force: no hit request goes under it");
        }

        return queryHitsOwner
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("the query does not hit that agency's filter under this agreement: a request follows a hit (check it first)");
    }

    /// <summary>
    /// Whether <paramref name="principal"/> has a list of hit requests at all (the page, its menu entry): those who check
    /// hits (their own requests), and liaison officers, legal reviewers and administrators (their agency's, both ways).
    /// Which requests each one sees is <see cref="ShownHitRequests"/>.
    /// </summary>
    public static PolicyDecision CanSeeHitRequests(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return CanCheckHits(principal).IsAllowed || principal.Has(Role.LiaisonOfficer) || principal.Has(Role.LegalReviewer) || principal.Has(Role.Administrator)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only those who check hits, liaison officers, legal reviewers and administrators see hit requests");
    }

    /// <summary>
    /// The hit requests <paramref name="principal"/> sees. The asking side: the user who asked, and the agency's liaison
    /// officers, legal reviewers and administrators (the query says whom the agency is interested in). The owner side:
    /// its liaison officers, legal reviewers and administrators, for every request (the owner always knows who asked and why).
    /// </summary>
    public static Expression<Func<HitRequest, bool>> ShownHitRequests(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var agency = principal.AgencyId;
        var user = principal.UserId;
        var oversees = principal.Has(Role.LiaisonOfficer) || principal.Has(Role.LegalReviewer) || principal.Has(Role.Administrator);
        return r => (r.RequesterAgencyId == agency && (oversees || r.RequestedBy == user)) || (oversees && r.OwnerAgencyId == agency);
    }

    /// <summary>The same rule as <see cref="ShownHitRequests"/>, for one request in memory.</summary>
    public static bool CanSeeHitRequest(Principal principal, HitRequest request)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(request);
        var oversees = principal.Has(Role.LiaisonOfficer) || principal.Has(Role.LegalReviewer) || principal.Has(Role.Administrator);
        return (request.RequesterAgencyId == principal.AgencyId && (oversees || request.RequestedBy == principal.UserId)) || (oversees && request.OwnerAgencyId == principal.AgencyId);
    }

    /// <summary>Answering a hit request (release or refusal): the owner agency's liaison officers. Others who see it: 403; others: 404.</summary>
    public static PolicyDecision CanAnswerHitRequest(Principal principal, HitRequest request)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(request);
        if (!CanSeeHitRequest(principal, request))
        {
            return PolicyDecision.NotVisible;
        }

        return request.OwnerAgencyId == principal.AgencyId && principal.Has(Role.LiaisonOfficer)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only the owner agency's liaison officers answer hit requests");
    }

    /// <summary>
    /// A peer node opening a hit request here: the requester is an agency it hosts, the owner one of this node, and the
    /// agreement between them in force by this node's clock.
    /// </summary>
    public static PolicyDecision CanPeerOpenHitRequest(IReadOnlySet<AgencyId> peerAgencies, HitRequest request, bool ownerIsOwnAgency, SharingAgreement? agreement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(peerAgencies);
        ArgumentNullException.ThrowIfNull(request);
        if (!peerAgencies.Contains(request.RequesterAgencyId) || !ownerIsOwnAgency)
        {
            return PolicyDecision.Deny("the requester is not hosted by the sending node, or the owner not by this one");
        }

        if (agreement is null || agreement.Id != request.AgreementId || !agreement.IsParty(request.RequesterAgencyId) || !agreement.IsParty(request.OwnerAgencyId))
        {
            return PolicyDecision.Deny("no agreement between the requester and the owner agency is known here");
        }

        return agreement.IsInForce(Today(now)) ? PolicyDecision.Allow : PolicyDecision.Deny("the agreement is not in force here: no hit request is taken under it");
    }

    /// <summary>A peer node answering a hit request asked from here: only for the owner agency, which it must host.</summary>
    public static PolicyDecision CanPeerReplyToHitRequest(IReadOnlySet<AgencyId> peerAgencies, AgencyId ownerAgencyId, HitRequest? request)
    {
        ArgumentNullException.ThrowIfNull(peerAgencies);
        return request is not null && peerAgencies.Contains(ownerAgencyId) && request.OwnerAgencyId == ownerAgencyId
            ? PolicyDecision.Allow
            : PolicyDecision.NotVisible;
    }

    /// <summary>
    /// The flood guard: a partner's node may send at most <paramref name="limit"/> hit requests under one agreement
    /// within <paramref name="window"/> (counted on the owner's node, refused ones included, so a flood stays refused).
    /// </summary>
    public static PolicyDecision WithinHitRequestRate(int receivedInWindow, int limit, TimeSpan window) =>
        receivedInWindow < limit
            ? PolicyDecision.Allow
            : PolicyDecision.Deny($"over the rate: {receivedInWindow} hit requests under this agreement from that node in the last {window.TotalMinutes:0} minutes (at most {limit}); ask again later");
}
