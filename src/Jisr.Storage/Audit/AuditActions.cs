namespace Jisr.Storage.Audit;

/// <summary>
/// Every action name the audit trail uses, in one place: what <c>GET /audit?action=</c> filters on and what a
/// data-protection officer reads. Names are part of the trail's meaning: never rename one that has been written.
/// </summary>
public static class AuditActions
{
    public const string RecordRead = "record.read";
    public const string RecordList = "record.list";
    public const string RecordCreate = "record.create";
    public const string RecordUpdate = "record.update";
    public const string RecordDelete = "record.delete";
    public const string RecordExportStix = "record.export.stix";
    public const string RecordReviewExtend = "record.review.extend";
    public const string RecordPurge = "record.purge";
    public const string DeclassificationRequest = "record.declassification.request";
    public const string DeclassificationApprove = "record.declassification.approve";
    public const string DeclassificationRefuse = "record.declassification.refuse";
    public const string DeclassificationRead = "record.declassification.read";
    public const string DeclassificationList = "record.declassification.list";
    public const string RetentionPurge = "retention.purge";
    public const string Search = "search";
    public const string ReviewQueue = "review.queue";
    public const string EntityRead = "entity.read";
    public const string EntityList = "entity.list";
    public const string EntityRecords = "entity.records";
    public const string GraphNeighbours = "graph.neighbours";
    public const string PersonMatch = "person.match";
    public const string SubjectAccessExport = "subject-access.export";
    public const string AgreementRead = "agreement.read";
    public const string AgreementList = "agreement.list";
    public const string AgreementPropose = "agreement.propose";
    public const string AgreementAccept = "agreement.accept";
    public const string AgreementSuspend = "agreement.suspend";
    public const string AgreementResume = "agreement.resume";
    public const string AgreementEnd = "agreement.end";
    public const string ReleaseRead = "release.read";
    public const string ReleaseList = "release.list";
    public const string ReleaseRequest = "release.request";
    public const string ReleaseApprove = "release.approve";
    public const string ReleaseRefuse = "release.refuse";
    public const string ReleaseDeliver = "release.deliver";
    public const string ReleaseReceive = "release.receive";
    public const string ReleaseRecall = "release.recall";
    public const string ConsentRead = "consent.read";
    public const string ConsentList = "consent.list";
    public const string ConsentRequest = "consent.request";
    public const string ConsentGrant = "consent.grant";
    public const string ConsentRefuse = "consent.refuse";
    public const string NoticeRead = "notice.read";
    public const string NoticeList = "notice.list";
    public const string NoticeCreate = "notice.create";
    public const string NoticeUpdate = "notice.update";
    public const string NoticeCancel = "notice.cancel";
    public const string NoticeClear = "notice.clear";
    public const string NoticeRefuse = "notice.refuse";
    public const string AgencyCreate = "agency.create";
    public const string UserRead = "user.read";
    public const string UserList = "user.list";
    public const string UserCreate = "user.create";
    public const string UserDisable = "user.disable";
    public const string UserEnable = "user.enable";
    public const string UserAccessChange = "user.access.change";
    public const string UserPasswordReset = "user.password.reset";
    public const string UserTokensRevoke = "user.tokens.revoke";
    public const string SecondFactorReset = "second-factor.reset";
    public const string SecondFactorConfirm = "second-factor.confirm";
    public const string GrantRequest = "grant.request";
    public const string GrantApprove = "grant.approve";
    public const string GrantRefuse = "grant.refuse";
    public const string GrantList = "grant.list";
    public const string TokenCreate = "token.create";
    public const string TokenRevoke = "token.revoke";
    public const string SignIn = "sign-in";
    public const string SignOut = "sign-out";
    public const string AuditRead = "audit.read";
    public const string RequestRefused = "request.refused";
    public const string DemoLoad = "demo.load";
    public const string StixImport = "stix.import";
    public const string StixExport = "stix.export";
    public const string TaxiiRead = "taxii.read";
    public const string NodeInit = "federation.node.init";
    public const string PeerAdd = "federation.peer.add";
    public const string PeerRevoke = "federation.peer.revoke";
    public const string PeerKeyRotate = "federation.peer.key-rotate";
    public const string PeerCheckpoint = "federation.peer.checkpoint";
    public const string NodeKeyRotate = "federation.node.key-rotate";
    public const string PeerList = "federation.peer.list";
    public const string FederationMessageList = "federation.message.list";

    /// <summary>A message to a peer written to the outbox (with the change causing it); detail: type, sequence, payload digest.</summary>
    public const string FederationSend = "federation.send";

    /// <summary>A peer acknowledged a message (detail: its signed status); or refused it (outcome refused, the reason).</summary>
    public const string FederationDelivered = "federation.delivered";

    /// <summary>A message from a peer: applied, a duplicate acknowledged again, or refused with the reason.</summary>
    public const string FederationReceive = "federation.receive";

    /// <summary>Entity resolution over what the caller may read (detail: counts); purpose declared.</summary>
    public const string FusionProposals = "fusion.proposals";

    /// <summary>A cross-reference of the agency's persons against what it may read (detail: against, counts).</summary>
    public const string FusionXref = "fusion.xref";

    /// <summary>An analyst confirmed or rejected a proposed match (target: the first entity; detail: the pair and the decision).</summary>
    public const string FusionJudge = "fusion.judge";

    public const string FusionJudgementList = "fusion.judgement.list";

    /// <summary>A person shown as one with every entity confirmed to be them, and the records behind each.</summary>
    public const string FusionPerson = "fusion.person";

    public const string GraphNeighbourhood = "graph.neighbourhood";
    public const string GraphPath = "graph.path";
    public const string GraphCells = "graph.cells";
    public const string GraphComponents = "graph.components";
    public const string GraphBrokers = "graph.brokers";
    public const string GraphExport = "graph.export";
    /// <summary>A name or identifier checked against partners' hit/no-hit filters (purpose, query, partners that answered hit).</summary>
    public const string HitCheck = "hit.check";

    /// <summary>This node's filter for one agreement published to the partner (detail: epoch, keys, records described).</summary>
    public const string HitFilterPublish = "hit.filter.publish";

    /// <summary>A partner's filter taken (refused ones are audited as federation.receive with the reason).</summary>
    public const string HitFilterReceive = "hit.filter.receive";

    /// <summary>After a hit, a formal request sent to the owner agency (purpose, legal basis, handling, urgency).</summary>
    public const string HitRequestOpen = "hit.request.open";

    /// <summary>A partner's hit request taken here: the owner agency is told who asked and why (refused for rate: outcome refused).</summary>
    public const string HitRequestReceive = "hit.request.receive";

    /// <summary>The owner's liaison officer answered: a release (pending or made) or a refusal; on the requester's node, the answer taken.</summary>
    public const string HitRequestReply = "hit.request.reply";

    /// <summary>A reminder: an unanswered hit request reached half its time, its deadline, or another half-span past it.</summary>
    public const string HitRequestRemind = "hit.request.remind";

    /// <summary>On the owner's node: a partner's check hit the owner agency's filter (who, when, agreement, keys hit; never the query).</summary>
    public const string HitNoticeReceive = "hit.notice.receive";

    /// <summary>The owner agency's hit notices listed.</summary>
    public const string HitNoticeList = "hit.notice.list";

    public const string HitRequestRead = "hit.request.read";
    public const string HitRequestList = "hit.request.list";
}

/// <summary>How an audited action ended.</summary>
public static class AuditOutcomes
{
    public const string Success = "success";
    public const string NotFound = "not-found";
    public const string Forbidden = "forbidden";
    public const string InvalidCredentials = "invalid-credentials";
    public const string Disabled = "disabled";
    public const string TooManyAttempts = "too-many-attempts";
    public const string SecondFactorWrong = "second-factor-wrong";
    public const string SecondFactorNotSetUp = "second-factor-not-set-up";
    public const string Failed = "failed";

    /// <summary>A federation message refused (by this node, or by the peer it was sent to).</summary>
    public const string Refused = "refused";

    /// <summary>A federation message received again: acknowledged again, nothing changed.</summary>
    public const string Duplicate = "duplicate";
}

/// <summary>What an audit entry is about (its target's kind).</summary>
public static class AuditTargets
{
    public const string Record = "record";
    public const string Entity = "entity";
    public const string Agreement = "agreement";
    public const string Release = "release";
    public const string Declassification = "declassification";
    public const string Consent = "consent";
    public const string Notice = "notice";
    public const string Agency = "agency";
    public const string User = "user";
    public const string Token = "token";
    public const string Grant = "grant";
    public const string TaxiiCollection = "taxii-collection";
    public const string Peer = "federation-peer";
    public const string FederationMessage = "federation-message";
    public const string MatchJudgement = "match-judgement";
    public const string XrefJob = "xref-job";
    public const string HitFilter = "hit-filter";
    public const string HitRequest = "hit-request";
    public const string HitNotice = "hit-notice";
}
