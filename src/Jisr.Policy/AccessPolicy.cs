using System.Linq.Expressions;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Notices;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;

namespace Jisr.Policy;

/// <summary>
/// The one place that decides who may see or change what. Every decision is a pure function of
/// (principal, resource, time). Read rules are written once as expressions (<see cref="RecordReadRule"/>,
/// <see cref="EntityReadRule"/>): queries apply them bound to the caller, so storage never fetches what the caller
/// may not see, and single checks run the same expressions compiled, so the two cannot disagree.
/// </summary>
/// <remarks>
/// Current rules (tenancy): a user sees only their own agency's records, never one classified above their
/// clearance, never one past its retention end, and a TLP:RED record only as its author or a named recipient.
/// Sharing across agencies extends these rules here.
/// </remarks>
public static class AccessPolicy
{
    private static readonly Role[] WriterRoles = [Role.Analyst, Role.FieldOfficer, Role.LiaisonOfficer];

    /// <summary>
    /// The record read rule, written once: (record, caller's agency, caller's clearance, now). Queries use it
    /// bound to a principal (<see cref="ReadableRecords"/>), in-memory checks use it compiled (<see cref="CanRead(Principal, Record, DateTimeOffset)"/>).
    /// </summary>
    public static readonly Expression<Func<Record, Guid, Classification, Guid, DateTimeOffset, bool>> RecordReadRule =
        (record, agencyId, clearance, userId, now) => record.OriginatorAgencyId == agencyId
                                                     && record.Marking.Classification <= clearance
                                                     && record.RetentionUntil > now
                                                     && (record.Marking.Tlp != Tlp.Red || record.AuthorUserId == userId || record.Recipients.Any(r => r.UserId == userId));

    /// <summary>The entity read rule: an entity is readable by the agency that holds it.</summary>
    public static readonly AgencyRule<Entity> EntityReadRule = new((entity, agencyId) => entity.AgencyId == agencyId);

    /// <summary>An agreement is visible to the users of its two agencies.</summary>
    public static readonly AgencyRule<SharingAgreement> AgreementVisibleRule = new(
        (agreement, agencyId) => agreement.ProposerAgencyId == agencyId || agreement.PartnerAgencyId == agencyId);

    /// <summary>
    /// A notice is visible to its issuing agency in every state, and to its recipient agencies once it is issued
    /// (and after, when cancelled, so the cancellation reaches them).
    /// </summary>
    public static readonly AgencyRule<Notice> NoticeVisibleRule = new(
        (notice, agencyId) => notice.IssuerAgencyId == agencyId
                              || ((notice.Status == NoticeStatus.Issued || notice.Status == NoticeStatus.Cancelled)
                                  && notice.Recipients.Any(r => r.AgencyId == agencyId)));

    private static readonly Func<Record, Guid, Classification, Guid, DateTimeOffset, bool> RecordReadCheck = RecordReadRule.Compile();

    /// <summary>Records the principal may read, as a filter for queries.</summary>
    public static Expression<Func<Record, bool>> ReadableRecords(Principal principal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return PolicyExpressions.Bind(RecordReadRule, principal.AgencyId, principal.Clearance, principal.UserId, now);
    }

    public static bool CanRead(Principal principal, Record record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(record);
        return RecordReadCheck(record, principal.AgencyId, principal.Clearance, principal.UserId, now);
    }

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

    /// <summary>Whether the principal may change a record they can read. The caller checks <see cref="CanRead"/> first (404 before 403).</summary>
    public static PolicyDecision CanUpdate(Principal principal, Record record, RecordContent newContent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!CanRead(principal, record, now))
        {
            return PolicyDecision.NotVisible;
        }

        return CanCreate(principal, newContent);
    }

    /// <summary>Deletion: the author, or the agency's legal reviewers and administrators.</summary>
    public static PolicyDecision CanDelete(Principal principal, Record record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(record);
        if (!CanRead(principal, record, now))
        {
            return PolicyDecision.NotVisible;
        }

        return record.AuthorUserId == principal.UserId || principal.Has(Role.LegalReviewer) || principal.Has(Role.Administrator)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only the author, a legal reviewer or an administrator may delete a record");
    }

    /// <summary>Entities the principal may read, as a filter for queries: those their agency holds.</summary>
    public static Expression<Func<Entity, bool>> ReadableEntities(Principal principal) => EntityReadRule.For(principal);

    public static bool CanRead(Principal principal, Entity entity) => EntityReadRule.Allows(principal, entity);

    /// <summary>Account administration: administrators manage the users of their own agency.</summary>
    public static PolicyDecision CanManageUsers(Principal principal, Guid agencyId)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!principal.Has(Role.Administrator))
        {
            return PolicyDecision.Deny("only administrators manage user accounts");
        }

        return principal.AgencyId == agencyId
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("administrators manage only their own agency's users");
    }

    /// <summary>Registering a new agency on this node is an administrator's act.</summary>
    public static PolicyDecision CanManageAgencies(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Has(Role.Administrator)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only administrators register agencies");
    }

    public static Expression<Func<SharingAgreement, bool>> VisibleAgreements(Principal principal) => AgreementVisibleRule.For(principal);

    /// <summary>Proposing, accepting, suspending, resuming and ending agreements is for the parties' administrators.</summary>
    public static PolicyDecision CanManageAgreements(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Has(Role.Administrator)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only an agency's administrators propose, accept, suspend or end sharing agreements");
    }

    /// <summary>Reviewing records that reached their review date (extend or delete) is the legal reviewers' task.</summary>
    public static PolicyDecision CanReview(Principal principal, Record record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(record);
        if (!CanRead(principal, record, now))
        {
            return PolicyDecision.NotVisible;
        }

        return principal.Has(Role.LegalReviewer)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only legal reviewers review records");
    }

    public static Expression<Func<Notice, bool>> VisibleNotices(Principal principal) => NoticeVisibleRule.For(principal);

    /// <summary>Issuing, updating and cancelling notices: the issuing agency's analysts, field and liaison officers.</summary>
    public static PolicyDecision CanIssueNotices(Principal principal, Guid issuerAgencyId)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.AgencyId != issuerAgencyId)
        {
            return PolicyDecision.Deny("only the issuing agency changes its notices");
        }

        return WriterRoles.Any(principal.Has) ? PolicyDecision.Allow : PolicyDecision.Deny("only analysts, field officers and liaison officers issue notices");
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

    /// <summary>The audit trail is for the agency's legal reviewers and administrators.</summary>
    public static PolicyDecision CanReadAudit(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Has(Role.LegalReviewer) || principal.Has(Role.Administrator)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only legal reviewers and administrators read the audit trail");
    }
}
