using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Jisr.Server.Auth;

/// <summary>
/// How fast passwords may be tried, instead of a lockout (which lets any stranger shut a colleague out for as long as
/// they keep guessing): per client address, every sign-in attempt counts; per account name, only failed attempts count,
/// so the real user is slowed only while someone is guessing, and their API tokens are never affected. Unknown and
/// existing names are limited alike, so the answer (429 or 401) tells a stranger nothing about which names exist.
/// </summary>
public sealed record SignInLimits
{
    public const string ClientPolicy = "sign-in-by-client";

    /// <summary>Attempts per client address per <see cref="Window"/>.</summary>
    public int PerClient { get; init; } = 30;

    /// <summary>Failed attempts per account name per <see cref="Window"/>.</summary>
    public int FailuresPerAccount { get; init; } = 5;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    public void AddClientPolicy(RateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Only attempts count: the web sign-in page is under this policy too, and showing its form (GET) tries nothing.
        // The API's login and the page's form share each client's partition, so switching between them gains nothing.
        options.AddPolicy(ClientPolicy, context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            ? RateLimitPartition.GetNoLimiter("showing the form")
            : RateLimitPartition.GetSlidingWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new SlidingWindowRateLimiterOptions { PermitLimit = PerClient, Window = Window, SegmentsPerWindow = 6, QueueLimit = 0 }));
        options.OnRejected = (rejected, cancellationToken) =>
            new ValueTask(TooManyAttempts(Window).ExecuteAsync(rejected.HttpContext));
    }

    /// <summary>429 with the time to wait: the same answer whoever and whatever name is asked about.</summary>
    public static IResult TooManyAttempts(TimeSpan retryAfter) => new RetryAfterResult(retryAfter, Results.Problem(
        detail: "Too many sign-in attempts: wait a minute and try again. If you did not make them, tell your administrator.",
        statusCode: StatusCodes.Status429TooManyRequests,
        title: "Too many attempts"));

    private sealed class RetryAfterResult(TimeSpan retryAfter, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}

/// <summary>Failed sign-ins per account name (see <see cref="SignInLimits"/>).</summary>
public sealed class SignInThrottle(SignInLimits limits) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetSlidingWindowLimiter(name, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = limits.FailuresPerAccount,
            Window = limits.Window,
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        }));

    public TimeSpan Window => limits.Window;

    /// <summary>Whether this name may be tried now (checks without spending an attempt).</summary>
    public bool MayTry(string userName)
    {
        using var lease = _failures.AttemptAcquire(Key(userName), 0);
        return lease.IsAcquired;
    }

    public void Failed(string userName) => _failures.AttemptAcquire(Key(userName)).Dispose();

    public void Dispose() => _failures.Dispose();

    private static string Key(string userName) => userName.Trim().ToLowerInvariant();
}
