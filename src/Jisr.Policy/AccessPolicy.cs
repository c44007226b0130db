using System.Linq.Expressions;
using Jisr.Domain.Entities;
using Jisr.Domain.Records;
using Jisr.Domain.Users;

namespace Jisr.Policy;

/// <summary>
/// The one place that decides who may see or change what. Every decision is a pure function of
/// (principal, resource, time). Queries use the <c>…Filter</c> expressions so storage never fetches what
/// the caller may not see; single checks use the matching <c>Can…</c> methods, and a property test proves the
/// two always agree.
/// </summary>
/// <remarks>
/// Current rules (tenancy): a user sees only their own agency's records, never one classified above their
/// clearance, and never one past its retention end. Sharing across agencies extends these rules here.
/// </remarks>
public static class AccessPolicy
{
    private static readonly Role[] WriterRoles = [Role.Analyst, Role.FieldOfficer, Role.LiaisonOfficer];

    /// <summary>Records the principal may read, as a filter for queries.</summary>
    public static Expression<Func<Record, bool>> ReadableRecords(Principal principal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var agencyId = principal.AgencyId;
        var clearance = principal.Clearance;
        return r => r.OriginatorAgencyId == agencyId
                    && r.Marking.Classification <= clearance
                    && r.RetentionUntil > now;
    }

    public static bool CanRead(Principal principal, Record record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(record);
        return record.OriginatorAgencyId == principal.AgencyId
               && record.Marking.Classification <= principal.Clearance
               && record.RetentionUntil > now;
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
    public static Expression<Func<Entity, bool>> ReadableEntities(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var agencyId = principal.AgencyId;
        return e => e.AgencyId == agencyId;
    }

    public static bool CanRead(Principal principal, Entity entity)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(entity);
        return entity.AgencyId == principal.AgencyId;
    }

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

    /// <summary>The audit trail is for the agency's legal reviewers and administrators.</summary>
    public static PolicyDecision CanReadAudit(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Has(Role.LegalReviewer) || principal.Has(Role.Administrator)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only legal reviewers and administrators read the audit trail");
    }
}
