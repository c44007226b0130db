namespace Jisr.Server.Application;

/// <summary>
/// The agencies registered on this node (a directory every user reads; administrators register new ones) and the
/// users of the caller's agency (its administrators list, read and create them). Every decision is the policy's.
/// </summary>
public sealed class AccountAdministration(AccountService accounts, TokenCache tokens, TimeProvider time)
{
    public Task<List<Agency>> ListAgenciesAsync(CancellationToken cancellationToken) => accounts.ListAgenciesAsync(cancellationToken);

    public async Task<Outcome<Agency>> ReadAgencyAsync(string code, CancellationToken cancellationToken) =>
        Change.Found(await accounts.FindAgencyAsync(code, cancellationToken), $"agency {code}");

    public async Task<Outcome<Agency>> CreateAgencyAsync(Principal caller, AgencyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refusal.Of(AccessPolicy.CanManageAgencies(caller), "agencies") is { } refused)
        {
            return refused;
        }

        var agency = Agency.Create(request.Code, request.Name, request.Country, time.GetUtcNow());
        return await accounts.CreateAgencyAsync(agency, By(caller, AuditActions.AgencyCreate), cancellationToken);
    }

    /// <summary>The users of the caller's agency; the read is audited.</summary>
    public async Task<Outcome<List<JisrUser>>> ListUsersAsync(Principal caller, CancellationToken cancellationToken)
    {
        if (AdministeringUsers(caller) is { } refused)
        {
            return refused;
        }

        return await accounts.ReadUsersAsync(caller, cancellationToken);
    }

    /// <summary>A user of the caller's agency (another agency's users look missing); the read is audited.</summary>
    public async Task<Outcome<JisrUser>> ReadUserAsync(Principal caller, Guid id, CancellationToken cancellationToken)
    {
        if (AdministeringUsers(caller) is { } refused)
        {
            return refused;
        }

        return Change.Found(await accounts.ReadUserAsync(caller, id, cancellationToken), $"user {id}");
    }

    /// <summary>
    /// A new user of the caller's agency. Who administers the agency's users is decided before the request is read
    /// (a refused caller learns nothing about it); the roles and clearance it grants are then decided with it.
    /// </summary>
    public async Task<Outcome<JisrUser>> CreateUserAsync(Principal caller, UserRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (refused, roles, clearance) = AccessToGrant(caller, request.Roles, request.Clearance);
        if (refused is not null)
        {
            return refused;
        }

        if (AccessPolicy.GrantNeedsSecondAdministrator([], roles))
        {
            return Refusal.Forbidden("administrator rights (and the legal-reviewer role beside them) need a second administrator: create the user without them, then ask for them with PUT /api/v1/users/{id}/access");
        }

        return await accounts.CreateUserAsync(
            caller.AgencyId, request.UserName ?? string.Empty, request.DisplayName, roles, clearance, request.Password, By(caller, AuditActions.UserCreate), cancellationToken: cancellationToken);
    }

    /// <summary>Disables or enables another account of the caller's agency; its sessions end and its tokens stop at once.</summary>
    public Task<Outcome<JisrUser>> SetDisabledAsync(Principal caller, Guid id, bool disabled, CancellationToken cancellationToken) =>
        ChangeAccountAsync(caller, id, async user =>
        {
            await accounts.SetDisabledAsync(user, disabled, By(caller, AuditActions.UserDisable), cancellationToken);
            return user;
        }, cancellationToken);

    /// <summary>
    /// New roles and clearance for another account: applied at once, or, when they need a second administrator, kept as
    /// a pending <see cref="AccessGrant"/> (the value is then the grant, and the account is unchanged).
    /// </summary>
    public async Task<Outcome<AccessChange>> ChangeAccessAsync(Principal caller, Guid id, UserAccessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (refused, roles, clearance) = AccessToGrant(caller, request.Roles, request.Clearance);
        if (refused is not null)
        {
            return refused;
        }

        return await ChangeAccountAsync(caller, id, async user =>
        {
            if (AccessPolicy.GrantNeedsSecondAdministrator(user.Roles, roles))
            {
                var grant = AccessGrant.Request(caller.AgencyId, new UserId(user.Id), user.Roles, user.Clearance, roles, clearance, caller.UserId, time.GetUtcNow());
                await accounts.RequestGrantAsync(grant, By(caller, AuditActions.GrantRequest), cancellationToken);
                return new AccessChange(user, grant);
            }

            await accounts.ChangeAccessAsync(user, roles, clearance, By(caller, AuditActions.UserAccessChange), cancellationToken);
            return new AccessChange(user, null);
        }, cancellationToken);
    }

    /// <summary>The grants of the caller's agency waiting for (or decided by) a second administrator.</summary>
    public async Task<Outcome<List<AccessGrant>>> ListGrantsAsync(Principal caller, CancellationToken cancellationToken)
    {
        if (AdministeringUsers(caller) is { } refused)
        {
            return refused;
        }

        return await accounts.ReadGrantsAsync(caller, cancellationToken);
    }

    /// <summary>The second administrator approves (the account gets the access now) or refuses a pending grant.</summary>
    public async Task<Outcome<AccessGrant>> DecideGrantAsync(Principal caller, Guid id, bool approve, CancellationToken cancellationToken)
    {
        var grant = await accounts.FindGrantForChangeAsync(caller.AgencyId, id, cancellationToken);
        if (grant is null)
        {
            return Refusal.NotFound($"grant {id}");
        }

        if (Refusal.Of(AccessPolicy.CanDecideGrant(caller, grant), $"grant {id}") is { } refused)
        {
            return refused;
        }

        await accounts.DecideGrantAsync(grant, approve, By(caller, approve ? AuditActions.GrantApprove : AuditActions.GrantRefuse), cancellationToken);
        if (approve)
        {
            tokens.ForgetUser(grant.UserId.Value);
        }

        return grant;
    }

    /// <summary>Sets a new password on another account (its sessions end); the user signs in with it.</summary>
    public Task<Outcome<JisrUser>> ResetPasswordAsync(Principal caller, Guid id, PasswordResetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChangeAccountAsync(caller, id, async user =>
        {
            await accounts.ResetPasswordAsync(user, request.Password ?? string.Empty, By(caller, AuditActions.UserPasswordReset), cancellationToken);
            return user;
        }, cancellationToken);
    }

    /// <summary>Revokes every API token of another account (a lost laptop, a leaving officer).</summary>
    public Task<Outcome<JisrUser>> RevokeTokensAsync(Principal caller, Guid id, CancellationToken cancellationToken) =>
        ChangeAccountAsync(caller, id, async user =>
        {
            foreach (var tokenId in await accounts.RevokeAllTokensAsync(user, By(caller, AuditActions.UserTokensRevoke), cancellationToken))
            {
                tokens.Forget(tokenId);
            }

            return user;
        }, cancellationToken);

    /// <summary>
    /// The one shape of a change to another account: administrators of the agency only (decided before anything is
    /// read), the account must be one of the agency's (else 404), never the caller's own; tokens cached for the
    /// account are dropped so the change holds at the next request.
    /// </summary>
    private async Task<Outcome<T>> ChangeAccountAsync<T>(Principal caller, Guid id, Func<JisrUser, Task<T>> change, CancellationToken cancellationToken)
    {
        if (AdministeringUsers(caller) is { } refused)
        {
            return refused;
        }

        var user = await accounts.FindUserForChangeAsync(caller.AgencyId, id, cancellationToken);
        if (user is null)
        {
            return Refusal.NotFound($"user {id}");
        }

        if (Refusal.Of(AccessPolicy.CanChangeAccount(caller, caller.AgencyId, new UserId(user.Id)), $"user {id}") is { } refusedChange)
        {
            return refusedChange;
        }

        var result = await change(user);
        tokens.ForgetUser(user.Id);
        return result;
    }

    /// <summary>
    /// The roles and clearance a request asks to give, once the policy lets the caller administer users (asked first,
    /// so a refused caller's input is not even read) and give exactly those; otherwise the refusal.
    /// </summary>
    private static (Refusal? Refused, List<Role> Roles, Classification Clearance) AccessToGrant(Principal caller, IReadOnlyList<string>? roles, string? clearance)
    {
        if (AdministeringUsers(caller) is { } refused)
        {
            return (refused, [], default);
        }

        List<Role> parsedRoles = [.. (roles ?? []).Select((r, i) => Roles.Names.Parse(r, $"roles[{i}]"))];
        var parsedClearance = Marking.ClassificationNames.Parse(clearance, "clearance");
        return (Refusal.Of(AccessPolicy.CanManageUser(caller, caller.AgencyId, parsedRoles, parsedClearance), "users"), parsedRoles, parsedClearance);
    }

    private static Refusal? AdministeringUsers(Principal caller) => Refusal.Of(AccessPolicy.CanManageUsers(caller, caller.AgencyId), "users");

    private static AuditEvent By(Principal caller, string action) => new(action, caller.UserId, caller.UserName, caller.AgencyId);
}

/// <summary>What a change of access did: applied to <see cref="User"/>, or kept as a pending <see cref="Grant"/>.</summary>
public sealed record AccessChange(JisrUser User, AccessGrant? Grant);
