namespace Jisr.Domain.Sharing;

public enum ReleaseStatus
{
    /// <summary>Requested; the record's marking needs a second person's approval before anything leaves.</summary>
    AwaitingApproval,

    /// <summary>Released: the recipient agency holds a release copy.</summary>
    Released,

    /// <summary>Refused by the approver: nothing left.</summary>
    Refused,

    /// <summary>Released, then recalled by the releasing agency: the recipient's copy is gone.</summary>
    Recalled,
}

public enum ReleaseAction
{
    Approve,
    Refuse,

    /// <summary>Closes a request made for an older version of the record, when the release is asked for again.</summary>
    Supersede,

    /// <summary>Records the copy made for the recipient.</summary>
    Deliver,

    /// <summary>The releasing agency takes the release back: the recipient's copy is removed.</summary>
    Recall,
}

/// <summary>
/// The release of one record by the agency that holds it to a partner agency, under a sharing agreement between
/// the two. Sensitive markings (the policy's four-eyes threshold) wait for a legal reviewer of the releasing agency
/// who is not the requester (four-eyes); the others are released at once. A released record reaches the partner as a
/// release copy (<see cref="Record.CreateReleaseCopy"/>) that keeps its provenance.
/// </summary>
public sealed class Release
{
    public const int MaxNoteLength = 1000;

    public static readonly WireNames<ReleaseStatus> StatusNames = new(
        (ReleaseStatus.AwaitingApproval, "awaiting-approval"),
        (ReleaseStatus.Released, "released"),
        (ReleaseStatus.Refused, "refused"),
        (ReleaseStatus.Recalled, "recalled"));

    public static readonly WireNames<ReleaseAction> ActionNames = new(
        (ReleaseAction.Approve, "approve"), (ReleaseAction.Refuse, "refuse"), (ReleaseAction.Supersede, "supersede"), (ReleaseAction.Deliver, "deliver"), (ReleaseAction.Recall, "recall"));

    /// <summary>
    /// Its life: a request awaiting approval is approved, refused or superseded (refused), once; a released one delivers
    /// its copy (once: <see cref="CopyRecordId"/>) and may be recalled; refused and recalled are final.
    /// </summary>
    public static readonly TransitionTable<ReleaseStatus, ReleaseAction> Transitions = new("release", StatusNames, ActionNames,
        (ReleaseStatus.AwaitingApproval, ReleaseAction.Approve, ReleaseStatus.Released),
        (ReleaseStatus.AwaitingApproval, ReleaseAction.Refuse, ReleaseStatus.Refused),
        (ReleaseStatus.AwaitingApproval, ReleaseAction.Supersede, ReleaseStatus.Refused),
        (ReleaseStatus.Released, ReleaseAction.Deliver, ReleaseStatus.Released),
        (ReleaseStatus.Released, ReleaseAction.Recall, ReleaseStatus.Recalled));

    private IReadOnlyList<UserId> _recipientUserIds = [];

    private IReadOnlyList<string> _recipientUserNames = [];

    private Release()
    {
    }

    public ReleaseId Id { get; private set; }

    /// <summary>The record released, as the releasing agency holds it (its own record, or a copy it received).</summary>
    public RecordId RecordId { get; private set; }

    public AgencyId ReleasingAgencyId { get; private set; }

    public AgencyId RecipientAgencyId { get; private set; }

    public AgreementId AgreementId { get; private set; }

    public UserId RequestedBy { get; private set; }

    /// <summary>The record's <see cref="Record.Version"/> when the release was requested: the one an approval sends.</summary>
    public int RecordVersion { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    /// <summary>What the requester tells the approver and the partner about this release.</summary>
    public string? Note { get; private set; }

    /// <summary>Whether the marking at request time needed a second person's approval.</summary>
    public bool RequiresApproval { get; private set; }

    public ReleaseStatus Status { get; private set; }

    /// <summary>The approver or refuser (null for releases that needed no approval).</summary>
    public UserId? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? DecisionReason { get; private set; }

    /// <summary>The release copy the recipient holds, once released.</summary>
    public RecordId? CopyRecordId { get; private set; }

    /// <summary>For a TLP:RED record: the users of the recipient agency who may see the copy.</summary>
    public IReadOnlyList<UserId> RecipientUserIds => _recipientUserIds;

    /// <summary>
    /// For a TLP:RED record released to an agency of another node: the user names there who may see the copy. This
    /// node does not know that agency's users, so the names travel and the recipient's node resolves them.
    /// </summary>
    public IReadOnlyList<string> RecipientUserNames => _recipientUserNames;

    public UserId? RecalledBy { get; private set; }

    public DateTimeOffset? RecalledAt { get; private set; }

    public string? RecallReason { get; private set; }

    public static Release Request(
        Record record,
        AgencyId recipientAgencyId,
        SharingAgreement agreement,
        UserId requestedBy,
        IReadOnlyCollection<UserId> recipientUserIds,
        string? note,
        bool needsSecondPerson,
        DateTimeOffset now,
        IReadOnlyCollection<string>? remoteRecipientNames = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(recipientUserIds);
        remoteRecipientNames ??= [];
        Guard.That(recipientUserIds.Count == 0 || remoteRecipientNames.Count == 0, "recipients", ValidationCodes.RecipientsLocalOrRemote, "recipients are users of this node or user names of another node's agency, not both");
        Guard.That(recipientAgencyId != record.HolderAgencyId, "agency", ValidationCodes.AlreadyHolds, "a record cannot be released to the agency that already holds it");
        Guard.That(
            agreement.IsParty(record.HolderAgencyId) && agreement.Counterpart(record.HolderAgencyId) == recipientAgencyId,
            "agreement", ValidationCodes.AgreementParties,
            "is not an agreement between the releasing and the recipient agency");
        Guard.That(
            record.Marking.Tlp == Tlp.Red ? recipientUserIds.Count + remoteRecipientNames.Count > 0 : recipientUserIds.Count + remoteRecipientNames.Count == 0,
            "recipients", record.Marking.Tlp == Tlp.Red ? ValidationCodes.RedNeedsRecipients : ValidationCodes.RecipientsOnlyRed,
            record.Marking.Tlp == Tlp.Red
                ? "a TLP:RED record is released to named people: list the recipient agency's users who may see it"
                : "only TLP:RED releases name recipients; any other record goes to the agency as a whole");
        Guard.That(recipientUserIds.Count + remoteRecipientNames.Count <= 200, "recipients", ValidationCodes.TooMany, "at most 200 recipients", 200);
        var release = new Release
        {
            Id = ReleaseId.New(now),
            RecordId = record.Id,
            ReleasingAgencyId = record.HolderAgencyId,
            RecipientAgencyId = recipientAgencyId,
            AgreementId = agreement.Id,
            RequestedBy = requestedBy,
            RecordVersion = record.Version,
            RequestedAt = Instants.Normalize(now),
            Note = Guard.OptionalText(note, "note", MaxNoteLength),
            RequiresApproval = needsSecondPerson,
            Status = needsSecondPerson ? ReleaseStatus.AwaitingApproval : ReleaseStatus.Released,
        };
        release._recipientUserIds = [.. recipientUserIds.Distinct()];
        release._recipientUserNames = [.. remoteRecipientNames.Distinct(StringComparer.Ordinal)];
        return release;
    }

    /// <summary>
    /// The second person approves <paramref name="record"/> as it is now: the record is released, provided it has not
    /// changed since the request (the approver would send content the request did not show; the requester asks
    /// again). Who may approve is the policy's decision.
    /// </summary>
    public void Approve(Record record, UserId approverId, string? reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var next = Transitions.Next(Status, ReleaseAction.Approve);
        if (record.Id != RecordId || record.Version != RecordVersion)
        {
            throw new DomainStateException("the record has changed since this release was requested: it cannot be approved as it is now; the requester must ask again");
        }

        Decide(next, approverId, Guard.OptionalText(reason, "reason", MaxNoteLength), now);
    }

    public void Refuse(UserId approverId, string? reason, DateTimeOffset now) =>
        Decide(Transitions.Next(Status, ReleaseAction.Refuse), approverId, Guard.Text(reason, "reason", MaxNoteLength), now);

    /// <summary>
    /// A request awaiting approval for a version the record no longer has can never be approved: asking again for
    /// the record as it is now closes it (refused, by the one who asks again).
    /// </summary>
    public void Supersede(Record record, UserId requesterId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var next = Transitions.Next(Status, ReleaseAction.Supersede);
        if (record.Id != RecordId || record.Version == RecordVersion)
        {
            throw new DomainStateException("only a request made for an older version of the record is superseded");
        }

        Decide(next, requesterId, "superseded: the record changed after this request, and the release was asked for again", now);
    }

    /// <summary>Records the copy made for the recipient.</summary>
    public void Delivered(RecordId copyRecordId)
    {
        var next = Transitions.Next(Status, ReleaseAction.Deliver);
        if (CopyRecordId is not null)
        {
            throw new DomainStateException("this release has delivered its copy already: a release delivers one copy");
        }

        Status = next;
        CopyRecordId = copyRecordId;
    }

    /// <summary>The releasing agency takes the release back, with a reason: the recipient's copy is to be removed.</summary>
    public void Recall(UserId by, string? reason, DateTimeOffset now)
    {
        Status = Transitions.Next(Status, ReleaseAction.Recall);
        RecalledBy = by;
        RecalledAt = Instants.Normalize(now);
        RecallReason = Guard.Text(reason, "reason", MaxNoteLength);
    }

    private void Decide(ReleaseStatus outcome, UserId approverId, string? reason, DateTimeOffset now)
    {
        Status = outcome;
        DecidedBy = approverId;
        DecidedAt = Instants.Normalize(now);
        DecisionReason = reason;
    }
}
