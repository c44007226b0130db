using System.Reflection;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Jisr.Server.Web;

/// <summary>
/// The web interface: server-rendered Razor Pages under <c>/</c>, next to the API, calling the same application
/// services (so the same policy decisions and audit). Pages in Arabic (right-to-left), French and English from
/// <see cref="SharedResource"/>; front-end files (the Arabic-capable font, cytoscape) are embedded in this assembly
/// at build time from <c>tools/web-assets</c> and served from <c>/assets/</c>: no page loads anything from elsewhere.
/// </summary>
public static class WebInterface
{
    /// <summary>The interface's languages, the first the default.</summary>
    public static readonly IReadOnlyList<string> Cultures = ["en", "fr", "ar"];

    public const string CultureCookie = "jisr.culture";

    /// <summary>
    /// Scripts only from the node's own files (no inline script, no eval), styles only from its stylesheet, forms
    /// posted only to itself, never framed.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private const string AssetPrefix = "jisr-web/";
    private static readonly Assembly Assets = typeof(WebInterface).Assembly;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IServiceCollection AddJisrWeb(this IServiceCollection services)
    {
        services.AddLocalization();

        // Pages write Arabic and accented Latin as they are (HTML's special characters are still escaped): the
        // default encoder would turn every Arabic letter into an 8-byte character reference.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

        // A form field may carry what the node accepts in a request (a long report pasted whole): the field's own
        // limit is then checked beside it, with the text kept, instead of the form failing to read (the default is 4 MB).
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.ValueLengthLimit = (int)NodeOptions.MaxRequestBodyBytes);
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Web/Pages";
                o.Conventions.AllowAnonymousToPage("/SignIn");
                o.Conventions.AllowAnonymousToPage("/Language");
            })
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = Cultures.Select(c => new CultureInfo(c)).ToList();
            o.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = CultureCookie }, new AcceptLanguageHeaderRequestCultureProvider()];
        });

        // The API answers 401/403; a page sends the browser to the sign-in page instead, back to where it was (a local path only).
        services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o =>
        {
            var apiLogin = o.Events.OnRedirectToLogin;
            var apiDenied = o.Events.OnRedirectToAccessDenied;
            o.Events.OnRedirectToLogin = context =>
            {
                if (!IsPage(context.Request))
                {
                    return apiLogin(context);
                }

                context.Response.Redirect("/sign-in?returnUrl=" + Uri.EscapeDataString(context.Request.PathBase + context.Request.Path + context.Request.QueryString));
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = context => apiDenied(context);
        });

        // The sign-in page is under the API login's per-client limit; a refused attempt comes back to the page with the
        // message in the user's language (after a redirect, as the limiter refuses before the page runs), not a 429 body.
        services.PostConfigure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(o =>
        {
            var apiRejected = o.OnRejected;
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                if (!IsPage(context.Request))
                {
                    if (apiRejected is not null)
                    {
                        await apiRejected(rejected, cancellationToken);
                    }

                    return;
                }

                string? returnUrl = null;
                if (context.Request.HasFormContentType)
                {
                    var form = await context.Request.ReadFormAsync(cancellationToken);
                    returnUrl = form.TryGetValue("ReturnUrl", out var value) ? value.ToString() : null;
                }

                context.Response.StatusCode = StatusCodes.Status303SeeOther;
                context.Response.Headers.Location = Pages.SignInModel.TooManyAddress(returnUrl);
            };
        });
        return services;
    }

    /// <summary>Language, the pages' security policy, the embedded front-end files and the pages themselves.</summary>
    public static WebApplication MapJisrWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Only pages speak a language: the API, TAXII, health and metrics answer the same whatever the caller's
        // Accept-Language, and skip the culture lookup.
        app.UseWhen(context => IsPage(context.Request), pages => pages.UseRequestLocalization());
        app.Use((context, next) =>
        {
            if (IsPage(context.Request))
            {
                context.Response.OnStarting(() =>
                {
                    if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                    {
                        var headers = context.Response.Headers;
                        headers.ContentSecurityPolicy = ContentSecurityPolicy;
                        headers.XFrameOptions = "DENY";
                        headers.CacheControl = "no-store";
                    }

                    return Task.CompletedTask;
                });
            }

            return next(context);
        });
        app.MapGet("/assets/{**path}", ServeAsset).AllowAnonymous().ExcludeFromDescription().WithMetadata(WebInterfaceEndpoint.Instance);
        app.MapRazorPages().WithMetadata(WebInterfaceEndpoint.Instance);
        return app;
    }

    /// <summary>A page of the interface, as opposed to the API, TAXII, health or metrics.</summary>
    private static bool IsPage(HttpRequest request) =>
        !(request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
          || request.Path.StartsWithSegments("/taxii2", StringComparison.Ordinal)
          || request.Path.StartsWithSegments("/health", StringComparison.Ordinal)
          || request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal)
          || request.Path.StartsWithSegments("/openapi", StringComparison.Ordinal));

    /// <summary>An embedded front-end file; the names are fixed at build time, so a path outside them is simply not found.</summary>
    private static IResult ServeAsset(string path, HttpContext context)
    {
        var stream = Assets.GetManifestResourceStream(AssetPrefix + path);
        if (stream is null)
        {
            return Results.NotFound();
        }

        if (!ContentTypes.TryGetContentType(path, out var contentType))
        {
            contentType = "application/octet-stream";
        }

        context.Response.Headers[HeaderNames.CacheControl] = "public, max-age=3600";
        return Results.Stream(stream, contentType);
    }
}

/// <summary>Marks the web interface's endpoints (pages and their files), which the API's endpoint checks leave to the browser tests.</summary>
public sealed class WebInterfaceEndpoint
{
    public static readonly WebInterfaceEndpoint Instance = new();

    private WebInterfaceEndpoint()
    {
    }
}
