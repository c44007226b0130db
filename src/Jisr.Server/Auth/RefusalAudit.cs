namespace Jisr.Server.Auth;

/// <summary>
/// Refusals are security events: a signed-in caller's request that the policy refused (403), or a change aimed at
/// an item the caller may not see (404 on anything but a read), leaves an entry in the caller's agency's audit trail
/// with the method and path. Reads audit themselves, found or not, in their stores; refused reads that never reach
/// a store (a 403 on a role) are caught here too.
/// </summary>
public static class RefusalAudit
{
    public static IApplicationBuilder UseRefusalAudit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        var status = context.Response.StatusCode;
        var refused = status == StatusCodes.Status403Forbidden
                      || (status == StatusCodes.Status404NotFound && !HttpMethods.IsGet(context.Request.Method) && context.GetEndpoint() is RouteEndpoint);
        if (!refused || context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var caller = ClaimsMapping.FromClaims(context.User);
        await context.RequestServices.GetRequiredService<AuditLog>().AppendAsync(new AuditEvent(
            AuditActions.RequestRefused, caller.UserId, caller.UserName, caller.AgencyId,
            Outcome: status == StatusCodes.Status403Forbidden ? AuditOutcomes.Forbidden : AuditOutcomes.NotFound,
            Detail: $"{context.Request.Method} {context.Request.Path}"));
    });
}
