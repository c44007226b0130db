namespace Jisr.Domain.Sharing;

public enum ConsentStatus
{
    Pending,
    Granted,
    Refused,
}

public enum ConsentAction
{
    Grant,
    Refuse,
}

/// <summary>
/// Third-party rule: an agency that received a record asks its originator for consent to pass it on to a third
/// agency. Only the originator grants or refuses; a granted consent allows releasing that copy to that agency.
/// </summary>
public sealed class ConsentRequest
{
    public const int MaxTextLength = 1000;

    public static readonly WireNames<ConsentStatus> StatusNames = new(
        (ConsentStatus.Pending, "pending"),
        (ConsentStatus.Granted, "granted"),
        (ConsentStatus.Refused, "refused"));

    public static readonly WireNames<ConsentAction> ActionNames = new((ConsentAction.Grant, "grant"), (ConsentAction.Refuse, "refuse"));

    /// <summary>Its life: the originator grants or refuses a pending request, once; both answers are final.</summary>
    public static readonly TransitionTable<ConsentStatus, ConsentAction> Transitions = new("consent request", StatusNames, ActionNames,
        (ConsentStatus.Pending, ConsentAction.Grant, ConsentStatus.Granted),
        (ConsentStatus.Pending, ConsentAction.Refuse, ConsentStatus.Refused));

    private ConsentRequest()
    {
    }

    public ConsentId Id { get; private set; }

    /// <summary>The release copy the requesting agency holds and wants to pass on.</summary>
    public RecordId RecordId { get; private set; }

    /// <summary>The originator's own record the copy came from.</summary>
    public RecordId OriginalRecordId { get; private set; }

    public AgencyId OriginatorAgencyId { get; private set; }

    public AgencyId RequesterAgencyId { get; private set; }

    /// <summary>The third agency the requester wants to pass the record on to.</summary>
    public AgencyId TargetAgencyId { get; private set; }

    public UserId RequestedBy { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public string? Note { get; private set; }

    public ConsentStatus Status { get; private set; }

    public UserId? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? DecisionReason { get; private set; }

    public static ConsentRequest Request(Record copy, AgencyId targetAgencyId, UserId requestedBy, string? note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(copy);
        if (copy.Provenance is not { } provenance)
        {
            throw new DomainStateException("your agency is this record's originator: it needs no one's consent to release it");
        }

        Guard.That(targetAgencyId != copy.OriginatorAgencyId, "agency", ValidationCodes.OriginatorHolds, "is the record's originator, which already holds it");
        Guard.That(targetAgencyId != copy.HolderAgencyId, "agency", ValidationCodes.OwnAgency, "is your own agency");
        return new ConsentRequest
        {
            Id = ConsentId.New(now),
            RecordId = copy.Id,
            OriginalRecordId = provenance.OriginalRecordId,
            OriginatorAgencyId = copy.OriginatorAgencyId,
            RequesterAgencyId = copy.HolderAgencyId,
            TargetAgencyId = targetAgencyId,
            RequestedBy = requestedBy,
            RequestedAt = Instants.Normalize(now),
            Note = Guard.OptionalText(note, "note", MaxTextLength),
            Status = ConsentStatus.Pending,
        };
    }

    /// <summary>
    /// The originator's copy of a consent request made on the requester's node (same id): the originator's reviewers
    /// decide it here, and the decision travels back.
    /// </summary>
    public static ConsentRequest Received(
        ConsentId id, RecordId recordId, RecordId originalRecordId, AgencyId originatorAgencyId, AgencyId requesterAgencyId, AgencyId targetAgencyId, UserId requestedBy, DateTimeOffset requestedAt, string? note)
    {
        Guard.That(targetAgencyId != originatorAgencyId && targetAgencyId != requesterAgencyId && requesterAgencyId != originatorAgencyId, "agency", ValidationCodes.ThreeAgencies, "the originator, the requester and the third agency must be three agencies");
        return new ConsentRequest
        {
            Id = id,
            RecordId = recordId,
            OriginalRecordId = originalRecordId,
            OriginatorAgencyId = originatorAgencyId,
            RequesterAgencyId = requesterAgencyId,
            TargetAgencyId = targetAgencyId,
            RequestedBy = requestedBy,
            RequestedAt = Instants.Normalize(requestedAt),
            Note = Guard.OptionalText(note, "note", MaxTextLength),
            Status = ConsentStatus.Pending,
        };
    }

    public void Grant(UserId userId, string? reason, DateTimeOffset now) =>
        Decide(Transitions.Next(Status, ConsentAction.Grant), userId, Guard.OptionalText(reason, "reason", MaxTextLength), now);

    public void Refuse(UserId userId, string? reason, DateTimeOffset now) =>
        Decide(Transitions.Next(Status, ConsentAction.Refuse), userId, Guard.Text(reason, "reason", MaxTextLength), now);

    private void Decide(ConsentStatus outcome, UserId userId, string? reason, DateTimeOffset now)
    {
        Status = outcome;
        DecidedBy = userId;
        DecidedAt = Instants.Normalize(now);
        DecisionReason = reason;
    }
}
