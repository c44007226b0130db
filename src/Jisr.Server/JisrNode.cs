using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Jisr.Server.Endpoints;
using Jisr.Server.Operations;
using Jisr.Server.Taxii;
using Jisr.Server.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;

namespace Jisr.Server;

/// <summary>Builds a Jisr node: one ASP.NET Core process serving the API of one database.</summary>
public static class JisrNode
{
    private const string SelectScheme = "Jisr";

    /// <summary>Creates the node (not started). The database must already be migrated (<see cref="JisrDatabase.MigrateAsync"/>).</summary>
    public static WebApplication Build(NodeOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var certificate = options.Validate();

        // The federation key, if a passphrase is given: it signs messages, and an https node without a certificate of
        // its own serves one made with it, so the fingerprint partners pin covers the channel too.
        var identity = new Storage.Federation.NodeIdentity(options.NodeKey.Passphrase is { Length: > 0 } passphrase
            ? Storage.Federation.NodeKey.LoadOrCreate(options.NodeKey.KeyPath ?? Storage.Federation.NodeKey.DefaultPath(options.Database), passphrase)
            : null);
        if (certificate is null && identity.Key is not null && options.Urls.Contains("https://", StringComparison.OrdinalIgnoreCase))
        {
            certificate = Federation.NodeCertificate.Create(identity.Key, (options.Clock ?? TimeProvider.System).GetUtcNow());
        }

        // Configuration is read once at start: reloading on change would watch the content root (the working directory,
        // where jisr.db and its write-ahead log usually are) and wake a watcher thread on every database write and log line.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(JisrNode).Assembly.GetName().Name,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.UseUrls(options.Urls);
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = NodeOptions.MaxRequestBodyBytes;
            if (certificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        Operations.BatchedConsoleLoggerProvider.Replace(builder.Logging); // one write per batch of lines, not one per request

        // The key ring sits in the node's database without a key-encryption key: whoever can read the database can read
        // everything in it anyway. Said once in the README, not as a warning on every start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        var services = builder.Services;
        services.AddJisrStorage(options.Database, options.Audit);
        services.AddSingleton(_ => identity);
        services.AddSingleton<Federation.PeerChannel>();
        services.AddSingleton<Federation.OutboxSignal>();
        services.AddSingleton<Federation.ReceiveGate>();
        services.AddSingleton<Federation.PeerReachability>();
        services.AddScoped<Federation.FederationOutbox>();
        services.AddScoped<Federation.NoticeFederation>();
        services.AddScoped<Federation.CheckpointExchange>();
        services.AddScoped<Federation.FederationReceiver>();
        services.AddScoped<Federation.OnwardRecall>();
        services.AddScoped<Federation.FederationService>();
        services.AddHostedService<Federation.OutboxDelivery>();
        services.AddHostedService<Federation.PeerHelloService>();
        HitCheck.HitCheckServices.AddHitCheck(services, options.HitFilters);
        services.AddHostedService<Federation.CheckpointGossip>();
        services.AddMemoryCache();
        services.AddHttpContextAccessor();
        services.AddSingleton<TokenCache>();
        services.AddJisrApplication();
        services.AddSingleton<AgencyDirectory>();
        services.AddSingleton<Persons.PersonNameIndex>();
        services.AddHostedService<Persons.PersonNameIndexWarmup>();
        services.AddHostedService<RetentionPurgeService>();
        services.AddNodeHealth();
        services.AddNodeTelemetry();
        services.AddJisrWeb();
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);

            // A node is often reached by address inside an agency's network: the header is sent whatever the host name.
            o.ExcludedHosts.Clear();
        });
        services.AddScoped(sp => ClaimsMapping.FromClaims(sp.GetRequiredService<IHttpContextAccessor>().HttpContext!.User));
        services.AddProblemDetails();
        services.AddOpenApi(OpenApiDescription.DocumentName, OpenApiDescription.Configure);
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;

            // {"classification": "UNCLASSIFIED", "classification": "SECRET"}: which one did the sender mean? Refused, not guessed.
            o.SerializerOptions.AllowDuplicateProperties = false;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;

            // Arabic and accented text stay readable; characters that matter to HTML and JavaScript are still escaped.
            o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        });

        services.AddAuthentication(SelectScheme)
            .AddPolicyScheme(SelectScheme, "API token or session cookie", o =>
                o.ForwardDefaultSelector = context => context.Request.Headers.Authorization.Count > 0
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "jisr.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;

                o.Events.OnValidatePrincipal = SessionValidation.ValidateAsync;

                // An API answers 401/403, it does not redirect to a login page.
                o.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        services.AddAntiforgery(o =>
        {
            o.HeaderName = CookieAntiforgery.HeaderName;
            o.Cookie.Name = "jisr.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        var signInLimits = options.SignInLimits ?? new SignInLimits();
        services.AddSingleton(signInLimits);
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(signInLimits.AddClientPolicy);
        services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        configure?.Invoke(builder);

        var app = builder.Build();
        if (certificate is not null)
        {
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ProblemResponses.HandleExceptionAsync });
        app.UseStatusCodePages(ProblemResponses.WriteStatusCodeProblemAsync);
        app.UseAuthentication();
        app.UseRequestLog();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseRefusalAudit();
        app.UseCookieAntiforgery();

        app.MapNodeHealth();
        app.MapNodeMetrics();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

        // Every operation of the API answers 401 to a caller who is not signed in (sign-in itself, to wrong credentials).
        var api = app.MapGroup("/api/v1").RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapRecordEndpoints();
        api.MapEntityEndpoints();
        api.MapPersonEndpoints();
        api.MapFusionEndpoints();
        api.MapGraphEndpoints();
        api.MapAgreementEndpoints();
        api.MapReviewEndpoints();
        api.MapSubjectAccessEndpoints();
        api.MapNoticeEndpoints();
        api.MapReleaseEndpoints();
        api.MapDeclassificationEndpoints();
        api.MapAccountEndpoints();
        api.MapFederationEndpoints();
        api.MapHitCheckEndpoints();
        app.MapTaxiiEndpoints();
        app.MapFederationPeerEndpoints();
        app.MapJisrWeb();
        return app;
    }

    /// <summary>Migrates the database, builds the node and starts it; returns once it answers on <c>/health</c>.</summary>
    public static async Task<WebApplication> StartAsync(NodeOptions options, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await JisrDatabase.MigrateAsync(options.Database, cancellationToken);
        var app = Build(options, configure);
        await app.StartAsync(cancellationToken);
        return app;
    }
}
