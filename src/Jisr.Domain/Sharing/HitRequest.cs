using Jisr.Domain.Markings;

namespace Jisr.Domain.Sharing;

public enum HitRequestStatus
{
    /// <summary>Sent after a hit; the owner's liaison officer has not answered yet.</summary>
    Open,

    /// <summary>The owner answered with a release that waits for its second person (four-eyes).</summary>
    ReleasePending,

    /// <summary>The owner released a record to the requester under the agreement.</summary>
    Released,

    /// <summary>The owner refused (with a reason), or the request came over the partner's rate limit.</summary>
    Refused,
}

public enum HitRequestAction
{
    AwaitRelease,
    Release,
    Refuse,
}

public enum HitRequestUrgency
{
    Routine,
    Urgent,
    Immediate,
}

/// <summary>
/// A formal request that follows a hit: the requester agency asks the owner agency (hosted by another node) for what
/// it holds on the query, with a purpose, a legal basis, a handling code and an urgency. Both nodes keep a copy with the
/// same id; the owner's liaison officer answers with a release under the agreement (through the release path, four-eyes
/// included) or a refusal with a reason, and the answer travels back. The urgency sets the deadline; reminders fall
/// at half-time, at the deadline and every half-span after it while unanswered.
/// </summary>
public sealed class HitRequest
{
    public const int MaxTextLength = 1000;

    public static readonly WireNames<HitRequestStatus> StatusNames = new(
        (HitRequestStatus.Open, "open"),
        (HitRequestStatus.ReleasePending, "release-pending"),
        (HitRequestStatus.Released, "released"),
        (HitRequestStatus.Refused, "refused"));

    public static readonly WireNames<HitRequestAction> ActionNames = new(
        (HitRequestAction.AwaitRelease, "await-release"), (HitRequestAction.Release, "release"), (HitRequestAction.Refuse, "refuse"));

    public static readonly WireNames<HitRequestUrgency> UrgencyNames = new(
        (HitRequestUrgency.Routine, "routine"), (HitRequestUrgency.Urgent, "urgent"), (HitRequestUrgency.Immediate, "immediate"));

    /// <summary>
    /// Its life: an open request is answered once, by a release (at once, or after the four-eyes approval) or a refusal;
    /// a release refused by the second person refuses the request. Released and refused are final.
    /// </summary>
    public static readonly TransitionTable<HitRequestStatus, HitRequestAction> Transitions = new("hit request", StatusNames, ActionNames,
        (HitRequestStatus.Open, HitRequestAction.AwaitRelease, HitRequestStatus.ReleasePending),
        (HitRequestStatus.Open, HitRequestAction.Release, HitRequestStatus.Released),
        (HitRequestStatus.Open, HitRequestAction.Refuse, HitRequestStatus.Refused),
        (HitRequestStatus.ReleasePending, HitRequestAction.Release, HitRequestStatus.Released),
        (HitRequestStatus.ReleasePending, HitRequestAction.Refuse, HitRequestStatus.Refused));

    private HitRequest()
    {
    }

    public Guid Id { get; private set; }

    public AgreementId AgreementId { get; private set; }

    public AgencyId RequesterAgencyId { get; private set; }

    /// <summary>The agency whose filter produced the hit: it decides.</summary>
    public AgencyId OwnerAgencyId { get; private set; }

    public UserId RequestedBy { get; private set; }

    /// <summary>Who asked, by name (the owner sees it: it is told who asked and why).</summary>
    public string RequestedByName { get; private set; } = "";

    /// <summary><c>name</c> or <c>identifier</c>.</summary>
    public string QueryKind { get; private set; } = "";

    /// <summary>The query as the requester checked it: the owner needs it to find what it holds.</summary>
    public string Query { get; private set; } = "";

    /// <summary>The parts of the query that produced the hit (name-part pairs), joined with "; ".</summary>
    public string HitParts { get; private set; } = "";

    public string Purpose { get; private set; } = "";

    public string LegalBasis { get; private set; } = "";

    public HandlingCode Handling { get; private set; }

    public HitRequestUrgency Urgency { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    /// <summary>By when the owner should answer (set by the urgency).</summary>
    public DateTimeOffset Deadline { get; private set; }

    public HitRequestStatus Status { get; private set; }

    /// <summary>Refused on arrival because the requester's node sent more requests under the agreement than the owner's node takes.</summary>
    public bool RateLimited { get; private set; }

    public UserId? DecidedBy { get; private set; }

    public string? DecidedByName { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>The refusal's reason, or the liaison officer's note with a release.</summary>
    public string? Reason { get; private set; }

    /// <summary>The release that answers it (on the owner's node: its release; on the requester's: the same id).</summary>
    public ReleaseId? ReleaseId { get; private set; }

    /// <summary>The copy the release made on the requester's node.</summary>
    public RecordId? CopyRecordId { get; private set; }

    /// <summary>On the owner's node: when the request arrived (the rate is counted by this node's clock, not the sender's).</summary>
    public DateTimeOffset? ReceivedAt { get; private set; }

    /// <summary>On the owner's node: whether the answer has been sent back (a refusal for rate is sent after the message that carried the request).</summary>
    public bool AnswerSent { get; private set; }

    public int Reminders { get; private set; }

    public DateTimeOffset? LastRemindedAt { get; private set; }

    /// <summary>How long the owner has to answer: a day when immediate, three when urgent, fourteen when routine.</summary>
    public static TimeSpan TimeToAnswer(HitRequestUrgency urgency) => urgency switch
    {
        HitRequestUrgency.Immediate => TimeSpan.FromDays(1),
        HitRequestUrgency.Urgent => TimeSpan.FromDays(3),
        _ => TimeSpan.FromDays(14),
    };

    public static HitRequest Open(
        AgreementId agreementId, AgencyId requesterAgencyId, AgencyId ownerAgencyId, UserId requestedBy, string requestedByName, string queryKind, string query,
        IReadOnlyList<string> hitParts, string? purpose, string? legalBasis, HandlingCode handling, HitRequestUrgency urgency, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hitParts);
        Guard.That(requesterAgencyId != ownerAgencyId, "agency", ValidationCodes.OwnAgency, "is your own agency: a hit request goes to a partner");
        var at = Instants.Normalize(now);
        return new HitRequest
        {
            Id = Guid.CreateVersion7(now),
            AgreementId = agreementId,
            RequesterAgencyId = requesterAgencyId,
            OwnerAgencyId = ownerAgencyId,
            RequestedBy = requestedBy,
            RequestedByName = Guard.Text(requestedByName, "requestedBy", 200),
            QueryKind = Guard.Text(queryKind, "kind", 20),
            Query = Guard.Text(query, "query", 500),
            HitParts = string.Join("; ", hitParts),
            Purpose = Guard.Text(purpose, "purpose", 500),
            LegalBasis = Guard.Text(legalBasis, "legalBasis", 500),
            Handling = handling,
            Urgency = urgency,
            RequestedAt = at,
            Deadline = at + TimeToAnswer(urgency),
            Status = HitRequestStatus.Open,
        };
    }

    /// <summary>The owner's copy of a request opened on the requester's node (same id, same terms, its own deadline from them).</summary>
    public static HitRequest Received(
        Guid id, AgreementId agreementId, AgencyId requesterAgencyId, AgencyId ownerAgencyId, UserId requestedBy, string requestedByName, string queryKind, string query,
        IReadOnlyList<string> hitParts, string purpose, string legalBasis, HandlingCode handling, HitRequestUrgency urgency, DateTimeOffset requestedAt, DateTimeOffset now)
    {
        var request = Open(agreementId, requesterAgencyId, ownerAgencyId, requestedBy, requestedByName, queryKind, query, hitParts, purpose, legalBasis, handling, urgency, requestedAt);
        Guard.That(id != Guid.Empty, "id", ValidationCodes.Required, "is empty");
        request.Id = id;
        request.ReceivedAt = Instants.Normalize(now);
        return request;
    }

    public bool IsAnswered => Status is HitRequestStatus.Released or HitRequestStatus.Refused;

    public bool IsOverdue(DateTimeOffset now) => !IsAnswered && now > Deadline;

    /// <summary>When the next reminder falls while it is unanswered: half-time, the deadline, then every half-span.</summary>
    public DateTimeOffset NextReminderAt => RequestedAt + ((Deadline - RequestedAt) / 2 * (Reminders + 1));

    public bool ReminderDue(DateTimeOffset now) => Status == HitRequestStatus.Open && now >= NextReminderAt;

    public void Remind(DateTimeOffset now)
    {
        if (!ReminderDue(now))
        {
            throw new DomainStateException("no reminder is due for this hit request");
        }

        Reminders++;
        LastRemindedAt = Instants.Normalize(now);
    }

    /// <summary>The liaison officer answered with a release that waits for its second person.</summary>
    public void AwaitRelease(ReleaseId releaseId, UserId by, string byName, string? note, DateTimeOffset now)
    {
        Decide(Transitions.Next(Status, HitRequestAction.AwaitRelease), by, byName, Guard.OptionalText(note, "reason", MaxTextLength), now);
        ReleaseId = releaseId;
    }

    /// <summary>Released: <paramref name="copyRecordId"/> is the copy on the requester's node (known to the owner once sent).</summary>
    public void Release(ReleaseId releaseId, RecordId? copyRecordId, UserId by, string byName, string? note, DateTimeOffset now)
    {
        Decide(Transitions.Next(Status, HitRequestAction.Release), by, byName, Guard.OptionalText(note, "reason", MaxTextLength) ?? Reason, now);
        ReleaseId = releaseId;
        CopyRecordId = copyRecordId;
    }

    public void Refuse(UserId? by, string byName, string? reason, DateTimeOffset now) =>
        Decide(Transitions.Next(Status, HitRequestAction.Refuse), by, byName, Guard.Text(reason, "reason", MaxTextLength), now);

    /// <summary>Refused on arrival by the owner's node: the requester's node is over its rate under this agreement.</summary>
    public void RefuseOverRate(string reason, DateTimeOffset now)
    {
        Refuse(null, "node:rate-limit", reason, now);
        RateLimited = true;
    }

    /// <summary>The owner's node staged the answer for the requester's node.</summary>
    public void MarkAnswerSent() => AnswerSent = true;

    private void Decide(HitRequestStatus outcome, UserId? by, string byName, string? reason, DateTimeOffset now)
    {
        Status = outcome;
        DecidedBy = by;
        DecidedByName = byName;
        DecidedAt = Instants.Normalize(now);
        Reason = reason;
    }
}
