namespace Jisr.Exchange.Federation;

/// <summary>The message types nodes exchange; the payload of each is the JSON form of the record named beside it.</summary>
public static class FederationMessageTypes
{
    /// <summary><see cref="AgreementTerms"/>: an administrator proposed an agreement to an agency of the recipient node.</summary>
    public const string AgreementPropose = "agreement.propose";

    /// <summary><see cref="AgreementChangeMessage"/>: accept, suspend, resume or end, by one party's administrator.</summary>
    public const string AgreementChange = "agreement.change";

    /// <summary><see cref="ReleaseDelivery"/>: a record released to an agency of the recipient node, as a STIX 2.1 bundle.</summary>
    public const string ReleaseDeliver = "release.deliver";

    /// <summary><see cref="ReleaseRecallMessage"/>: the releasing agency recalled a release; the copy is removed.</summary>
    public const string ReleaseRecall = "release.recall";

    /// <summary><see cref="ConsentRequestMessage"/>: a partner holding a copy asks the originator's consent to pass it on.</summary>
    public const string ConsentRequest = "consent.request";

    /// <summary><see cref="ConsentDecisionMessage"/>: the originator's reviewers granted or refused it.</summary>
    public const string ConsentDecision = "consent.decision";

    /// <summary><see cref="NoticeStateMessage"/>: a notice issued, updated, withheld again or cancelled by an agency of the sender.</summary>
    public const string NoticeState = "notice.state";

    /// <summary><see cref="KeyRotationMessage"/>: the sender's new key, announced under its old one; later messages come under the new one.</summary>
    public const string KeyRotate = "node.key-rotate";

    /// <summary><see cref="HitCheck.HitFilterMessage"/>: the owner agency's hit/no-hit filter for one agreement.</summary>
    public const string HitFilterPublish = HitCheck.HitFilterMessage.Type;

    /// <summary><see cref="HitCheck.HitRequestMessage"/>: after a hit, a formal request to the owner agency (purpose, legal basis, handling, urgency).</summary>
    public const string HitRequestOpen = HitCheck.HitRequestMessage.Type;

    /// <summary><see cref="HitCheck.HitReplyMessage"/>: the owner's answer to a hit request: a release (pending or made) or a refusal.</summary>
    public const string HitRequestReply = HitCheck.HitReplyMessage.Type;

    /// <summary><see cref="HitCheck.HitNoticeMessage"/>: a check hit the owner agency's filter (who, when, under which agreement; never the query).</summary>
    public const string HitNotice = HitCheck.HitNoticeMessage.Type;

    /// <summary><see cref="AuditCheckpointMessage"/>: the sender's latest signed audit checkpoint, for the peer to keep.</summary>
    public const string AuditCheckpoint = "audit.checkpoint";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { AgreementPropose, AgreementChange, ReleaseDeliver, ReleaseRecall, ConsentRequest, ConsentDecision, NoticeState, KeyRotate, HitFilterPublish, HitRequestOpen, HitRequestReply, HitNotice, AuditCheckpoint };
}

/// <summary>The terms of an agreement, the same on both nodes (same id); names as in the API (threat domains, markings).</summary>
public sealed record AgreementTerms(
    Guid Id,
    Guid ProposerAgencyId,
    Guid PartnerAgencyId,
    IReadOnlyList<string> ThreatDomains,
    string HighestClassification,
    IReadOnlyList<string> HandlingCodes,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    Guid ProposedBy,
    DateTimeOffset ProposedAt);

/// <summary>A change of an agreement's status made on the sender's node by one party (<paramref name="ByAgencyId"/>).</summary>
public sealed record AgreementChangeMessage(Guid AgreementId, string Action, Guid ByAgencyId, Guid ByUserId, string? Reason, DateTimeOffset At);

/// <summary>
/// A release: the record as a STIX 2.1 bundle (report, entities, relationships, TLP and statement markings, Jisr's
/// fields as <c>x_jisr_</c> properties), the id its copy gets on the recipient's node, and its provenance.
/// </summary>
public sealed record ReleaseDelivery(
    Guid ReleaseId,
    Guid AgreementId,
    Guid CopyRecordId,
    Guid SourceRecordId,
    Guid OriginalRecordId,
    Guid OriginatorAgencyId,
    Guid ReleasingAgencyId,
    Guid RecipientAgencyId,
    Guid AuthorUserId,
    DateTimeOffset CreatedAt,
    Guid ReleasedBy,
    DateTimeOffset ReleasedAt,
    IReadOnlyList<Guid> RecipientUserIds,
    System.Text.Json.Nodes.JsonObject Bundle,
    IReadOnlyList<string>? RecipientUserNames = null,
    OnwardConsent? Onward = null);

/// <summary>A recall: the release, the copy it made on the recipient's node, who recalled it and why.</summary>
public sealed record ReleaseRecallMessage(Guid ReleaseId, Guid CopyRecordId, Guid ByAgencyId, Guid ByUserId, string? Reason, DateTimeOffset At);

/// <summary>
/// A consent request as made on the requester's node: the copy, the originator's record, the three agencies; when the
/// third agency is hosted by a node the originator's node may not be peered with, <paramref name="Target"/> describes it.
/// </summary>
public sealed record ConsentRequestMessage(
    Guid ConsentId, Guid RecordId, Guid OriginalRecordId, Guid OriginatorAgencyId, Guid RequesterAgencyId, Guid TargetAgencyId, Guid RequestedBy, DateTimeOffset RequestedAt, string? Note,
    RelayedAgency? Target = null);

/// <summary>
/// The originator's decision on a consent request, with what it is about (the original record, the requester and the
/// third agency), so that the signed decision alone proves the consent to a third node (<see cref="OnwardConsent"/>).
/// </summary>
public sealed record ConsentDecisionMessage(
    Guid ConsentId, bool Granted, Guid ByAgencyId, Guid ByUserId, string? Reason, DateTimeOffset At, Guid? OriginalRecordId = null, Guid? RequesterAgencyId = null, Guid? TargetAgencyId = null);

/// <summary>What a node says about itself at <c>/federation/v1/node</c>: its key and the agencies it hosts.</summary>
public sealed record NodeDescription(string Fingerprint, string PublicKey, IReadOnlyList<NodeAgency> Agencies);

public sealed record NodeAgency(Guid Id, string Code, string Name, string Country);

/// <summary>
/// A notice as its recipients on the receiving node may see it, sent each time that changes: issued (or updated while
/// issued), cancelled, or withheld again because an update sent it back to the neutrality screen. A withheld notice's
/// text never travels: <paramref name="Title"/>, <paramref name="Summary"/>, <paramref name="Offence"/> and
/// <paramref name="Subject"/> are null, and the receiver only hides what it holds. <paramref name="RecipientAgencyIds"/>
/// names the recipients hosted by the receiving node only (which other agencies got it is not theirs to know);
/// <paramref name="Subject"/> is the person or event as Jisr's extension describes an entity (type and every field).
/// </summary>
public sealed record NoticeStateMessage(
    Guid NoticeId,
    Guid IssuerAgencyId,
    Guid AuthorUserId,
    string Color,
    string ThreatDomain,
    string Status,
    IReadOnlyList<Guid> RecipientAgencyIds,
    System.Text.Json.Nodes.JsonObject? Subject,
    string? Title,
    string? Summary,
    string? Offence,
    string? DecisionReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// A signed audit checkpoint of the sender ("entry <paramref name="Sequence"/> of my audit chain has hash
/// <paramref name="EntryHash"/>", signed by its audit key, <paramref name="PublicKey"/> in PEM): the peer keeps it, so the
/// sender cannot later rewrite what it logged up to there without the peer's copy showing it.
/// </summary>
public sealed record AuditCheckpointMessage(long Sequence, string EntryHash, DateTimeOffset At, string KeyId, string Signature, string PublicKey);
