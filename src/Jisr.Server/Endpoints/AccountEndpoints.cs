using Jisr.Domain.Agencies;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Policy;
using Jisr.Server.Application;
using Jisr.Server.Auth;
using Jisr.Server.Contracts;
using Jisr.Server.Errors;
using Jisr.Storage.Accounts;
using Jisr.Storage.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

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
        auth.MapPost("/login", LoginAsync).AllowAnonymous().WithName("Login")
            .Describe("Sign in with a user name and password", "Sets the session cookie (jisr.session). The account locks after 5 failed attempts.")
            .Produces(StatusCodes.Status204NoContent)
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);
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
            case SignInOutcome.LockedOut:
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

    private static Task<IResult> ListUsersAsync(Principal caller, AccountAdministration administration, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return administration.ListUsersAsync(caller, cancellationToken).OkAsync(users => Task.FromResult(users.Select(u => ToResponse(u, now))));
    }

    private static Task<IResult> GetUserAsync(Guid id, Principal caller, AccountAdministration administration, TimeProvider time, CancellationToken cancellationToken) =>
        administration.ReadUserAsync(caller, id, cancellationToken).OkAsync(u => Task.FromResult(ToResponse(u, time.GetUtcNow())));

    private static Task<IResult> CreateUserAsync(UserRequest request, Principal caller, AccountAdministration administration, TimeProvider time, CancellationToken cancellationToken) =>
        administration.CreateUserAsync(caller, request, cancellationToken).CreatedAsync(u => $"/api/v1/users/{u.Id}", u => Task.FromResult(ToResponse(u, time.GetUtcNow())));

    /// <summary>
    /// The agency's audit trail, newest first; <c>action</c> (e.g. <c>search</c>, <c>record.read</c>) and <c>target</c>
    /// (a record id) narrow it: who searched for what and why, who read a given record. Reading it is itself audited.
    /// </summary>
    private static Task<IResult> ListAuditAsync(Principal caller, AuditTrailService trail, long? before, int? limit, string? action, string? target, CancellationToken cancellationToken) =>
        trail.ReadAsync(caller, new AuditQuery(before, limit, action, target), cancellationToken).OkAsync(entries => Task.FromResult(entries.Select(AuditEntryResponse.From)));

    private static AgencyResponse ToResponse(Agency agency) => new(agency.Id.Value, agency.Code, agency.Name, agency.Country);

    private static UserResponse ToResponse(JisrUser user, DateTimeOffset now) =>
        new(user.Id, user.UserName ?? string.Empty, user.DisplayName, user.AgencyId.Value, [.. user.Roles.Select(r => Roles.Names[r])],
            Marking.ClassificationNames[user.Clearance], user.LockoutEnd is { } end && end > now);
}
