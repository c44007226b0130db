using Jisr.Domain.Sharing;

namespace Jisr.Policy;

/// <summary>Hit/no-hit: what an agency's filters may describe, who checks a name or identifier against partners' filters, and what a peer's filter may be.</summary>
public static partial class AccessPolicy
{
    /// <summary>
    /// Whether <paramref name="record"/> may be described in the filter <paramref name="holderAgencyId"/> publishes
    /// to its partner under <paramref name="agreement"/>: its own record (a copy received from another agency stays
    /// out: the third-party rule), not TLP:RED (named recipients only), and within what the agreement could release:
    /// its threat domains, highest classification and handling codes, the agreement in force.
    /// </summary>
    public static bool CanContributeToMatchFilter(Domain.Records.Record record, AgencyId holderAgencyId, SharingAgreement agreement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(agreement);
        return record.HolderAgencyId == holderAgencyId
            && record.OriginatorAgencyId == holderAgencyId
            && record.Provenance is null
            && record.Marking.Tlp != Tlp.Red
            && agreement.IsParty(holderAgencyId)
            && agreement.IsInForce(Today(now))
            && agreement.WhyNotCovering(record.Marking, [.. record.ThreatDomains]) is null;
    }

    /// <summary>Checking a name or identifier against partners' filters: analysts, field and liaison officers (with a declared purpose, audited).</summary>
    public static PolicyDecision CanCheckHits(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Has(Role.Analyst) || principal.Has(Role.FieldOfficer) || principal.Has(Role.LiaisonOfficer)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only analysts, field officers and liaison officers check names and identifiers against partners' filters");
    }

    /// <summary>Publishing this node's filters now (rather than at the next rebuild): node administrators.</summary>
    public static PolicyDecision CanPublishHitFilters(Principal principal) => CanAdministerFederation(principal);

    /// <summary>
    /// A peer node publishing a filter here: the owner agency is one it hosts, the recipient one of this node, and the
    /// agreement between them in force by this node's clock (a suspended or ended agreement takes no filter).
    /// </summary>
    public static PolicyDecision CanPeerPublishHitFilter(IReadOnlySet<AgencyId> peerAgencies, AgencyId ownerAgencyId, AgencyId recipientAgencyId, bool recipientIsOwnAgency, SharingAgreement? agreement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(peerAgencies);
        if (!peerAgencies.Contains(ownerAgencyId) || !recipientIsOwnAgency)
        {
            return PolicyDecision.Deny("the filter's owner agency is not hosted by the sending node, or its recipient not by this one");
        }

        if (agreement is null || !agreement.IsParty(ownerAgencyId) || !agreement.IsParty(recipientAgencyId))
        {
            return PolicyDecision.Deny("no agreement between the owner and the recipient agency is known here");
        }

        return agreement.IsInForce(Today(now)) ? PolicyDecision.Allow : PolicyDecision.Deny("the agreement is not in force here: no filter is taken under it");
    }
}
