namespace Jisr.Policy;

/// <summary>Who administers accounts and agencies, and what an administrator may grant.</summary>
public static partial class AccessPolicy
{
    /// <summary>Roles that make an account an administrator of something: granting one always needs a second administrator.</summary>
    private static readonly Role[] AdministratorRoles = [Role.Administrator, Role.NodeAdministrator];

    /// <summary>Account administration: administrators manage the users of their own agency.</summary>
    public static PolicyDecision CanManageUsers(Principal principal, AgencyId agencyId)
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

    /// <summary>
    /// Giving a user of <paramref name="targetAgencyId"/> these <paramref name="roles"/> and this
    /// <paramref name="clearance"/> (a new user, or a change of access): the administrators of that agency, up to their
    /// own clearance and their own administrative rights. Whether a second administrator must approve is
    /// <see cref="GrantNeedsSecondAdministrator"/>.
    /// </summary>
    public static PolicyDecision CanManageUser(Principal principal, AgencyId targetAgencyId, IReadOnlyCollection<Role> roles, Classification clearance)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var administering = CanManageUsers(principal, targetAgencyId);
        if (!administering.IsAllowed)
        {
            return administering;
        }

        // An administrator cannot open a door they may not pass themselves: no clearance above their own.
        if (clearance > principal.Clearance)
        {
            return PolicyDecision.Deny($"you cannot grant a clearance above your own ({Marking.ClassificationNames[principal.Clearance]})");
        }

        return roles.Contains(Role.NodeAdministrator) && !principal.Has(Role.NodeAdministrator)
            ? PolicyDecision.Deny("only a node administrator grants the node-administrator role")
            : PolicyDecision.Allow;
    }

    /// <summary>
    /// Changing another account of the administrator's agency (disable, enable, reset its password, revoke its
    /// tokens, change its access): never one's own, so no administrator widens or rescues their own access alone.
    /// </summary>
    public static PolicyDecision CanChangeAccount(Principal principal, AgencyId targetAgencyId, UserId target)
    {
        var administering = CanManageUsers(principal, targetAgencyId);
        if (!administering.IsAllowed)
        {
            return administering;
        }

        return principal.UserId != target
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("administrators do not change their own account's access: another administrator of your agency must");
    }

    /// <summary>
    /// A change from <paramref name="before"/> to <paramref name="after"/> that needs a second administrator's
    /// approval: it grants an administrator role, or it gives one person both an administrator role and the legal
    /// reviewer role (who could then create a requester and approve their releases alone).
    /// </summary>
    public static bool GrantNeedsSecondAdministrator(IReadOnlyCollection<Role> before, IReadOnlyCollection<Role> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var addsAdministration = AdministratorRoles.Any(r => after.Contains(r) && !before.Contains(r));
        var joinsFourEyesPair = after.Contains(Role.LegalReviewer) && AdministratorRoles.Any(after.Contains)
            && !(before.Contains(Role.LegalReviewer) && AdministratorRoles.Any(before.Contains));
        return addsAdministration || joinsFourEyesPair;
    }

    /// <summary>
    /// Approving or refusing a pending grant: another administrator of the same agency, not the one who asked and not
    /// the one who receives it, who could have granted it themselves.
    /// </summary>
    public static PolicyDecision CanDecideGrant(Principal principal, AccessGrant grant)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(grant);
        if (principal.AgencyId != grant.AgencyId)
        {
            return PolicyDecision.NotVisible;
        }

        if (principal.UserId == grant.RequestedBy || principal.UserId == grant.UserId)
        {
            return PolicyDecision.Deny("four-eyes rule: a grant is approved by an administrator who neither asked for it nor receives it");
        }

        return CanManageUser(principal, grant.AgencyId, grant.Roles, grant.Clearance);
    }

    /// <summary>
    /// Whether signing in with a password needs a second factor (a TOTP code): for those who administer accounts or
    /// approve what leaves the agency, whose stolen password would do the most harm.
    /// </summary>
    public static bool SignInNeedsSecondFactor(IReadOnlyCollection<Role> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return roles.Contains(Role.Administrator) || roles.Contains(Role.NodeAdministrator) || roles.Contains(Role.LegalReviewer);
    }

    /// <summary>Registering a new agency is the node operator's act: node administrators only.</summary>
    public static PolicyDecision CanManageAgencies(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Has(Role.NodeAdministrator)
            ? PolicyDecision.Allow
            : PolicyDecision.Deny("only node administrators register agencies");
    }
}
