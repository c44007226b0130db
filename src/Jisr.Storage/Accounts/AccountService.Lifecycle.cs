namespace Jisr.Storage.Accounts;

/// <summary>
/// An account's life after it is created: disabled and enabled, its access changed (directly or through a grant a
/// second administrator approves), its password reset, its tokens revoked. Who may do which is the policy's
/// decision, made by the caller; every change here commits with its audit entry, and every change that affects
/// access renews the account's session stamp, so its open sessions end at once.
/// </summary>
public sealed partial class AccountService
{
    /// <summary>A user of <paramref name="agencyId"/>, tracked for a change; null when there is none (or another agency's).</summary>
    public Task<JisrUser?> FindUserForChangeAsync(AgencyId agencyId, Guid id, CancellationToken cancellationToken = default) =>
        db.Users.FirstOrDefaultAsync(u => u.Id == id && u.AgencyId == agencyId, cancellationToken);

    public async Task SetDisabledAsync(JisrUser user, bool disabled, AuditEvent by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(by);
        user.DisabledAt = disabled ? user.DisabledAt ?? time.GetUtcNow() : null;
        await users.UpdateSecurityStampAsync(user);
        await SaveUserChangeAsync(user, by with { Action = disabled ? AuditActions.UserDisable : AuditActions.UserEnable }, null, cancellationToken);
    }

    /// <summary>Gives the user these roles and this clearance at once (the policy found no second administrator is needed).</summary>
    public async Task ChangeAccessAsync(JisrUser user, IReadOnlyCollection<Role> roles, Classification clearance, AuditEvent by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(by);
        await ApplyAccessAsync(user, roles, clearance);
        await SaveUserChangeAsync(user, by with { Action = AuditActions.UserAccessChange }, Describe(roles, clearance), cancellationToken);
    }

    /// <summary>Records a grant that waits for a second administrator.</summary>
    public async Task RequestGrantAsync(AccessGrant grant, AuditEvent by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(by);
        db.AccessGrants.Add(grant);
        await audit.SaveWithAuditAsync(db, GrantEvent(grant, by with { Action = AuditActions.GrantRequest }), cancellationToken);
    }

    /// <summary>The agency's grants, pending first; the read is audited.</summary>
    public async Task<List<AccessGrant>> ReadGrantsAsync(Policy.Principal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var grants = await db.AccessGrants.AsNoTracking().Where(g => g.AgencyId == principal.AgencyId)
            .OrderBy(g => g.Status).ThenByDescending(g => g.RequestedAt).Take(500).ToListAsync(cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.GrantList, detail: $"{grants.Count} grants"));
        return grants;
    }

    public Task<AccessGrant?> FindGrantForChangeAsync(AgencyId agencyId, Guid id, CancellationToken cancellationToken = default) =>
        db.AccessGrants.FirstOrDefaultAsync(g => g.Id == id && g.AgencyId == agencyId, cancellationToken);

    /// <summary>
    /// Approves a grant and gives its user the access in the same transaction, or refuses it. An approval of a grant
    /// whose account changed since it was asked is a conflict: the administrators must ask again on what is there now.
    /// </summary>
    public async Task DecideGrantAsync(AccessGrant grant, bool approve, AuditEvent by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(by);
        var now = time.GetUtcNow();
        var decider = by.ActorUserId ?? throw new ArgumentException("a grant is decided by a user", nameof(by));
        if (!approve)
        {
            grant.Refuse(decider, now);
            await audit.SaveWithAuditAsync(db, GrantEvent(grant, by with { Action = AuditActions.GrantRefuse }), cancellationToken);
            return;
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == grant.UserId.Value, cancellationToken)
            ?? throw new DomainStateException("the account this grant is for no longer exists");
        grant.Approve(decider, user.Roles, user.Clearance, now);
        await ApplyAccessAsync(user, grant.Roles, grant.Clearance);
        await audit.SaveWithAuditAsync(db, GrantEvent(grant, by with { Action = AuditActions.GrantApprove }), cancellationToken);
    }

    /// <summary>Sets a new password chosen by an administrator; the account's sessions end.</summary>
    public async Task ResetPasswordAsync(JisrUser user, string password, AuditEvent by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(by);
        // Checked by the node's password rules, then set with one update of the account (a new stamp: sessions end).
        foreach (var validator in users.PasswordValidators)
        {
            Check(await validator.ValidateAsync(users, user, password));
        }

        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        await users.UpdateSecurityStampAsync(user);
        await SaveUserChangeAsync(user, by with { Action = AuditActions.UserPasswordReset }, null, cancellationToken);
    }

    /// <summary>Revokes every active token of the user; returns the ids revoked (the caller drops them from its caches).</summary>
    public async Task<List<Guid>> RevokeAllTokensAsync(JisrUser user, AuditEvent by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(by);
        var now = time.GetUtcNow();
        var tokens = await db.ApiTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var token in tokens)
        {
            token.RevokedAt = now;
        }

        await SaveUserChangeAsync(user, by with { Action = AuditActions.UserTokensRevoke }, $"{tokens.Count} tokens", cancellationToken);
        return [.. tokens.Select(t => t.Id)];
    }

    /// <summary>
    /// A new authenticator key (TOTP, RFC 6238) for the user; any earlier one stops working. With
    /// <paramref name="enable"/> false the user confirms it with a first code (<see cref="ConfirmSecondFactorAsync"/>)
    /// before it is required; the node's operator enrols a user directly (true).
    /// </summary>
    public async Task<SecondFactorKey> ResetSecondFactorAsync(JisrUser user, bool enable, AuditEvent by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(by);
        user.TwoFactorEnabled = enable;
        Check(await users.ResetAuthenticatorKeyAsync(user));
        var key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("the authenticator key was not stored");
        await SaveUserChangeAsync(user, by with { Action = AuditActions.SecondFactorReset }, null, cancellationToken);
        return new SecondFactorKey(key, $"otpauth://totp/Jisr:{Uri.EscapeDataString(user.UserName ?? string.Empty)}?secret={key}&issuer=Jisr&digits=6&period=30");
    }

    /// <summary>Turns the second factor on once the user proves their app has the key; false (nothing changed) for a wrong code.</summary>
    public async Task<bool> ConfirmSecondFactorAsync(JisrUser user, string code, AuditEvent by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(by);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code.Replace(" ", string.Empty, StringComparison.Ordinal)))
        {
            return false;
        }

        user.TwoFactorEnabled = true;
        await SaveUserChangeAsync(user, by with { Action = AuditActions.SecondFactorConfirm }, null, cancellationToken);
        return true;
    }

    private async Task ApplyAccessAsync(JisrUser user, IEnumerable<Role> roles, Classification clearance)
    {
        user.Roles = [.. roles.Distinct().Order()];
        user.Clearance = clearance;
        await users.UpdateSecurityStampAsync(user);
    }

    private Task SaveUserChangeAsync(JisrUser user, AuditEvent by, string? detail, CancellationToken cancellationToken) =>
        audit.SaveWithAuditAsync(db, by with { TargetType = AuditTargets.User, TargetId = user.Id.ToString("D"), Detail = detail ?? user.UserName }, cancellationToken);

    private static AuditEvent GrantEvent(AccessGrant grant, AuditEvent by) =>
        by with { TargetType = AuditTargets.Grant, TargetId = grant.Id.ToString("D"), Detail = $"user {grant.UserId.Value:D}: {Describe(grant.Roles, grant.Clearance)}" };

    private static string Describe(IEnumerable<Role> roles, Classification clearance) =>
        $"{string.Join(',', roles.Select(r => Roles.Names[r]))} / {Marking.ClassificationNames[clearance]}";

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw IdentityRefusal.Of("password", result.Errors.First());
        }
    }
}

/// <summary>An authenticator key (base32) and the <c>otpauth://</c> address an authenticator app reads as a QR code.</summary>
public sealed record SecondFactorKey(string Key, string Uri);
