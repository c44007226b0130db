using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jisr.Server.Operations;

/// <summary>
/// <c>/health/live</c>: the process answers (a supervisor restarts it when not). <c>/health/ready</c> (and <c>/health</c>):
/// the node can serve: its database is reachable with every migration applied, and the demo data set is loaded when
/// it was asked for. A load balancer sends requests only to ready nodes.
/// </summary>
public static class Health
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddNodeHealth(this IServiceCollection services)
    {
        services.AddSingleton<NodeReadiness>();
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [ReadyTag])
            .AddCheck<StartupCheck>("startup", tags: [ReadyTag]);
        return services;
    }

    public static void MapNodeHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous().ReadOnly();
        foreach (var path in new[] { "/health/ready", "/health" })
        {
            app.MapHealthChecks(path, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync }).AllowAnonymous().ReadOnly();
        }
    }

    /// <summary>GET and HEAD only: an operations endpoint changes nothing, and answers 405 to anything else.</summary>
    public static IEndpointConventionBuilder ReadOnly(this IEndpointConventionBuilder endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
    }

    /// <summary><c>{"status": "ready"}</c>, or <c>{"status": "not-ready", "problems": [...]}</c> with 503.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var live = context.Request.Path.StartsWithSegments("/health/live", StringComparison.Ordinal);
        object body = report.Status == HealthStatus.Healthy
            ? new { status = live ? "live" : "ready" }
            : new { status = "not-ready", problems = report.Entries.Values.Where(e => e.Status != HealthStatus.Healthy).Select(e => e.Description).ToArray() };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private sealed class DatabaseCheck(IServiceScopeFactory scopes) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await using var scope = scopes.CreateAsyncScope();
            var problem = await scope.ServiceProvider.GetRequiredService<DatabaseHealth>().WhyNotReadyAsync(cancellationToken);
            return problem is null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(problem);
        }
    }

    private sealed class StartupCheck(NodeReadiness readiness) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(readiness.WhyNotReady is { } why ? HealthCheckResult.Unhealthy(why) : HealthCheckResult.Healthy());
    }
}

/// <summary>
/// What the node still does before it serves (loading the demo data set): <c>/health/ready</c> says not ready until
/// <see cref="Ready"/>, and the node prints its ready line only after.
/// </summary>
public sealed class NodeReadiness
{
    private volatile string? _whyNotReady;

    public string? WhyNotReady => _whyNotReady;

    public void Starting(string what) => _whyNotReady = what;

    public void Ready() => _whyNotReady = null;
}
