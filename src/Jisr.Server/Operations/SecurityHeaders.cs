namespace Jisr.Server.Operations;

/// <summary>
/// Headers every answer carries: no MIME sniffing, no referrer leaking an address to another site, and no caching of
/// API answers (they hold intelligence: a shared proxy or a browser's disk must not keep them). HTML answers (the
/// subject-access report) get a content security policy that allows nothing but their own inline style.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
            {
                headers.CacheControl = "no-store";
            }

            // The web interface's pages set their own (Web/WebInterface.cs); every other HTML answer gets this one.
            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true && !headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}
