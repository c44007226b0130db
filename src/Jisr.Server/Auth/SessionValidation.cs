using Jisr.Storage.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

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
        var cookie = context.Principal;
        var stamp = cookie is null ? null : ClaimsMapping.SessionStampOf(cookie);
        var current = stamp is null
            ? null
            : await context.HttpContext.RequestServices.GetRequiredService<AccountService>()
                .SessionPrincipalAsync(ClaimsMapping.FromClaims(cookie!).UserId, stamp, context.HttpContext.RequestAborted);
        if (current is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.ReplacePrincipal(ClaimsMapping.ToClaims(current, CookieAuthenticationDefaults.AuthenticationScheme, stamp));
    }
}
