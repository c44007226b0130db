namespace Jisr.Server.Endpoints;

/// <summary>
/// Sign-in, the caller's own account and tokens (see <see cref="OwnAccountService"/>), agencies and user
/// administration (<see cref="AccountAdministration"/>) and the audit trail (<see cref="AuditTrailService"/>).
/// </summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccountEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Accounts");
        auth.MapPost("/login", LoginAsync).AllowAnonymous().WithName("Login").RequireRateLimiting(SignInLimits.ClientPolicy)
            .Describe(
                "Sign in with a user name and password",
                "Sets the session cookie (jisr.session). Attempts are rate-limited per client and failed attempts per account name (429 with Retry-After); there is no lockout, and API tokens are never affected. Cookie-authenticated changes then need the antiforgery token (GET /api/v1/auth/antiforgery).")
            .Produces(StatusCodes.Status204NoContent)
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status429TooManyRequests);
        auth.MapPost("/second-factor", SetUpSecondFactorAsync).WithName("SetUpSecondFactor")
            .Describe("Set up a second factor (TOTP) for your account", "Returns a new authenticator key and its otpauth:// address; confirm it with a first code. Administrators and legal reviewers sign in with a password only together with a code.")
            .Produces<SecondFactorResponse>();
        auth.MapPost("/second-factor/confirm", ConfirmSecondFactorAsync).WithName("ConfirmSecondFactor")
            .Describe("Confirm your new second factor with a code from your authenticator app", "From now on signing in with a password needs a code.")
            .Produces(StatusCodes.Status204NoContent)
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);
        auth.MapGet("/antiforgery", IssueAntiforgeryToken).WithName("GetAntiforgeryToken")
            .Describe("Get the antiforgery token for this session", $"A browser session (cookie) sends it in the {CookieAntiforgery.HeaderName} header with every change (POST, PUT, PATCH, DELETE). Not needed with an API token.")
            .Produces<AntiforgeryTokenResponse>();
        auth.MapPost("/logout", (Delegate)LogoutAsync).WithName("Logout").Describe("Sign out", "Ends the session of the cookie.").Produces(StatusCodes.Status204NoContent);
        api.MapGet("/me", MeAsync).WithTags("Accounts").WithName("Me").Describe("Who you are", "Your user, agency, roles and clearance.").Produces<MeResponse>();

        var tokens = api.MapGroup("/tokens").WithTags("Accounts");
        tokens.MapGet("/", ListTokensAsync).WithName("ListTokens").ListsItems<IEnumerable<TokenResponse>>("List your API tokens", "Without the tokens themselves, which are stored hashed.");
        tokens.MapPost("/", CreateTokenAsync).WithName("CreateToken")
            .CreatesItem<IssuedTokenResponse>("Issue a personal API token", "The token is in this answer only: it cannot be shown again.");
        tokens.MapDelete("/{id:guid}", RevokeTokenAsync).WithName("RevokeToken").RemovesItem("Revoke one of your API tokens");

        var agencies = api.MapGroup("/agencies").WithTags("Agencies");
        agencies.MapGet("/", ListAgenciesAsync).WithName("ListAgencies").ListsItems<IEnumerable<AgencyResponse>>("List the agencies registered on this node");
        agencies.MapGet("/{code}", GetAgencyAsync).WithName("GetAgency").ReadsItem<AgencyResponse>("Read an agency by its code");
        agencies.MapPost("/", CreateAgencyAsync).WithName("CreateAgency")
            .CreatesItem<AgencyResponse>("Register an agency", "Administrators.")
            .Problems(StatusCodes.Status403Forbidden);

        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/", ListUsersAsync).WithName("ListUsers")
            .ListsItems<IEnumerable<UserResponse>>("List your agency's users", "Administrators.")
            .Problems(StatusCodes.Status403Forbidden);
        users.MapGet("/{id:guid}", GetUserAsync).WithName("GetUser").ReadsItem<UserResponse>("Read a user of your agency", "Administrators.").Problems(StatusCodes.Status403Forbidden);
        users.MapPost("/", CreateUserAsync).WithName("CreateUser")
            .CreatesItem<UserResponse>("Create a user in your agency", "Administrators: roles and clearance; a password to sign in with is optional (API tokens work without one). A name that exists already (also one created at the same moment) is 409.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        users.MapPost("/{id:guid}/disable", DisableUserAsync).WithName("DisableUser")
            .Describe("Disable a user of your agency", "Administrators, not on their own account. The user's sessions end and API tokens stop at once; nothing is deleted.")
            .Produces(StatusCodes.Status204NoContent).Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        users.MapPost("/{id:guid}/enable", EnableUserAsync).WithName("EnableUser")
            .Describe("Enable a disabled user of your agency", "Administrators, not on their own account.")
            .Produces(StatusCodes.Status204NoContent).Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        users.MapPut("/{id:guid}/access", ChangeAccessAsync).WithName("ChangeUserAccess")
            .ChangesItem<UserResponse>(
                "Change a user's roles and clearance",
                "Administrators, up to their own clearance, not on their own account. Granting administrator rights, or the legal-reviewer role beside them, needs a second administrator: the answer is then 202 with the pending grant, and the account is unchanged until another administrator approves it.")
            .Produces<AccessGrantResponse>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status403Forbidden);
        users.MapPut("/{id:guid}/password", ResetPasswordAsync).WithName("ResetUserPassword")
            .Describe("Set a new password for a user of your agency", "Administrators, not on their own account. The user's sessions end.")
            .Produces(StatusCodes.Status204NoContent)
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge);
        users.MapDelete("/{id:guid}/tokens", RevokeUserTokensAsync).WithName("RevokeUserTokens")
            .RemovesItem("Revoke every API token of a user of your agency", "Administrators, not on their own account.")
            .Problems(StatusCodes.Status403Forbidden);

        var grants = users.MapGroup("/grants");
        grants.MapGet("/", ListGrantsAsync).WithName("ListAccessGrants")
            .ListsItems<IEnumerable<AccessGrantResponse>>("List your agency's access grants", "Administrators: pending first. A grant is a change of access waiting for a second administrator.")
            .Problems(StatusCodes.Status403Forbidden);
        grants.MapPost("/{id:guid}/approve", ApproveGrantAsync).WithName("ApproveAccessGrant")
            .Describe("Approve a pending access grant", "Another administrator of the agency: not the one who asked, not the one who receives it. Refused with 409 when the account changed since the grant was asked for.")
            .Produces<AccessGrantResponse>().Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        grants.MapPost("/{id:guid}/refuse", RefuseGrantAsync).WithName("RefuseAccessGrant")
            .Describe("Refuse a pending access grant", "Another administrator of the agency.")
            .Produces<AccessGrantResponse>().Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        api.MapGet("/audit", ListAuditAsync).WithTags("Audit").WithName("ListAudit")
            .ListsItems<IEnumerable<AuditEntryResponse>>("Read your agency's audit trail", "Legal reviewers and administrators, newest first: who searched for what and why, who read a record. Reading it is itself audited.")
            .QueryParameter("action", "Only entries of this action, e.g. search, record.read, request.refused.")
            .QueryParameter("target", "Only entries about this item (e.g. a record id).")
            .QueryParameter("before", "Only entries before this sequence number (the last one of the previous page).")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<IResult> LoginAsync(LoginRequest request, HttpContext context, OwnAccountService account)
    {
        var result = await account.SignInAsync(request, context.RequestAborted);
        switch (result.Outcome)
        {
            case SignInOutcome.Succeeded:
                await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ClaimsMapping.ToClaims(result.Principal!, CookieAuthenticationDefaults.AuthenticationScheme, result.SessionStamp));
                return Results.NoContent();
            case SignInOutcome.SecondFactorRequired:
                return Results.Problem(
                    detail: "This account signs in with a second factor: add \"code\" with the current 6-digit code from your authenticator app.",
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Second factor required");
            case SignInOutcome.SecondFactorNotSetUp:
                return Results.Problem(
                    detail: "Administrators and legal reviewers sign in with a second factor, and this account has none yet: set one up with an API token (POST /api/v1/auth/second-factor) or ask the node's operator (jisr user second-factor).",
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Second factor not set up");
            case SignInOutcome.TooManyAttempts:
                return SignInLimits.TooManyAttempts(account.SignInWindow);
            case SignInOutcome.InvalidCredentials:
            default:
                // One answer for an unknown name, a wrong password and a locked account: the answer must not tell a
                // stranger which user names exist.
                return Results.Problem(
                    detail: "Sign-in failed: unknown user name, wrong password, or too many failed attempts on this account (try again later or ask your administrator).",
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Sign-in failed");
        }
    }

    private static async Task<SecondFactorResponse> SetUpSecondFactorAsync(Principal caller, OwnAccountService account, CancellationToken cancellationToken)
    {
        var key = await account.SetUpSecondFactorAsync(caller, cancellationToken);
        return new SecondFactorResponse(key.Key, key.Uri);
    }

    private static async Task<IResult> ConfirmSecondFactorAsync(SecondFactorConfirmation request, Principal caller, OwnAccountService account, CancellationToken cancellationToken)
    {
        await account.ConfirmSecondFactorAsync(caller, request, cancellationToken);
        return Results.NoContent();
    }

    private static AntiforgeryTokenResponse IssueAntiforgeryToken(HttpContext context, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) =>
        new(antiforgery.GetAndStoreTokens(context).RequestToken!, CookieAntiforgery.HeaderName);

    /// <summary>Ends every session of the account (a copied cookie stops working too), then clears this browser's cookie.</summary>
    private static async Task<IResult> LogoutAsync(HttpContext context, Principal caller, OwnAccountService account)
    {
        await account.SignOutAsync(caller, context.RequestAborted);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.NoContent();
    }

    /// <summary>The caller as the policy sees them: nothing to decide or read beyond the agency's code.</summary>
    private static async Task<MeResponse> MeAsync(Principal caller, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        new(caller.UserId.Value, caller.UserName, await agencies.GetAsync(caller.AgencyId, cancellationToken),
            [.. caller.Roles.Order().Select(r => Roles.Names[r])], Marking.ClassificationNames[caller.Clearance]);

    private static async Task<IEnumerable<TokenResponse>> ListTokensAsync(Principal caller, OwnAccountService account, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return (await account.ListTokensAsync(caller, cancellationToken))
            .Select(t => new TokenResponse(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.IsActive(now)));
    }

    private static async Task<IResult> CreateTokenAsync(TokenRequest request, Principal caller, OwnAccountService account, CancellationToken cancellationToken)
    {
        var issued = await account.IssueTokenAsync(caller, request, cancellationToken);
        return Results.Created($"/api/v1/tokens/{issued.Token.Id}", new IssuedTokenResponse(issued.Token.Id, issued.Token.Name, issued.Secret, issued.Token.ExpiresAt));
    }

    private static Task<IResult> RevokeTokenAsync(Guid id, Principal caller, OwnAccountService account, CancellationToken cancellationToken) =>
        account.RevokeTokenAsync(caller, id, cancellationToken).NoContentAsync();

    private static async Task<IEnumerable<AgencyResponse>> ListAgenciesAsync(AccountAdministration administration, CancellationToken cancellationToken) =>
        (await administration.ListAgenciesAsync(cancellationToken)).Select(ToResponse);

    private static Task<IResult> GetAgencyAsync(string code, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.ReadAgencyAsync(code, cancellationToken).OkAsync(a => Task.FromResult(ToResponse(a)));

    private static Task<IResult> CreateAgencyAsync(AgencyRequest request, Principal caller, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.CreateAgencyAsync(caller, request, cancellationToken).CreatedAsync(a => $"/api/v1/agencies/{a.Code}", a => Task.FromResult(ToResponse(a)));

    private static Task<IResult> ListUsersAsync(Principal caller, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.ListUsersAsync(caller, cancellationToken).OkAsync(users => Task.FromResult(users.Select(ToResponse)));

    private static Task<IResult> GetUserAsync(Guid id, Principal caller, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.ReadUserAsync(caller, id, cancellationToken).OkAsync(u => Task.FromResult(ToResponse(u)));

    private static Task<IResult> CreateUserAsync(UserRequest request, Principal caller, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.CreateUserAsync(caller, request, cancellationToken).CreatedAsync(u => $"/api/v1/users/{u.Id}", u => Task.FromResult(ToResponse(u)));

    private static Task<IResult> DisableUserAsync(Guid id, Principal caller, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.SetDisabledAsync(caller, id, disabled: true, cancellationToken).NoContentAsync();

    private static Task<IResult> EnableUserAsync(Guid id, Principal caller, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.SetDisabledAsync(caller, id, disabled: false, cancellationToken).NoContentAsync();

    /// <summary>200 with the account when the change is applied; 202 with the grant when a second administrator must approve it.</summary>
    private static Task<IResult> ChangeAccessAsync(Guid id, UserAccessRequest request, Principal caller, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.ChangeAccessAsync(caller, id, request, cancellationToken).AnswerAsync(change => Task.FromResult(change.Grant is { } grant
            ? Results.Accepted($"/api/v1/users/grants/{grant.Id}", ToResponse(grant))
            : Results.Ok(ToResponse(change.User))));

    private static Task<IResult> ResetPasswordAsync(Guid id, PasswordResetRequest request, Principal caller, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.ResetPasswordAsync(caller, id, request, cancellationToken).NoContentAsync();

    private static Task<IResult> RevokeUserTokensAsync(Guid id, Principal caller, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.RevokeTokensAsync(caller, id, cancellationToken).NoContentAsync();

    private static Task<IResult> ListGrantsAsync(Principal caller, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.ListGrantsAsync(caller, cancellationToken).OkAsync(grants => Task.FromResult(grants.Select(ToResponse)));

    private static Task<IResult> ApproveGrantAsync(Guid id, Principal caller, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.DecideGrantAsync(caller, id, approve: true, cancellationToken).OkAsync(g => Task.FromResult(ToResponse(g)));

    private static Task<IResult> RefuseGrantAsync(Guid id, Principal caller, AccountAdministration administration, CancellationToken cancellationToken) =>
        administration.DecideGrantAsync(caller, id, approve: false, cancellationToken).OkAsync(g => Task.FromResult(ToResponse(g)));

    /// <summary>
    /// The agency's audit trail, newest first; <c>action</c> (e.g. <c>search</c>, <c>record.read</c>) and <c>target</c>
    /// (a record id) narrow it: who searched for what and why, who read a given record. Reading it is itself audited.
    /// </summary>
    private static Task<IResult> ListAuditAsync(Principal caller, AuditTrailService trail, long? before, int? limit, string? action, string? target, CancellationToken cancellationToken) =>
        trail.ReadAsync(caller, new AuditQuery(before, limit, action, target), cancellationToken).OkAsync(entries => Task.FromResult(entries.Select(AuditEntryResponse.From)));

    private static AgencyResponse ToResponse(Agency agency) => new(agency.Id.Value, agency.Code, agency.Name, agency.Country);

    private static UserResponse ToResponse(JisrUser user) =>
        new(user.Id, user.UserName ?? string.Empty, user.DisplayName, user.AgencyId.Value, [.. user.Roles.Select(r => Roles.Names[r])],
            Marking.ClassificationNames[user.Clearance], user.DisabledAt is not null);

    private static AccessGrantResponse ToResponse(AccessGrant grant) =>
        new(grant.Id, grant.UserId.Value, [.. grant.FromRoles.Select(r => Roles.Names[r])], Marking.ClassificationNames[grant.FromClearance],
            [.. grant.Roles.Select(r => Roles.Names[r])], Marking.ClassificationNames[grant.Clearance],
            grant.RequestedBy.Value, grant.RequestedAt, AccessGrant.StatusNames[grant.Status], grant.DecidedBy?.Value, grant.DecidedAt);
}
