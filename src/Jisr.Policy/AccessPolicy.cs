using System.Linq.Expressions;
using Jisr.Domain.Entities;
using Jisr.Domain.Notices;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;

namespace Jisr.Policy;

/// <summary>
/// The one place that decides who may see or change what. Every decision is a pure function of
/// (principal, resource, time). Read rules are written once as expressions (<see cref="RecordReadRule"/>,
/// <see cref="EntityReadRule"/>): queries apply them bound to the caller, so storage never fetches what the caller
/// may not see, and single checks run the same expressions compiled, so the two cannot disagree.
/// </summary>
/// <remarks>
/// Sharing: an agency's records reach a partner only as release copies (<see cref="CanRelease"/>), made under a
/// sharing agreement in force, after a second person's approval where the marking needs it
/// (<see cref="CanDecideRelease"/>), and passed on to a third agency only with the originator's consent
/// (<see cref="CanDecideConsent"/>). The read rules then treat a copy like any record its holder has.
/// </remarks>
public static partial class AccessPolicy
{
    private static readonly Role[] WriterRoles = [Role.Analyst, Role.FieldOfficer, Role.LiaisonOfficer];

    /// <summary>
    /// The record read rule, written once over (record, <see cref="ReadContext"/>): the context's members are the
    /// agreements, the caller's agency, clearance and user, now and today, read by name. A user
    /// reads the records their agency holds (its own and the release copies it received) that are not classified
    /// above their clearance and not past their retention end; a TLP:RED record only as its author or a named
    /// recipient; a release copy only while the agreement it was released under is in force (suspending or ending the
    /// agreement hides it at once). Queries bind it to a principal and the store's agreements
    /// (<see cref="ReadableRecords"/>), in-memory checks run it compiled (<see cref="CanRead(Principal, Record, DateTimeOffset)"/>).
    /// </summary>
    /// <remarks>
    /// Agreements are an input rather than the record's navigation so that SQL checks them with a subquery evaluated
    /// only for release copies; a join on every read cost a fifth of the read throughput.
    /// </remarks>
    public static readonly Expression<Func<Record, ReadContext, bool>> RecordReadRule = PolicyExpressions.Inline(
        (Expression<Func<Record, ReadContext, bool>>)((record, input) =>
            record.HolderAgencyId == input.Agency
            && record.Marking.Classification <= input.Clearance
            && record.RetentionUntil > input.Now
            && (record.Marking.Tlp != Tlp.Red || record.AuthorUserId == input.User || record.Recipients.Any(r => r.UserId == input.User.Value))
            && (record.ReleasedUnderAgreementId == null || input.Agreements.Any(a => a.Id == record.ReleasedUnderAgreementId && AgreementInForce(a, input.Today)))),
        typeof(AccessPolicy).GetMethod(nameof(AgreementInForce), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!,
        SharingAgreement.InForceRule);

    /// <summary>
    /// The entity read rule: an entity is readable when a record the caller may read mentions it. Entities are
    /// asserted by records, so they share their records' fate: one seen only in a SECRET record stays hidden from a
    /// RESTRICTED reader, one that came with a release copy disappears with the copy. Inputs (<see cref="EntityReadContext"/>):
    /// the record mentions and the records the caller may read.
    /// </summary>
    public static readonly Expression<Func<Entity, EntityReadContext, bool>> EntityReadRule =
        (entity, input) => input.Mentions.Any(m => m.EntityId == entity.Id && input.ReadableRecords.Any(r => r.Id == m.RecordId));

    /// <summary>An agreement is visible to the users of its two agencies.</summary>
    public static readonly AgencyRule<SharingAgreement> AgreementVisibleRule = new(
        (agreement, agencyId) => agreement.ProposerAgencyId == agencyId || agreement.PartnerAgencyId == agencyId);

    /// <summary>
    /// A notice is visible to its issuing agency in every state, and to its recipient agencies once it is issued (and
    /// after, when cancelled, so the cancellation reaches them) while an agreement between issuer and recipient is in
    /// force: suspending or ending the partnership hides the partner's notices at once, as it hides release copies.
    /// Inputs (<see cref="NoticeContext"/>): the store's agreements, the caller's agency, today.
    /// </summary>
    public static readonly Expression<Func<Notice, NoticeContext, bool>> NoticeVisibleRule = PolicyExpressions.Inline(
        (Expression<Func<Notice, NoticeContext, bool>>)((notice, input) =>
            notice.IssuerAgencyId == input.Agency
            || ((notice.Status == NoticeStatus.Issued || notice.Status == NoticeStatus.Cancelled)
                && notice.Recipients.Any(r => r.AgencyId == input.Agency)
                && input.Agreements.Any(a => ((a.ProposerAgencyId == notice.IssuerAgencyId && a.PartnerAgencyId == input.Agency)
                                              || (a.PartnerAgencyId == notice.IssuerAgencyId && a.ProposerAgencyId == input.Agency))
                                             && AgreementInForce(a, input.Today)))),
        typeof(AccessPolicy).GetMethod(nameof(AgreementInForce), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!,
        SharingAgreement.InForceRule);

    /// <summary>Releases are visible to the releasing agency (requesters, approvers, its legal reviewers).</summary>
    public static readonly AgencyRule<Release> ReleaseVisibleRule = new((release, agencyId) => release.ReleasingAgencyId == agencyId);

    /// <summary>
    /// What a release shows (its partner, note, copy) is about its record: lists and reads show a release only to the
    /// releasing agency's users who may read that record. Inputs (<see cref="ReleaseShownContext"/>): the caller's agency
    /// and the records they may read. Deciding a release keeps <see cref="CanDecideRelease"/>'s own answer.
    /// </summary>
    public static readonly Expression<Func<Release, ReleaseShownContext, bool>> ReleaseShownRule =
        (release, context) => release.ReleasingAgencyId == context.Agency && context.ReadableRecords.Any(r => r.Id == release.RecordId);

    /// <summary>
    /// A held declassification shows the record's proposed content: it is shown to the users of the record's agency who
    /// may read the record and are cleared for the proposed classification (<see cref="DeclassificationShownContext"/>).
    /// </summary>
    public static readonly Expression<Func<Declassification, DeclassificationShownContext, bool>> DeclassificationShownRule =
        (declassification, context) => declassification.AgencyId == context.Agency
                                       && declassification.ProposedMarking.Classification <= context.Clearance
                                       && context.ReadableRecords.Any(r => r.Id == declassification.RecordId);

    /// <summary>
    /// A consent request is about a record: it is shown to the asking agency's users who may read their copy, and to
    /// the originator's users who may read the original (which they decide on). Inputs (<see cref="ConsentShownContext"/>):
    /// the caller's agency and the records they may read.
    /// </summary>
    public static readonly Expression<Func<ConsentRequest, ConsentShownContext, bool>> ConsentShownRule =
        (consent, context) => (consent.RequesterAgencyId == context.Agency && context.ReadableRecords.Any(r => r.Id == consent.RecordId))
                               || (consent.OriginatorAgencyId == context.Agency && context.ReadableRecords.Any(r => r.Id == consent.OriginalRecordId));

    private static readonly Func<Record, ReadContext, bool> RecordReadCheck = RecordReadRule.Compile();

    /// <summary>Records the principal may read, as a filter for queries over <paramref name="agreements"/> (the store's agreements).</summary>
    public static Expression<Func<Record, bool>> ReadableRecords(Principal principal, DateTimeOffset now, IEnumerable<SharingAgreement> agreements) =>
        PolicyExpressions.Bind(RecordReadRule, ReadContext.For(principal, now, agreements));

    /// <summary>
    /// The same rule on a record in memory. A release copy must come with its agreement (<see cref="Record.ReleasedUnder"/>)
    /// loaded: without it the copy is treated as unreadable (fail closed).
    /// </summary>
    public static bool CanRead(Principal principal, Record record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(record);
        return RecordReadCheck(record, ReadContext.For(principal, now, record.ReleasedUnder is { } agreement ? [agreement] : []));
    }

    /// <summary>The calendar day (UTC) agreements' validity dates are compared with.</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>Whether the principal may create a record with this content for their agency.</summary>
    public static PolicyDecision CanCreate(Principal principal, RecordContent content)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(content);
        if (!WriterRoles.Any(principal.Has))
        {
            return PolicyDecision.Deny("only analysts, field officers and liaison officers write records");
        }

        return content.Marking.Classification <= principal.Clearance
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("you cannot write a record classified above your clearance");
    }

    /// <summary>
    /// Whether the principal may change a record's content, marking and recipients: its author (while a writer), or an
    /// editor of the originating agency; either needs clearance for the old marking (the record is readable: the
    /// caller checks <see cref="CanRead"/> first, 404 before 403) and for the new one. A change that lowers the marking
    /// is then held for a legal reviewer (<see cref="ChangeNeedsLegalApproval"/>).
    /// </summary>
    public static PolicyDecision CanUpdate(Principal principal, Record record, RecordContent newContent, DateTimeOffset now) =>
        IfReadable(principal, record, now, () =>
        {
            ArgumentNullException.ThrowIfNull(newContent);
            if (record.Provenance is not null)
            {
                return PolicyDecision.Deny("a release copy is the originator's record: it cannot be changed");
            }

            var asAuthor = record.AuthorUserId == principal.UserId && WriterRoles.Any(principal.Has);
            var asEditor = principal.Has(Role.Editor) && principal.AgencyId == record.OriginatorAgencyId;
            if (!asAuthor && !asEditor)
            {
                return PolicyDecision.Deny("only the record's author, or an editor of its agency, changes a record's content, marking and recipients");
            }

            return newContent.Marking.Classification <= principal.Clearance
                ? PolicyDecision.Allow
                : PolicyDecision.Deny("you cannot classify a record above your clearance");
        });

    /// <summary>
    /// A declassification: the change lowers the record's marking (classification down, TLP wider, handling code
    /// looser) or names TLP:RED recipients the record did not have. It is held, not applied, until a legal reviewer
    /// of the record's agency who is not the requester approves it (<see cref="CanDecideDeclassification"/>).
    /// </summary>
    public static bool ChangeNeedsLegalApproval(Record record, Marking newMarking, IReadOnlyCollection<UserId> newRecipients)
    {
        ArgumentNullException.ThrowIfNull(record);
        return IsLowered(record.Marking, newMarking) || WidensRecipients(record, newMarking, newRecipients);
    }

    /// <summary>
    /// Whether <paramref name="to"/> protects less than <paramref name="from"/> in any part. Handling codes rank by
    /// number (H3, a written restriction, the tightest); rewriting an H3 restriction counts as loosening it.
    /// </summary>
    public static bool IsLowered(Marking from, Marking to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return to.Classification < from.Classification
               || to.Tlp < from.Tlp
               || to.Handling < from.Handling
               || (from.Handling == HandlingCode.H3 && to.Handling == HandlingCode.H3 && !string.Equals(from.HandlingNote, to.HandlingNote, StringComparison.Ordinal));
    }

    /// <summary>Whether a TLP:RED record stays TLP:RED and gains a named recipient (the author is always one).</summary>
    public static bool WidensRecipients(Record record, Marking newMarking, IReadOnlyCollection<UserId> newRecipients)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(newMarking);
        ArgumentNullException.ThrowIfNull(newRecipients);
        return record.Marking.Tlp == Tlp.Red && newMarking.Tlp == Tlp.Red
               && newRecipients.Any(u => u != record.AuthorUserId && !record.Recipients.Any(r => r.UserId == u.Value));
    }

    /// <summary>
    /// Approving or refusing a held declassification: a legal reviewer of the record's agency who is not the requester.
    /// Like lists (<see cref="DeclassificationShownRule"/>), it exists only for users of that agency who may read the
    /// record (<paramref name="record"/> is null when it is gone or they may not) and are cleared for the proposed
    /// classification. Whether it is still pending and the record unchanged is the request's own rule (409).
    /// </summary>
    public static PolicyDecision CanDecideDeclassification(Principal principal, Declassification declassification, Record? record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(declassification);
        if (principal.AgencyId != declassification.AgencyId || record is null || record.Id != declassification.RecordId || !CanRead(principal, record, now)
            || declassification.ProposedMarking.Classification > principal.Clearance)
        {
            return PolicyDecision.NotVisible;
        }

        if (!principal.Has(Role.LegalReviewer))
        {
            return PolicyDecision.Deny("a declassification is approved or refused by a legal reviewer of the record's agency");
        }

        return principal.UserId == declassification.RequestedBy
            ? PolicyDecision.Deny("four-eyes rule: the requester cannot decide their own declassification; another legal reviewer must")
            : PolicyDecision.Allow;
    }

    /// <summary>Deletion: the author, or the agency's legal reviewers and administrators.</summary>
    public static PolicyDecision CanDelete(Principal principal, Record record, DateTimeOffset now) =>
        IfReadable(principal, record, now, () => Only(
            record.AuthorUserId == principal.UserId || principal.Has(Role.LegalReviewer) || principal.Has(Role.Administrator),
            "only the author, a legal reviewer or an administrator may delete a record"));

    /// <summary>
    /// Entities the principal may read, as a filter for queries (see <see cref="EntityReadRule"/>): the other
    /// arguments are the store's unfiltered sets; the record rule is applied here.
    /// </summary>
    public static Expression<Func<Entity, bool>> ReadableEntities(Principal principal, DateTimeOffset now, IQueryable<RecordMention> mentions, IQueryable<Record> records, IEnumerable<SharingAgreement> agreements)
    {
        ArgumentNullException.ThrowIfNull(records);
        return PolicyExpressions.Bind(EntityReadRule, new EntityReadContext(mentions, records.Where(ReadableRecords(principal, now, agreements))));
    }

    public static Expression<Func<SharingAgreement, bool>> VisibleAgreements(Principal principal) => AgreementVisibleRule.For(principal);

    /// <summary>Proposing an agreement to a partner is for the proposing agency's administrators.</summary>
    public static PolicyDecision CanProposeAgreement(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Has(Role.Administrator)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only an agency's administrators propose, accept, suspend or end sharing agreements");
    }

    /// <summary>
    /// Accepting, suspending, resuming and ending an agreement: the administrators of its two agencies (a third agency
    /// does not know it exists); only the partner accepts what the other agency proposed. Whether the agreement's state
    /// allows the change is the agreement's own rule (a 409, not a 403).
    /// </summary>
    public static PolicyDecision CanChangeAgreement(Principal principal, SharingAgreement agreement, AgreementAction change)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(agreement);
        if (!AgreementVisibleRule.Allows(principal, agreement))
        {
            return PolicyDecision.NotVisible;
        }

        var asAdministrator = CanProposeAgreement(principal);
        if (!asAdministrator.IsAllowed)
        {
            return asAdministrator;
        }

        return change switch
        {
            AgreementAction.Accept when principal.AgencyId != agreement.PartnerAgencyId =>
                PolicyDecision.Deny("the agency that proposed an agreement cannot accept it: the partner agency's administrator accepts"),

            // A suspension is one party's safeguard: the other cannot lift it.
            AgreementAction.Resume when agreement.SuspendedBy is { } suspender && suspender != principal.AgencyId =>
                PolicyDecision.Deny("only the agency that suspended this agreement can resume it"),
            _ => PolicyDecision.Allow,
        };
    }

    /// <summary>
    /// Four-eyes threshold: releasing a CONFIDENTIAL or SECRET record, or a TLP:AMBER+STRICT or TLP:RED one, waits for
    /// a second person's approval (<see cref="CanDecideRelease"/>); anything less sensitive goes at once.
    /// </summary>
    public static bool ReleaseNeedsSecondPerson(Marking marking)
    {
        ArgumentNullException.ThrowIfNull(marking);
        return Sensitive(marking.Classification, marking.Tlp);
    }

    /// <summary>
    /// Four-eyes for releasing <paramref name="record"/>: judged on its present marking and on the most sensitive one
    /// it has had since it last went out (<see cref="Record.PeakClassification"/>), so that lowering the marking,
    /// releasing and raising it again never skips the second person.
    /// </summary>
    public static bool ReleaseNeedsSecondPerson(Record record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ReleaseNeedsSecondPerson(record.Marking) || Sensitive(record.PeakClassification, record.PeakTlp);
    }

    private static bool Sensitive(Classification classification, Tlp tlp) =>
        classification >= Classification.Confidential || tlp is Tlp.AmberStrict or Tlp.Red;

    /// <summary>
    /// Exporting a record (STIX bundle) takes it out of the node's audit trail's reach: the same as reading it, for
    /// now; the place where an export rule (e.g. H2 records never exported) is written when one is needed.
    /// </summary>
    public static PolicyDecision CanExport(Principal principal, Record record, DateTimeOffset now) =>
        IfReadable(principal, record, now, () => PolicyDecision.Allow);

    /// <summary>
    /// A data-subject access export gathers everything the agency holds on one person (records, links, releases,
    /// notices, audit entries): the agency's legal reviewers make it, to answer the person's access request.
    /// </summary>
    public static PolicyDecision CanExportSubjectAccess(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Only(principal.Has(Role.LegalReviewer), "data-subject access exports are made by legal reviewers");
    }

    /// <summary>
    /// A record refers to existing entities only where the caller may read them, and only to its own agency's: a
    /// partner's entity reaches us inside its release copy and goes with it (fusion relates it to ours), so a
    /// partner's data never outlives its release.
    /// </summary>
    public static PolicyDecision CanReferToEntity(AgencyId writingAgencyId, Entity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.AgencyId == writingAgencyId
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("belongs to a record another agency released to yours: describe it as a new entity of your own");
    }

    /// <summary>Reviewing records that reached their review date (extend or delete) is the legal reviewers' task.</summary>
    /// <remarks>
    /// A received copy's review and retention belong to its originator: its holder may bring them forward or delete the
    /// copy, never push them back (<paramref name="nextReview"/> and <paramref name="retentionUntil"/> are what an
    /// extension asks for; null for a deletion).
    /// </remarks>
    public static PolicyDecision CanReview(Principal principal, Record record, DateTimeOffset now, DateOnly? nextReview = null, DateTimeOffset? retentionUntil = null) =>
        IfReadable(principal, record, now, () =>
        {
            if (!principal.Has(Role.LegalReviewer))
            {
                return PolicyDecision.Deny("only legal reviewers review records");
            }

            return record.Provenance is not null && (nextReview > record.ReviewDate || retentionUntil > record.RetentionUntil)
                ? PolicyDecision.Deny("a received copy's review and retention belong to its originator: you may bring them forward or delete the copy, never push them back")
                : PolicyDecision.Allow;
        });

    /// <summary>The review queue (the records whose review date has come) is the legal reviewers' list, as the reviews are their task.</summary>
    public static PolicyDecision CanReadReviewQueue(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Only(principal.Has(Role.LegalReviewer), "the review queue is for legal reviewers");
    }

    public static Expression<Func<Release, bool>> VisibleReleases(Principal principal) => ReleaseVisibleRule.For(principal);

    /// <summary>Releases to list or show the principal (see <see cref="ReleaseShownRule"/>); the other arguments are the store's unfiltered sets.</summary>
    public static Expression<Func<Release, bool>> ShownReleases(Principal principal, DateTimeOffset now, IQueryable<Record> records, IEnumerable<SharingAgreement> agreements)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(records);
        return PolicyExpressions.Bind(ReleaseShownRule, new ReleaseShownContext(principal.AgencyId, records.Where(ReadableRecords(principal, now, agreements))));
    }

    /// <summary>Declassifications to list or show the principal (see <see cref="DeclassificationShownRule"/>); the other arguments are the store's unfiltered sets.</summary>
    public static Expression<Func<Declassification, bool>> ShownDeclassifications(Principal principal, DateTimeOffset now, IQueryable<Record> records, IEnumerable<SharingAgreement> agreements)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(records);
        return PolicyExpressions.Bind(DeclassificationShownRule, new DeclassificationShownContext(principal.AgencyId, principal.Clearance, records.Where(ReadableRecords(principal, now, agreements))));
    }

    /// <summary>Consent requests to list, show or decide for the principal (see <see cref="ConsentShownRule"/>); the other arguments are the store's unfiltered sets.</summary>
    public static Expression<Func<ConsentRequest, bool>> ShownConsents(Principal principal, DateTimeOffset now, IQueryable<Record> records, IEnumerable<SharingAgreement> agreements)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(records);
        return PolicyExpressions.Bind(ConsentShownRule, new ConsentShownContext(principal.AgencyId, records.Where(ReadableRecords(principal, now, agreements))));
    }

    /// <summary>Notices the principal's agency may see, as a filter for queries over <paramref name="agreements"/> (the store's agreements).</summary>
    public static Expression<Func<Notice, bool>> VisibleNotices(Principal principal, DateTimeOffset now, IEnumerable<SharingAgreement> agreements)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return PolicyExpressions.Bind(NoticeVisibleRule, new NoticeContext(agreements, principal.AgencyId, Today(now)));
    }

    /// <summary>Issuing, updating and cancelling notices: the issuing agency's analysts, field and liaison officers.</summary>
    public static PolicyDecision CanIssueNotices(Principal principal, AgencyId issuerAgencyId)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.AgencyId != issuerAgencyId)
        {
            return PolicyDecision.Deny("only the issuing agency changes its notices");
        }

        return WriterRoles.Any(principal.Has) ? PolicyDecision.Allow : PolicyDecision.Deny("only analysts, field officers and liaison officers issue notices");
    }

    /// <summary>
    /// A notice names a person or an event, so it goes to partners only: the recipient has an agreement in force
    /// with the issuing agency that covers the notice's threat domain (checked when it is issued and when it changes).
    /// </summary>
    public static PolicyDecision CanSendNotice(AgencyId issuerAgencyId, AgencyId recipientAgencyId, ThreatDomain threatDomain, IEnumerable<SharingAgreement> agreements, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agreements);
        var today = Today(now);
        var between = agreements.Where(a => a.IsInForce(today) && a.IsParty(issuerAgencyId) && a.Counterpart(issuerAgencyId) == recipientAgencyId).ToList();
        if (between.Count == 0)
        {
            return PolicyDecision.Deny("has no sharing agreement in force with your agency: notices go to partner agencies only");
        }

        return between.Any(a => a.ThreatDomains.Contains(threatDomain))
            ? PolicyDecision.Allow
            : PolicyDecision.Deny($"has no agreement with your agency that covers {RecordVocabulary.ThreatDomains[threatDomain]}");
    }

    /// <summary>Updating or cancelling a notice is its issuer's writers' act; clearing or refusing one held by the screen, its issuer's legal reviewers'.</summary>
    public static PolicyDecision CanChangeNotice(Principal principal, Notice notice, NoticeChange change)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return change is NoticeChange.Update or NoticeChange.Cancel
            ? CanIssueNotices(principal, notice.IssuerAgencyId)
            : CanReviewNotice(principal, notice);
    }

    /// <summary>Clearing or refusing a notice held by the neutrality screen: the issuing agency's legal reviewers.</summary>
    public static PolicyDecision CanReviewNotice(Principal principal, Notice notice)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(notice);
        return principal.AgencyId == notice.IssuerAgencyId && principal.Has(Role.LegalReviewer)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only the issuing agency's legal reviewers clear or refuse a held notice");
    }

    /// <summary>
    /// Whether the principal may release a record they can read to <paramref name="recipientAgencyId"/> under
    /// <paramref name="agreement"/> (null: no agreement in force between the two agencies). A record received from
    /// another agency passes on only with its originator's granted consent (third-party rule).
    /// </summary>
    public static PolicyDecision CanRelease(Principal principal, Record record, AgencyId recipientAgencyId, SharingAgreement? agreement, bool originatorConsented, DateTimeOffset now) =>
        IfReadable(principal, record, now, () => WriterRoles.Any(principal.Has)
            ? ReleaseTerms(record, principal.AgencyId, recipientAgencyId, agreement, originatorConsented, now)
            : PolicyDecision.Deny("only analysts, field officers and liaison officers release records"));

    /// <summary>
    /// Whether a record goes into the TAXII collection <paramref name="principal"/>'s agency serves its partner under
    /// <paramref name="agreement"/>: the agency's own record (held and originated: never a copy, so the third-party rule
    /// holds without asking for consent), not TLP:RED (named recipients only), one the principal may export, and one the
    /// agreement's release terms (in force, covered marking and threat domains) would let go to the partner. A record the
    /// agency made from STIX it received (<paramref name="receivedInStix"/>: an import or a TAXII post) is its sender's
    /// information, so the third-party rule keeps it out too.
    /// </summary>
    public static PolicyDecision CanServeOverTaxii(Principal principal, Record record, SharingAgreement agreement, bool receivedInStix, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(agreement);
        if (record.HolderAgencyId != principal.AgencyId || record.OriginatorAgencyId != principal.AgencyId || record.Provenance is not null)
        {
            return PolicyDecision.Deny("only the agency's own records are served to a partner: a copy is its originator's to pass on");
        }

        if (receivedInStix)
        {
            return PolicyDecision.Deny("this record was made from STIX the agency received: it is its sender's information to pass on (third-party rule)");
        }

        if (record.Marking.Tlp == Tlp.Red)
        {
            return PolicyDecision.Deny("a TLP:RED record goes to named recipients only, never into a collection");
        }

        var export = CanExport(principal, record, now);
        return !export.IsAllowed || !agreement.IsParty(principal.AgencyId)
            ? export.IsAllowed ? PolicyDecision.Deny("your agency is not party to this agreement") : export
            : ReleaseTerms(record, principal.AgencyId, agreement.Counterpart(principal.AgencyId), agreement, originatorConsented: false, now);
    }

    /// <summary>
    /// The terms a release must meet, checked when it is requested and again when it is approved: the recipient is
    /// not the originator, an agreement between the holder and the recipient is in force and covers the record's
    /// marking and threat domains, and a received record has its originator's consent to go to this recipient.
    /// </summary>
    public static PolicyDecision ReleaseTerms(Record record, AgencyId holderAgencyId, AgencyId recipientAgencyId, SharingAgreement? agreement, bool originatorConsented, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (recipientAgencyId == record.OriginatorAgencyId)
        {
            return PolicyDecision.Deny("the recipient is the record's originator: it already has it");
        }

        if (agreement is null || !agreement.IsInForce(Today(now)) || !agreement.IsParty(holderAgencyId) || agreement.Counterpart(holderAgencyId) != recipientAgencyId)
        {
            return PolicyDecision.Deny("no sharing agreement is in force between your agency and the recipient: nothing can be released to it");
        }

        if (agreement.WhyNotCovering(record.Marking, [.. record.ThreatDomains]) is { } why)
        {
            return PolicyDecision.Deny(why);
        }

        if (record.OriginatorAgencyId != holderAgencyId && !originatorConsented)
        {
            return PolicyDecision.Deny(record.Marking.Handling == HandlingCode.H2
                ? "this H2 record was received from another agency: it is never passed on without the originator's consent (request it first)"
                : "this record was received from another agency: passing it on to a third agency needs the originator's consent (request it first)");
        }

        return PolicyDecision.Allow;
    }

    /// <summary>
    /// Four-eyes: a release awaiting approval is approved or refused by a legal reviewer of the releasing agency who
    /// is not the requester and who may read the record (<paramref name="record"/> is null when they may not).
    /// </summary>
    public static PolicyDecision CanDecideRelease(Principal principal, Release release, Record? record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(release);
        if (principal.AgencyId != release.ReleasingAgencyId)
        {
            return PolicyDecision.NotVisible;
        }

        if (!principal.Has(Role.LegalReviewer))
        {
            return PolicyDecision.Deny("a release that needs a second person is approved or refused by a legal reviewer of the releasing agency");
        }

        if (principal.UserId == release.RequestedBy)
        {
            return PolicyDecision.Deny("four-eyes rule: the requester cannot approve or refuse their own release; another legal reviewer must");
        }

        return record is not null && CanRead(principal, record, now)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("you cannot approve the release of a record you may not read (above your clearance, or TLP:RED not addressed to you)");
    }

    /// <summary>Asking an originator for consent to pass on a received record: the holder's writers.</summary>
    public static PolicyDecision CanRequestConsent(Principal principal, Record record, DateTimeOffset now) =>
        IfReadable(principal, record, now, () => Only(WriterRoles.Any(principal.Has), "only analysts, field officers and liaison officers ask for consent to pass records on"));

    /// <summary>Granting or refusing consent: the originating agency's legal reviewers and liaison officers, no one else.</summary>
    public static PolicyDecision CanDecideConsent(Principal principal, ConsentRequest consent)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(consent);
        if (principal.AgencyId != consent.OriginatorAgencyId)
        {
            return PolicyDecision.Deny("only the record's originating agency can grant or refuse consent to pass it on");
        }

        return principal.Has(Role.LegalReviewer) || principal.Has(Role.LiaisonOfficer)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("consent is granted or refused by the originating agency's legal reviewers or liaison officers");
    }

    /// <summary>An agency sees its own audit trail only: the entries its users' actions left. Inputs: the entry's agency, the caller's.</summary>
    public static readonly Expression<Func<AgencyId?, AgencyId, bool>> AuditEntryVisibleRule = (entryAgencyId, agencyId) => entryAgencyId == agencyId;

    /// <summary>The audit entries the principal's agency may see, as a filter for queries; <paramref name="agencyOf"/> reads an entry's agency.</summary>
    public static Expression<Func<T, bool>> VisibleAuditEntries<T>(Principal principal, Expression<Func<T, AgencyId?>> agencyOf)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(agencyOf);
        return PolicyExpressions.Compose(agencyOf, PolicyExpressions.Bind(AuditEntryVisibleRule, principal.AgencyId));
    }

    /// <summary>
    /// An entry about a record (who read, changed, released it) is shown only to those who may read the record, when
    /// their agency holds it: a RESTRICTED administrator does not learn who reads a SECRET record. Once the record is
    /// gone (deleted, purged) the trail is its only history and every auditor sees it; an entry about another agency's
    /// record shows only what the caller's own colleague asked for.
    /// </summary>
    public static bool AuditEntryAboutRecordShown(bool heldByCallersAgency, bool readable) => !heldByCallersAgency || readable;

    /// <summary>The audit trail is for the agency's legal reviewers and administrators.</summary>
    public static PolicyDecision CanReadAudit(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Has(Role.LegalReviewer) || principal.Has(Role.Administrator)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only legal reviewers and administrators read the audit trail");
    }

    /// <summary>A caller acts on a record only if they may read it; otherwise it does not exist for them (404 before 403).</summary>
    private static PolicyDecision IfReadable(Principal principal, Record record, DateTimeOffset now, Func<PolicyDecision> decide)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(record);
        return CanRead(principal, record, now) ? decide() : PolicyDecision.NotVisible;
    }

    private static PolicyDecision Only(bool allowed, string reason) => allowed ? PolicyDecision.Allow : PolicyDecision.Deny(reason);

    /// <summary>Stands for <see cref="SharingAgreement.InForceRule"/> inside <see cref="RecordReadRule"/> and <see cref="NoticeVisibleRule"/>; replaced when the rules are built.</summary>
    private static bool AgreementInForce(SharingAgreement agreement, DateOnly today) =>
        throw new InvalidOperationException("policy marker: replaced by SharingAgreement.InForceRule");
}

/// <summary>The changes made to a notice after it is created.</summary>
public enum NoticeChange
{
    Update,
    Cancel,
    Clear,
    Refuse,
}
