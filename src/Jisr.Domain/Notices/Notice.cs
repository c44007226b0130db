namespace Jisr.Domain.Notices;

/// <summary>Notice colours, as in international police cooperation.</summary>
public enum NoticeColor
{
    /// <summary>Wanted for arrest.</summary>
    Red,

    /// <summary>Missing person.</summary>
    Yellow,

    /// <summary>Information on a person.</summary>
    Blue,

    /// <summary>Unidentified body.</summary>
    Black,

    /// <summary>Warning about a person's activities.</summary>
    Green,

    /// <summary>Imminent threat.</summary>
    Orange,

    /// <summary>Modus operandi.</summary>
    Purple,
}

public enum NoticeStatus
{
    /// <summary>Flagged by the neutrality screen: held until a legal reviewer clears or refuses it.</summary>
    HeldForReview,

    /// <summary>Issued: its recipients see it.</summary>
    Issued,

    /// <summary>Refused by a legal reviewer: never reaches anyone.</summary>
    Refused,

    /// <summary>Cancelled after issue: recipients still see it, marked cancelled.</summary>
    Cancelled,

    /// <summary>Cancelled by its issuer while held for review: like a refused one, it never reaches anyone.</summary>
    Withdrawn,
}

/// <summary>What can be done to a notice after it is created.</summary>
public enum NoticeAction
{
    Update,
    Clear,
    Refuse,
    Cancel,
}

/// <summary>
/// A typed alert about a person or an event, issued by one agency to selected partner agencies. Before it goes out
/// it passes the neutrality screen; a flagged notice waits for a legal reviewer.
/// </summary>
public sealed class Notice
{
    public const int MaxTextLength = 20_000;

    public static readonly WireNames<NoticeColor> Colors = new(
        (NoticeColor.Red, "red"), (NoticeColor.Yellow, "yellow"), (NoticeColor.Blue, "blue"), (NoticeColor.Black, "black"),
        (NoticeColor.Green, "green"), (NoticeColor.Orange, "orange"), (NoticeColor.Purple, "purple"));

    public static readonly WireNames<NoticeStatus> Statuses = new(
        (NoticeStatus.HeldForReview, "held-for-review"), (NoticeStatus.Issued, "issued"), (NoticeStatus.Refused, "refused"), (NoticeStatus.Cancelled, "cancelled"),
        (NoticeStatus.Withdrawn, "withdrawn"));

    /// <summary>
    /// A notice's life in one table: the actions each status allows (any other is a state error, 409). An update is
    /// screened again, so it leads to issued or held; cancelling an issued notice tells its recipients, cancelling a
    /// held one withdraws it unseen. Refused, cancelled and withdrawn notices are final.
    /// </summary>
    public static readonly IReadOnlyDictionary<NoticeStatus, NoticeAction[]> AllowedActions = new Dictionary<NoticeStatus, NoticeAction[]>
    {
        [NoticeStatus.HeldForReview] = [NoticeAction.Update, NoticeAction.Clear, NoticeAction.Refuse, NoticeAction.Cancel],
        [NoticeStatus.Issued] = [NoticeAction.Update, NoticeAction.Cancel],
        [NoticeStatus.Refused] = [],
        [NoticeStatus.Cancelled] = [],
        [NoticeStatus.Withdrawn] = [],
    }.AsReadOnly();

    private List<NoticeRecipient> _recipients = [];
    private IReadOnlyList<string> _screeningFlags = [];

    private Notice()
    {
        Title = string.Empty;
        Summary = string.Empty;
        Offence = string.Empty;
    }

    public NoticeId Id { get; private set; }

    public AgencyId IssuerAgencyId { get; private set; }

    public UserId AuthorUserId { get; private set; }

    public NoticeColor Color { get; private set; }

    /// <summary>The person or event entity the notice is about (one of the issuer's entities).</summary>
    public EntityId SubjectEntityId { get; private set; }

    public string Title { get; private set; }

    public string Summary { get; private set; }

    public string Offence { get; private set; }

    public ThreatDomain ThreatDomain { get; private set; }

    public NoticeStatus Status { get; private set; }

    /// <summary>What the neutrality screen found (empty when nothing); kept for the reviewer and the audit.</summary>
    public IReadOnlyList<string> ScreeningFlags => _screeningFlags;

    public IReadOnlyList<NoticeRecipient> Recipients => _recipients;

    public string? DecisionReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Notice Create(
        AgencyId issuerAgencyId,
        UserId authorUserId,
        NoticeColor color,
        EntityId subjectEntityId,
        string? title,
        string? summary,
        string? offence,
        ThreatDomain threatDomain,
        IReadOnlyCollection<AgencyId> recipientAgencyIds,
        IReadOnlyList<string> screeningFlags,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(recipientAgencyIds);
        Guard.That(subjectEntityId != default, "subject", ValidationCodes.NoticeSubject, "a notice needs a subject: a person or an event");
        Guard.That(recipientAgencyIds.Count > 0, "recipients", ValidationCodes.RecipientRequired, "a notice needs at least one recipient agency");
        Guard.That(!recipientAgencyIds.Contains(issuerAgencyId), "recipients", ValidationCodes.IssuerNotRecipient, "the issuing agency is not a recipient of its own notice");
        var notice = new Notice
        {
            Id = NoticeId.New(now),
            IssuerAgencyId = issuerAgencyId,
            AuthorUserId = authorUserId,
            Color = Colors.Require(color, "color"),
            SubjectEntityId = subjectEntityId,
            CreatedAt = Instants.Normalize(now),
        };
        notice._recipients = [.. recipientAgencyIds.Distinct().Select(a => new NoticeRecipient(notice.Id, a))];
        notice.Apply(title, summary, offence, threatDomain, screeningFlags, now);
        return notice;
    }

    /// <summary>
    /// The copy of a notice issued by an agency of a peer node to agencies of this node: same id, issuer, colour and
    /// author; its subject is the person or event as received, kept here. Its state follows <see cref="ApplyReceived"/>.
    /// </summary>
    public static Notice Received(
        NoticeId id, AgencyId issuerAgencyId, UserId authorUserId, NoticeColor color, EntityId subjectEntityId, IReadOnlyCollection<AgencyId> recipientAgencyIds, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(recipientAgencyIds);
        Guard.That(recipientAgencyIds.Count > 0, "recipientAgencyIds", ValidationCodes.RecipientRequired, "a received notice names at least one recipient agency of this node");
        Guard.That(!recipientAgencyIds.Contains(issuerAgencyId), "recipientAgencyIds", ValidationCodes.IssuerNotRecipient, "the issuing agency is not a recipient of its own notice");
        var notice = new Notice
        {
            Id = id,
            IssuerAgencyId = issuerAgencyId,
            AuthorUserId = authorUserId,
            Color = Colors.Require(color, "color"),
            SubjectEntityId = subjectEntityId,
            CreatedAt = Instants.Normalize(createdAt),
            UpdatedAt = Instants.Normalize(createdAt),
            Status = NoticeStatus.Issued,
        };
        notice._recipients = [.. recipientAgencyIds.Distinct().Select(a => new NoticeRecipient(notice.Id, a))];
        return notice;
    }

    /// <summary>
    /// The state the issuing node sent: issued with its (screened) text, cancelled with the reason, or withheld
    /// (held, refused or withdrawn on the issuer's node: hidden here, its new text never sent, so the last issued text
    /// stays). A cancelled notice is final here as there; the screening flags stay on the issuer's node.
    /// </summary>
    public void ApplyReceived(NoticeStatus status, string? title, string? summary, string? offence, ThreatDomain threatDomain, string? reason, DateTimeOffset updatedAt)
    {
        if (Status is NoticeStatus.Cancelled or NoticeStatus.Refused or NoticeStatus.Withdrawn)
        {
            throw new DomainStateException($"a {Statuses[Status]} notice cannot change");
        }

        if (status == NoticeStatus.Issued)
        {
            Guard.That(Enum.IsDefined(threatDomain), "threatDomain", ValidationCodes.UnknownValue, "is not a known threat domain");
            Title = Guard.Text(title, "title", Record.MaxTitleLength);
            Summary = Guard.Text(summary, "summary", MaxTextLength);
            Offence = Guard.Text(offence, "offence", 300);
            ThreatDomain = threatDomain;
        }

        Status = status;
        DecisionReason = reason is null ? null : Guard.Text(reason, "reason", 1000);
        UpdatedAt = Instants.Normalize(updatedAt);
    }

    /// <summary>Changes the text; the neutrality screen runs again, so an update can send an issued notice back to review.</summary>
    public void Update(string? title, string? summary, string? offence, ThreatDomain threatDomain, IReadOnlyList<string> screeningFlags, DateTimeOffset now)
    {
        Require(NoticeAction.Update, "updated");
        Apply(title, summary, offence, threatDomain, screeningFlags, now);
    }

    /// <summary>A legal reviewer clears a held notice: it is issued.</summary>
    public void Clear(string? reason, DateTimeOffset now) => Decide(NoticeAction.Clear, NoticeStatus.Issued, reason, now);

    /// <summary>A legal reviewer refuses a held notice: it never goes out.</summary>
    public void Refuse(string? reason, DateTimeOffset now) => Decide(NoticeAction.Refuse, NoticeStatus.Refused, reason, now);

    /// <summary>Cancels an issued notice (its recipients see the cancellation) or withdraws a held one (they never see it).</summary>
    public void Cancel(string? reason, DateTimeOffset now) =>
        Decide(NoticeAction.Cancel, Status == NoticeStatus.HeldForReview ? NoticeStatus.Withdrawn : NoticeStatus.Cancelled, reason, now);

    private void Decide(NoticeAction action, NoticeStatus outcome, string? reason, DateTimeOffset now)
    {
        Require(action, action switch
        {
            NoticeAction.Clear => "cleared (only a notice held for review is)",
            NoticeAction.Refuse => "refused (only a notice held for review is)",
            _ => "cancelled",
        });
        DecisionReason = Guard.Text(reason, "reason", 1000);
        Status = outcome;
        UpdatedAt = Instants.Normalize(now);
    }

    private void Require(NoticeAction action, string done)
    {
        if (!AllowedActions[Status].Contains(action))
        {
            throw new DomainStateException($"a {Statuses[Status]} notice cannot be {done}");
        }
    }

    private void Apply(string? title, string? summary, string? offence, ThreatDomain threatDomain, IReadOnlyList<string> screeningFlags, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(screeningFlags);
        Guard.That(Enum.IsDefined(threatDomain), "threatDomain", ValidationCodes.UnknownValue, "is not a known threat domain");
        Title = Guard.Text(title, "title", Record.MaxTitleLength);
        Summary = Guard.Text(summary, "summary", MaxTextLength);
        Offence = Guard.Text(offence, "offence", 300);
        ThreatDomain = threatDomain;
        _screeningFlags = [.. screeningFlags];
        Status = screeningFlags.Count > 0 ? NoticeStatus.HeldForReview : NoticeStatus.Issued;
        DecisionReason = null;
        UpdatedAt = Instants.Normalize(now);
    }
}

/// <summary>An agency a notice is addressed to.</summary>
public sealed record NoticeRecipient(NoticeId NoticeId, AgencyId AgencyId);
