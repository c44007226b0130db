namespace Jisr.Storage.Accounts;

public enum SignInOutcome
{
    Succeeded,

    /// <summary>Unknown user, wrong password or disabled account: one outcome, so the answer tells a stranger nothing.</summary>
    InvalidCredentials,

    /// <summary>The password is right but the account signs in with a second factor, and the code is missing or wrong.</summary>
    SecondFactorRequired,

    /// <summary>The password is right but the account must sign in with a second factor and has none set up yet.</summary>
    SecondFactorNotSetUp,

    /// <summary>Not tried: too many attempts on this name or from this client (the node's throttle decides, before storage).</summary>
    TooManyAttempts,
}

/// <summary>
/// The outcome of a password check; on success the principal and the account's session stamp, which a session carries
/// and which changes at sign-out (so every session of the account ends at once).
/// </summary>
public sealed record SignInResult(SignInOutcome Outcome, Principal? Principal, string? SessionStamp = null);

/// <summary>Agencies, user accounts, sign-in and API tokens; every change is audited.</summary>
public sealed partial class AccountService(JisrDbContext db, UserManager<JisrUser> users, AuditLog audit, TimeProvider time)
{
    public const int MaxUserNameLength = 64;

    public Task<Agency?> FindAgencyAsync(string code, CancellationToken cancellationToken = default)
    {
        var normalized = code.Trim().ToUpperInvariant();
        return db.Agencies.AsNoTracking().FirstOrDefaultAsync(a => a.Code == normalized, cancellationToken);
    }

    public Task<List<Agency>> ListAgenciesAsync(CancellationToken cancellationToken = default) =>
        db.Agencies.AsNoTracking().OrderBy(a => a.Code).ToListAsync(cancellationToken);

    /// <summary>Registers an agency; refuses a code that exists already.</summary>
    public async Task<Agency> CreateAgencyAsync(Agency agency, AuditEvent? by = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agency);
        if (await db.Agencies.AnyAsync(a => a.Code == agency.Code, cancellationToken))
        {
            throw DomainValidationException.Coded("code", ValidationCodes.AgencyCodeTaken, $"an agency with code {agency.Code} exists already", agency.Code);
        }

        db.Agencies.Add(agency);
        try
        {
            await audit.SaveWithAuditAsync(db, (by ?? new AuditEvent(AuditActions.AgencyCreate, ActorName: "jisr-cli")) with
            {
                Action = AuditActions.AgencyCreate,
                TargetType = AuditTargets.Agency,
                TargetId = agency.Code,
            }, cancellationToken);
        }
        catch (DbUpdateException exception) when (StorageErrors.IsUniqueViolation(exception, "Agencies"))
        {
            // Another request or process registered the same code between the check above and this save.
            db.ChangeTracker.Clear();
            throw new DomainStateException($"an agency with code {agency.Code} exists already");
        }

        return agency;
    }

    /// <summary>Creates a user of an agency. With no password the account can only use API tokens until one is set.</summary>
    public async Task<JisrUser> CreateUserAsync(
        AgencyId agencyId,
        string userName,
        string? displayName,
        IReadOnlyCollection<Role> roles,
        Classification clearance,
        string? password,
        AuditEvent by,
        UserId? id = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        var name = Guard.Text(userName, "userName", MaxUserNameLength).ToLowerInvariant();
        Guard.That(roles.Count > 0, "roles", ValidationCodes.RequiredOneOf, $"at least one role is required (one of: {string.Join(", ", Roles.Names.All)})", string.Join(", ", Roles.Names.All));
        Guard.That(Enum.IsDefined(clearance), "clearance", ValidationCodes.UnknownValue, "is not a known classification");
        Guard.That(await db.Agencies.AnyAsync(a => a.Id == agencyId, cancellationToken), "agency", ValidationCodes.UnknownValue, "is not a known agency");
        var now = time.GetUtcNow();
        var user = new JisrUser
        {
            Id = id?.Value ?? Guid.CreateVersion7(now),
            UserName = name,
            AgencyId = agencyId,
            DisplayName = Guard.OptionalText(displayName, "displayName", 200) ?? name,
            Roles = [.. roles.Distinct().Order()],
            Clearance = clearance,
            CreatedAt = now,
            LockoutEnabled = false,
        };

        // The user store does not save on its own (JisrUserStore): the account and its audit entry commit together.
        var result = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            var error = result.Errors.First();
            if (error.Code == nameof(IdentityErrorDescriber.DuplicateUserName))
            {
                throw DuplicateUser(name);
            }

            var field = error.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "userName";
            throw IdentityRefusal.Of(field, error);
        }

        try
        {
            await audit.SaveWithAuditAsync(db, by with { Action = AuditActions.UserCreate, TargetType = AuditTargets.User, TargetId = user.Id.ToString("D"), Detail = name }, cancellationToken);
        }
        catch (DbUpdateException exception) when (StorageErrors.IsUniqueViolation(exception, "AspNetUsers"))
        {
            // A concurrent request (or another process) created the same name after the check above: a conflict, not a failure.
            db.ChangeTracker.Clear();
            throw DuplicateUser(name);
        }

        return user;
    }

    private static DomainStateException DuplicateUser(string name) => new($"a user named {name} exists already; choose another name");

    public Task<JisrUser?> FindUserAsync(string userName) => users.FindByNameAsync(userName.Trim().ToLowerInvariant());

    /// <summary>The users of the caller's agency; the read is audited.</summary>
    public async Task<List<JisrUser>> ReadUsersAsync(Principal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var users = await db.Users.AsNoTracking().Where(u => u.AgencyId == principal.AgencyId).OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.UserList, detail: $"{users.Count} users"));
        return users;
    }

    /// <summary>A user of the caller's agency, or null (another agency's users look missing); the read is audited.</summary>
    public async Task<JisrUser?> ReadUserAsync(Principal principal, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.AgencyId == principal.AgencyId, cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.UserRead, AuditTargets.User, id.ToString("D"), user is not null));
        return user;
    }

    /// <summary>
    /// Checks a password; both outcomes are audited. There is no lockout: a lockout lets any stranger shut a colleague
    /// out, so repeated attempts are slowed by the node's rate limits instead. A disabled account fails like a wrong password.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string userName, string password, string? secondFactorCode = null, CancellationToken cancellationToken = default)
    {
        var user = await FindUserAsync(userName);
        if (user is null)
        {
            await audit.AppendAsync(new AuditEvent(AuditActions.SignIn, ActorName: Clip(userName), Outcome: AuditOutcomes.InvalidCredentials));
            return new SignInResult(SignInOutcome.InvalidCredentials, null);
        }

        var passwordMatches = await users.CheckPasswordAsync(user, password);
        var (outcome, auditOutcome) = !passwordMatches ? (SignInOutcome.InvalidCredentials, AuditOutcomes.InvalidCredentials)
            : user.DisabledAt is not null ? (SignInOutcome.InvalidCredentials, AuditOutcomes.Disabled)
            : await SecondFactorAsync(user, secondFactorCode);
        await audit.AppendAsync(new AuditEvent(AuditActions.SignIn, new UserId(user.Id), user.UserName, user.AgencyId, Outcome: auditOutcome));
        return outcome == SignInOutcome.Succeeded
            ? new SignInResult(outcome, await PrincipalForAsync(user, cancellationToken), user.SecurityStamp)
            : new SignInResult(outcome, null);
    }

    /// <summary>
    /// The second-factor step of a sign-in whose password was right: required of the roles
    /// <see cref="AccessPolicy.SignInNeedsSecondFactor"/> names, and of anyone who set one up.
    /// </summary>
    private async Task<(SignInOutcome Outcome, string AuditOutcome)> SecondFactorAsync(JisrUser user, string? code)
    {
        if (!user.TwoFactorEnabled)
        {
            return AccessPolicy.SignInNeedsSecondFactor(user.Roles)
                ? (SignInOutcome.SecondFactorNotSetUp, AuditOutcomes.SecondFactorNotSetUp)
                : (SignInOutcome.Succeeded, AuditOutcomes.Success);
        }

        return !string.IsNullOrWhiteSpace(code) && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code.Replace(" ", string.Empty, StringComparison.Ordinal))
            ? (SignInOutcome.Succeeded, AuditOutcomes.Success)
            : (SignInOutcome.SecondFactorRequired, AuditOutcomes.SecondFactorWrong);
    }

    /// <summary>A sign-in the node's throttle did not try (too many attempts on the name or from the client), audited.</summary>
    public Task RecordThrottledSignInAsync(string userName) =>
        audit.AppendAsync(new AuditEvent(AuditActions.SignIn, ActorName: Clip(userName), Outcome: AuditOutcomes.TooManyAttempts));

    /// <summary>
    /// The principal a session stands for now: null when the account is gone, disabled or signed out since the session
    /// began (its stamp changed). Roles and clearance are read afresh, so a change takes effect at the next request.
    /// </summary>
    public async Task<Principal?> SessionPrincipalAsync(UserId userId, string sessionStamp, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId.Value, cancellationToken);
        if (user is null || user.SecurityStamp != sessionStamp || user.DisabledAt is not null)
        {
            return null;
        }

        return await PrincipalForAsync(user, cancellationToken);
    }

    /// <summary>Signs the user out of every session: their session stamp changes, with its audit entry.</summary>
    public async Task SignOutAsync(Principal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var user = await users.FindByIdAsync(principal.UserId.ToString());
        if (user is null)
        {
            return;
        }

        await users.UpdateSecurityStampAsync(user);
        await audit.SaveWithAuditAsync(db, new AuditEvent(AuditActions.SignOut, principal.UserId, principal.UserName, principal.AgencyId), cancellationToken);
    }

    /// <summary>
    /// The policy principal behind an API token, or null when the user no longer exists or is disabled. Wrong
    /// passwords never stop the user's tokens: a stranger's guesses must not cut an analyst's tools off.
    /// </summary>
    public async Task<Principal?> PrincipalForAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || user.DisabledAt is not null)
        {
            return null;
        }

        return await PrincipalForAsync(user, cancellationToken);
    }

    /// <summary>Issues a personal API token for <paramref name="userId"/>; the token row and its audit entry commit together.</summary>
    public async Task<IssuedToken> IssueTokenAsync(UserId userId, string tokenName, DateTimeOffset? expiresAt, AuditEvent by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        var issued = ApiTokens.Issue(userId.Value, tokenName, time.GetUtcNow(), expiresAt);
        db.ApiTokens.Add(issued.Token);
        await audit.SaveWithAuditAsync(db, by with { Action = AuditActions.TokenCreate, TargetType = AuditTargets.User, TargetId = userId.ToString(), Detail = issued.Token.Name }, cancellationToken);
        return issued;
    }

    /// <summary>The active token row for a presented token string, or null when it is unknown, expired or revoked.</summary>
    public Task<ApiToken?> FindActiveTokenAsync(string presented, CancellationToken cancellationToken = default) =>
        ApiTokens.FindActiveAsync(db, presented, time.GetUtcNow(), cancellationToken);

    public Task<List<ApiToken>> ListTokensAsync(UserId userId, CancellationToken cancellationToken = default) =>
        db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId.Value).OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>Revokes one of the user's own tokens; false when there is no such token of theirs.</summary>
    public async Task<bool> RevokeTokenAsync(Principal owner, Guid tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == owner.UserId.Value, cancellationToken);
        if (token is null)
        {
            return false;
        }

        token.RevokedAt ??= time.GetUtcNow();
        await audit.SaveWithAuditAsync(db, new AuditEvent(AuditActions.TokenRevoke, owner.UserId, owner.UserName, owner.AgencyId, AuditTargets.Token, tokenId.ToString("D")), cancellationToken);
        return true;
    }

    private async Task<Principal> PrincipalForAsync(JisrUser user, CancellationToken cancellationToken)
    {
        var code = await db.Agencies.AsNoTracking().Where(a => a.Id == user.AgencyId).Select(a => a.Code).FirstAsync(cancellationToken);
        return new Principal(new UserId(user.Id), user.UserName ?? string.Empty, user.AgencyId, code, user.Roles.ToHashSet(), user.Clearance);
    }

    private static string Clip(string text) => text.Length <= MaxUserNameLength ? text : text[..MaxUserNameLength];
}
