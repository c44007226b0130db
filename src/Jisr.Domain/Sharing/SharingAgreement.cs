using System.Linq.Expressions;

namespace Jisr.Domain.Sharing;

public enum AgreementStatus
{
    /// <summary>Proposed by one agency's administrator; not in force until the partner accepts.</summary>
    Proposed,

    /// <summary>Accepted by both: in force between its validity dates.</summary>
    InForce,

    /// <summary>Suspended by either party: nothing is shared under it until it is resumed.</summary>
    Suspended,

    /// <summary>Ended (or a proposal withdrawn): final.</summary>
    Ended,
}

public enum AgreementAction
{
    Accept,
    Suspend,
    Resume,
    End,
}

/// <summary>
/// A sharing agreement between two agencies: the threat domains it covers, the highest classification and the
/// handling codes it allows, its validity period. Proposed by one agency, in force only once the other accepts;
/// either party can suspend, resume or end it, with immediate effect.
/// </summary>
public sealed class SharingAgreement
{
    public static readonly WireNames<AgreementStatus> StatusNames = new(
        (AgreementStatus.Proposed, "proposed"),
        (AgreementStatus.InForce, "in-force"),
        (AgreementStatus.Suspended, "suspended"),
        (AgreementStatus.Ended, "ended"));

    public static readonly WireNames<AgreementAction> ActionNames = new(
        (AgreementAction.Accept, "accept"), (AgreementAction.Suspend, "suspend"), (AgreementAction.Resume, "resume"), (AgreementAction.End, "end"));

    /// <summary>
    /// Its life: the partner accepts a proposal; either party suspends it in force, resumes it suspended, or ends it
    /// (a proposal ends withdrawn); ended is final. Past <see cref="ValidUntil"/> only ending is left (<see cref="Expiry"/>).
    /// </summary>
    public static readonly TransitionTable<AgreementStatus, AgreementAction> Transitions = new("agreement", StatusNames, ActionNames,
        (AgreementStatus.Proposed, AgreementAction.Accept, AgreementStatus.InForce),
        (AgreementStatus.Proposed, AgreementAction.End, AgreementStatus.Ended),
        (AgreementStatus.InForce, AgreementAction.Suspend, AgreementStatus.Suspended),
        (AgreementStatus.InForce, AgreementAction.End, AgreementStatus.Ended),
        (AgreementStatus.Suspended, AgreementAction.Resume, AgreementStatus.InForce),
        (AgreementStatus.Suspended, AgreementAction.End, AgreementStatus.Ended));

    /// <summary>
    /// The actions still open once the validity period is over: accepting, suspending or resuming an agreement that can
    /// no longer be in force would change nothing but its status line, so only ending it is left.
    /// </summary>
    public static readonly IReadOnlySet<AgreementAction> Expiry = new HashSet<AgreementAction> { AgreementAction.End };

    /// <summary>
    /// When an agreement allows sharing, written once: queries splice it in (the record read rule, the partners of a
    /// notice), <see cref="IsInForce"/> runs it compiled.
    /// </summary>
    public static readonly Expression<Func<SharingAgreement, DateOnly, bool>> InForceRule =
        (agreement, today) => agreement.Status == AgreementStatus.InForce && agreement.ValidFrom <= today && today <= agreement.ValidUntil;

    private static readonly Func<SharingAgreement, DateOnly, bool> InForceCheck = InForceRule.Compile();

    private IReadOnlyList<ThreatDomain> _threatDomains = [];
    private IReadOnlyList<HandlingCode> _handlingCodes = [];

    private SharingAgreement()
    {
    }

    public AgreementId Id { get; private set; }

    public AgencyId ProposerAgencyId { get; private set; }

    public AgencyId PartnerAgencyId { get; private set; }

    public IReadOnlyList<ThreatDomain> ThreatDomains => _threatDomains;

    public Classification HighestClassification { get; private set; }

    public IReadOnlyList<HandlingCode> HandlingCodes => _handlingCodes;

    public DateOnly ValidFrom { get; private set; }

    public DateOnly ValidUntil { get; private set; }

    public AgreementStatus Status { get; private set; }

    public UserId ProposedBy { get; private set; }

    public DateTimeOffset ProposedAt { get; private set; }

    public UserId? AcceptedBy { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    public DateTimeOffset? StatusChangedAt { get; private set; }

    /// <summary>Why it was last suspended, resumed or ended.</summary>
    public string? StatusReason { get; private set; }

    /// <summary>The agency that suspended it, while it is suspended: the one that may resume it (null before this was kept).</summary>
    public AgencyId? SuspendedBy { get; private set; }

    public static SharingAgreement Propose(SharingTerms terms, UserId proposedBy, DateTimeOffset now)
    {
        var agreement = Received(AgreementId.New(now), terms, proposedBy, now);
        Guard.That(terms.ValidFrom >= DateOnly.FromDateTime(now.UtcDateTime), "validFrom", ValidationCodes.BackDated, "cannot be in the past: an agreement cannot be back-dated");
        return agreement;
    }

    /// <summary>
    /// The copy of an agreement proposed on a peer node, with the id and terms it has there; also the checks a local
    /// proposal shares (a received one may arrive after its first valid day, so only <see cref="Propose"/> checks the date).
    /// </summary>
    public static SharingAgreement Received(AgreementId id, SharingTerms terms, UserId proposedBy, DateTimeOffset proposedAt)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(terms.ThreatDomains);
        ArgumentNullException.ThrowIfNull(terms.HandlingCodes);
        Guard.That(terms.PartnerAgencyId != terms.ProposerAgencyId, "partner", ValidationCodes.AgreementSameAgency, "an agreement needs two different agencies: an agency cannot make one with itself");
        Guard.That(terms.ThreatDomains.Count > 0 && terms.ThreatDomains.All(Enum.IsDefined), "threatDomains", ValidationCodes.ThreatDomainRequired, "at least one known threat domain is required");
        Guard.That(terms.HandlingCodes.Count > 0 && terms.HandlingCodes.All(Enum.IsDefined), "handlingCodes", ValidationCodes.HandlingCodeRequired, "at least one known handling code is required");
        Guard.That(Enum.IsDefined(terms.HighestClassification), "highestClassification", ValidationCodes.UnknownValue, "is not a known classification");
        Guard.That(terms.ValidUntil > terms.ValidFrom, "validUntil", ValidationCodes.EndBeforeStart, "must be after validFrom");
        var agreement = new SharingAgreement
        {
            Id = id,
            ProposerAgencyId = terms.ProposerAgencyId,
            PartnerAgencyId = terms.PartnerAgencyId,
            HighestClassification = terms.HighestClassification,
            ValidFrom = terms.ValidFrom,
            ValidUntil = terms.ValidUntil,
            Status = AgreementStatus.Proposed,
            ProposedBy = proposedBy,
            ProposedAt = Instants.Normalize(proposedAt),
        };
        agreement._threatDomains = [.. terms.ThreatDomains.Distinct().Order()];
        agreement._handlingCodes = [.. terms.HandlingCodes.Distinct().Order()];
        return agreement;
    }

    public bool IsParty(AgencyId agencyId) => agencyId == ProposerAgencyId || agencyId == PartnerAgencyId;

    /// <summary>The other party, seen from <paramref name="agencyId"/>.</summary>
    public AgencyId Counterpart(AgencyId agencyId) => agencyId == ProposerAgencyId ? PartnerAgencyId : ProposerAgencyId;

    /// <summary>Whether the agreement allows sharing on <paramref name="today"/>.</summary>
    public bool IsInForce(DateOnly today) => InForceCheck(this, today);

    /// <summary>
    /// Why the agreement does not cover releasing a record with this marking and these threat domains, or null
    /// when it does: every threat domain covered, classification at most the highest allowed, handling code allowed.
    /// </summary>
    public string? WhyNotCovering(Marking marking, IReadOnlyCollection<ThreatDomain> threatDomains)
    {
        ArgumentNullException.ThrowIfNull(marking);
        ArgumentNullException.ThrowIfNull(threatDomains);
        if (marking.Classification > HighestClassification)
        {
            return $"the agreement allows at most {Marking.ClassificationNames[HighestClassification]}; the record is {Marking.ClassificationNames[marking.Classification]}";
        }

        if (!_handlingCodes.Contains(marking.Handling))
        {
            return $"the agreement does not allow handling code {Marking.HandlingNames[marking.Handling]}";
        }

        var uncovered = threatDomains.Where(d => !_threatDomains.Contains(d)).ToList();
        return uncovered.Count > 0
            ? $"the agreement does not cover the threat domain(s) {string.Join(", ", uncovered.Select(d => RecordVocabulary.ThreatDomains[d]))}"
            : null;
    }

    /// <summary>The partner accepts: from now on the agreement is in force (within its validity period).</summary>
    public void Accept(UserId userId, DateTimeOffset now)
    {
        Status = Next(AgreementAction.Accept, now);
        AcceptedBy = userId;
        AcceptedAt = Instants.Normalize(now);
        StatusChangedAt = AcceptedAt;
    }

    /// <summary>Suspends the agreement on behalf of <paramref name="by"/>, the party that alone may resume it.</summary>
    public void Suspend(AgencyId by, string? reason, DateTimeOffset now)
    {
        Change(Next(AgreementAction.Suspend, now), reason, now);
        SuspendedBy = by;
    }

    public void Resume(string? reason, DateTimeOffset now)
    {
        Change(Next(AgreementAction.Resume, now), reason, now);
        SuspendedBy = null;
    }

    /// <summary>Ends the agreement for good (or withdraws a proposal).</summary>
    public void End(string? reason, DateTimeOffset now) => Change(Next(AgreementAction.End, now), reason, now);

    /// <summary>Whether the validity period is over on <paramref name="today"/>.</summary>
    public bool HasExpired(DateOnly today) => today > ValidUntil;

    /// <summary>The status <paramref name="action"/> leads to, by the table and the expiry rule, or a state error (409).</summary>
    private AgreementStatus Next(AgreementAction action, DateTimeOffset now)
    {
        var next = Transitions.Next(Status, action);
        return HasExpired(DateOnly.FromDateTime(now.UtcDateTime)) && !Expiry.Contains(action)
            ? throw new DomainStateException($"this agreement expired on {ValidUntil:yyyy-MM-dd}: it cannot be {Transitions.Done(action)} (once expired: end)")
            : next;
    }

    private void Change(AgreementStatus status, string? reason, DateTimeOffset now)
    {
        StatusReason = Guard.Text(reason, "reason", 1000);
        Status = status;
        StatusChangedAt = Instants.Normalize(now);
    }
}
