namespace Jisr.Domain.Records;

public enum DeclassificationStatus
{
    /// <summary>Held: the record is unchanged until a legal reviewer approves.</summary>
    Pending,

    /// <summary>Approved: the proposed change was applied to the record.</summary>
    Approved,

    /// <summary>Refused: the record stays as it was.</summary>
    Refused,
}

public enum DeclassificationAction
{
    Approve,
    Refuse,
}

/// <summary>
/// A change to a record that lowers its marking (or widens a TLP:RED record's recipients), held until a legal reviewer
/// of the record's agency who is not the requester approves it (the policy decides who). It holds the proposed change
/// as the requester sent it (<see cref="ProposedChange"/>, opaque here) and binds to the record's version at request
/// time: once the record changes, it can no longer be approved, only refused.
/// </summary>
public sealed class Declassification
{
    public const int MaxProposedChangeLength = 400_000;
    public const int MaxReasonLength = 1000;

    public static readonly WireNames<DeclassificationStatus> Statuses = new(
        (DeclassificationStatus.Pending, "pending"), (DeclassificationStatus.Approved, "approved"), (DeclassificationStatus.Refused, "refused"));

    /// <summary>Its life in one table: a pending request is approved or refused, once; the others are final (any other action: 409).</summary>
    public static readonly IReadOnlyDictionary<DeclassificationStatus, DeclassificationAction[]> AllowedActions = new Dictionary<DeclassificationStatus, DeclassificationAction[]>
    {
        [DeclassificationStatus.Pending] = [DeclassificationAction.Approve, DeclassificationAction.Refuse],
        [DeclassificationStatus.Approved] = [],
        [DeclassificationStatus.Refused] = [],
    }.AsReadOnly();

    private Declassification()
    {
        ProposedChange = string.Empty;
        CurrentMarking = null!;
        ProposedMarking = null!;
    }

    public DeclassificationId Id { get; private set; }

    public RecordId RecordId { get; private set; }

    /// <summary>The agency that holds (and originated) the record: its legal reviewers decide.</summary>
    public AgencyId AgencyId { get; private set; }

    public UserId RequestedBy { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    /// <summary>The record's <see cref="Record.Version"/> the change was proposed against.</summary>
    public int RecordVersion { get; private set; }

    /// <summary>The record's marking when the change was proposed.</summary>
    public Marking CurrentMarking { get; private set; }

    public Marking ProposedMarking { get; private set; }

    /// <summary>Whether the change names TLP:RED recipients the record did not have.</summary>
    public bool WidensRecipients { get; private set; }

    /// <summary>The change as the requester sent it (the record's full new state), applied as it is on approval.</summary>
    public string ProposedChange { get; private set; }

    public DeclassificationStatus Status { get; private set; }

    public UserId? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? DecisionReason { get; private set; }

    public static Declassification Request(Record record, UserId requestedBy, Marking proposedMarking, bool widensRecipients, string proposedChange, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(proposedMarking);
        Guard.That(!string.IsNullOrEmpty(proposedChange) && proposedChange.Length <= MaxProposedChangeLength, "record", ValidationCodes.ChangeTooLarge, "the proposed change is empty or too large");
        return new Declassification
        {
            Id = DeclassificationId.New(now),
            RecordId = record.Id,
            AgencyId = record.HolderAgencyId,
            RequestedBy = requestedBy,
            RequestedAt = Instants.Normalize(now),
            RecordVersion = record.Version,
            CurrentMarking = record.Marking,
            ProposedMarking = proposedMarking,
            WidensRecipients = widensRecipients,
            ProposedChange = proposedChange,
            Status = DeclassificationStatus.Pending,
        };
    }

    /// <summary>
    /// Approves the change for <paramref name="record"/> as it is now; the caller then applies <see cref="ProposedChange"/>.
    /// A record changed since the request is refused (409): the approver would pass a change over content the request did not show.
    /// </summary>
    public void Approve(Record record, UserId approverId, string? reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        Allow(DeclassificationAction.Approve);
        if (record.Id != RecordId || record.Version != RecordVersion)
        {
            throw new DomainStateException("the record has changed since this declassification was requested: it cannot be approved; the requester must ask again");
        }

        Decide(DeclassificationStatus.Approved, approverId, Guard.OptionalText(reason, "reason", MaxReasonLength), now);
    }

    public void Refuse(UserId approverId, string? reason, DateTimeOffset now)
    {
        Allow(DeclassificationAction.Refuse);
        Decide(DeclassificationStatus.Refused, approverId, Guard.Text(reason, "reason", MaxReasonLength), now);
    }

    private void Allow(DeclassificationAction action)
    {
        if (!AllowedActions[Status].Contains(action))
        {
            throw new DomainStateException($"this declassification is {Statuses[Status]}: it cannot be decided again");
        }
    }

    private void Decide(DeclassificationStatus outcome, UserId approverId, string? reason, DateTimeOffset now)
    {
        Status = outcome;
        DecidedBy = approverId;
        DecidedAt = Instants.Normalize(now);
        DecisionReason = reason;
    }
}
