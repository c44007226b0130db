using System.Diagnostics;
using System.Security.Claims;

namespace Jisr.Server.Operations;

/// <summary>
/// One structured log line per API request: method, route template (never the query string, which can hold a name
/// searched for, and never a body or a token), status, duration, the caller's user id and the trace id that links the
/// line to the request's trace and audit entry.
/// </summary>
public static partial class RequestLog
{
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Jisr.Requests");
        return app.Use(async (context, next) =>
        {
            if (!logger.IsEnabled(LogLevel.Information))
            {
                await next(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                // The user id as the claim holds it (ClaimsMapping writes it in "D" form): building the whole principal cost more than the line.
                var user = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "-" : "-";
                Served(logger, context.Request.Method, route, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, user, Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier);
            }
        });
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "{Method} {Route} {Status} in {ElapsedMs:0.0} ms by {User} trace {TraceId}")]
    private static partial void Served(ILogger logger, string method, string route, int status, double elapsedMs, string user, string traceId);
}
