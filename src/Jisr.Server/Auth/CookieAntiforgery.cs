using Microsoft.AspNetCore.Antiforgery;

namespace Jisr.Server.Auth;

/// <summary>
/// A browser sends the session cookie with any request to the node, including one a hostile page makes it send: every
/// change made with the cookie (POST, PUT, PATCH, DELETE) must also carry the antiforgery token, which only the
/// node's own pages can read. Requests with an API token are not affected: a browser never adds that header by itself.
/// </summary>
public static class CookieAntiforgery
{
    public const string HeaderName = "X-CSRF-TOKEN";

    public static IApplicationBuilder UseCookieAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (NeedsToken(context) && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            await ProblemResponses.Forbidden(
                    $"A change made with a session cookie needs its antiforgery token: get it from GET /api/v1/auth/antiforgery and send it in the {HeaderName} header.")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    private static bool NeedsToken(HttpContext context)
    {
        var method = context.Request.Method;
        var changes = !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

        // Sign-in acts on no one's authority (it starts a new session), so a browser that is still signed in may sign in again.
        var anonymous = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
        return changes && !anonymous && context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme };
    }
}
