namespace Jisr.Domain.Sharing;

/// <summary>
/// What two agencies agree to share: the parties, the threat domains, the highest classification, the handling codes
/// and the period. A local proposal and a peer node's copy of one are made from the same terms.
/// </summary>
public sealed record SharingTerms(
    AgencyId ProposerAgencyId,
    AgencyId PartnerAgencyId,
    IReadOnlyCollection<ThreatDomain> ThreatDomains,
    Classification HighestClassification,
    IReadOnlyCollection<HandlingCode> HandlingCodes,
    DateOnly ValidFrom,
    DateOnly ValidUntil);
