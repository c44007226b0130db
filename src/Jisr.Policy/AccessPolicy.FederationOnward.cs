namespace Jisr.Policy;

/// <summary>The third-party rule where an onward release lands: on the third node too, not only on the releasing one.</summary>
public static partial class AccessPolicy
{
    /// <summary>
    /// A peer node delivering a copy of a record that one of its agencies did not originate. When the originator is
    /// hosted by the sending node (which speaks for its own agencies, and decided their consent locally) or by this
    /// node (the record comes home), nothing more is needed. Otherwise the originator's own node must have signed its
    /// consent to exactly this onward release: <paramref name="whyNotConsented"/> is null when that signed grant was
    /// checked (by <c>OnwardConsent</c>), else why it is missing or does not hold.
    /// </summary>
    public static PolicyDecision CanPeerDeliverOnward(
        IReadOnlySet<AgencyId> peerAgencies, AgencyId originatorAgencyId, AgencyId releasingAgencyId, bool originatorIsOwnAgency, string? whyNotConsented)
    {
        ArgumentNullException.ThrowIfNull(peerAgencies);
        if (originatorAgencyId == releasingAgencyId || originatorIsOwnAgency || peerAgencies.Contains(originatorAgencyId))
        {
            return PolicyDecision.Allow;
        }

        return whyNotConsented is null ? PolicyDecision.Allow : PolicyDecision.Deny(whyNotConsented);
    }
}
