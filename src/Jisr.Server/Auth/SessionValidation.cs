namespace Jisr.Server.Auth;

/// <summary>
/// Every request with a session cookie is checked against the database, not only against the cookie: the account
/// must still exist, not be locked, and not have signed out since (its session stamp). The principal is rebuilt from
/// the account, so a change of roles or clearance takes effect at the next request.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var session = context.Principal is { } cookie ? ClaimsMapping.SessionOf(cookie) : null;
        var current = session is not { } named
            ? null
            : await context.HttpContext.RequestServices.GetRequiredService<AccountService>()
                .SessionPrincipalAsync(named.User, named.Stamp, context.HttpContext.RequestAborted);
        if (current is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.ReplacePrincipal(ClaimsMapping.ToClaims(current, CookieAuthenticationDefaults.AuthenticationScheme, session!.Value.Stamp));
    }
}
