using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Jisr.Server.Operations;

/// <summary>
/// OpenTelemetry: metrics (request rates and latencies, runtime, the audit queue's depth and the retention purge's
/// counts) scraped by Prometheus at <c>/metrics</c>; traces exported over OTLP only when an endpoint is configured
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), so a node that nobody traces pays nothing for them. Query strings are
/// redacted in traces (they can hold a name searched for).
/// </summary>
public static class Telemetry
{
    public const string MeterName = "Jisr";
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddNodeTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<NodeMetrics>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("jisr-node"))
            .WithMetrics(metrics => metrics
                // ASP.NET Core's own meters, named rather than through AddAspNetCoreInstrumentation: that also adds the
                // routing meter (a counter on every request that says nothing an operator asks for) and a middleware
                // around every request; request rates and latencies by route come from the hosting meter alone.
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting")
                .AddRuntimeInstrumentation()
                .AddMeter(MeterName)
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddOtlpExporter());
        }

        return services;
    }

    /// <summary>The Prometheus text endpoint; it shows counts and timings by route template, never ids or content.</summary>
    public static void MapNodeMetrics(this IEndpointRouteBuilder app)
    {
        app.ServiceProvider.GetRequiredService<NodeMetrics>();
        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous().ReadOnly();
    }
}

/// <summary>The node's own instruments, beside ASP.NET Core's and the runtime's.</summary>
public sealed class NodeMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _purged;

    public NodeMetrics(AuditLog audit)
    {
        _meter = new Meter(Telemetry.MeterName);
        _meter.CreateObservableGauge("jisr.audit.queue.depth", () => audit.QueueDepth, "{entry}", "Audit entries waiting to be written");
        _purged = _meter.CreateCounter<long>("jisr.retention.purged", "{record}", "Records removed by the retention purge");
    }

    public void Purged(int records) => _purged.Add(records);

    public void Dispose() => _meter.Dispose();
}
