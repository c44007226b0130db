using Jisr.Domain.Records;

namespace Jisr.Policy;

/// <summary>What waits for a principal's decision, for the home page's counts (no read of the records themselves).</summary>
public static partial class AccessPolicy
{
    /// <summary>
    /// Whether a declassification already shown to the principal (its list applies <see cref="DeclassificationShownRule"/>:
    /// their agency, a record they may read, a classification they are cleared for) waits for them: pending, and
    /// <see cref="CanDecideDeclassification"/>'s role and four-eyes rules hold.
    /// </summary>
    public static bool WaitsForDecision(Principal principal, Declassification declassification)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(declassification);
        return declassification.Status == DeclassificationStatus.Pending
               && principal.AgencyId == declassification.AgencyId
               && declassification.ProposedMarking.Classification <= principal.Clearance
               && principal.Has(Role.LegalReviewer)
               && principal.UserId != declassification.RequestedBy;
    }

    /// <summary>Whether an access grant waits for this administrator: pending, and <see cref="CanDecideGrant"/> allows it.</summary>
    public static bool WaitsForDecision(Principal principal, AccessGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return grant.Status == AccessGrantStatus.Pending && CanDecideGrant(principal, grant).IsAllowed;
    }
}
