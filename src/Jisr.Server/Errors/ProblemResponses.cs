using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Errors;

/// <summary>
/// The one mapping from failures to RFC 9457 problem details. Every answer names what to fix; no stack
/// trace or internal message ever reaches the caller.
/// </summary>
public static partial class ProblemResponses
{
    /// <summary>400 naming the field; <paramref name="code"/>, where the reason has one, lets a client say it in its own language.</summary>
    public static IResult Validation(string field, string reason, string? code = null) =>
        Results.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [reason] },
            detail: $"{field}: {reason}",
            title: "The request is not valid",
            extensions: code is null ? null : new Dictionary<string, object?> { ["code"] = code });

    public static IResult BadRequest(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static IResult Forbidden(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed");

    public static IResult NotFound(string what) =>
        Results.Problem(detail: $"{what} does not exist or you may not see it", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult Conflict(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>Exception handler for the whole node: maps what escaped an endpoint to a problem detail.</summary>
    public static async Task HandleExceptionAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = exception switch
        {
            DomainValidationException invalid => Validation(invalid.Field, invalid.Reason, invalid.Code),
            DomainStateException conflict => Conflict(conflict.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Results.Problem(
                detail: $"The request body is larger than this node accepts ({NodeOptions.MaxRequestBodyBytes / (1024 * 1024)} MB). Send less data per request.",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request body too large"),
            BadHttpRequestException { InnerException: JsonException json } => FromJson(json),
            BadHttpRequestException bad => Results.Problem(detail: Friendly(bad.Message), statusCode: bad.StatusCode, title: "Bad request"),
            JsonException json => FromJson(json),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => Results.Empty,
            _ => Results.Problem(
                detail: "The node could not complete the request. Nothing was changed unless the response says so; the error is in the node's log.",
                statusCode: StatusCodes.Status500InternalServerError,
                title: "Internal error"),
        };

        if (result is IStatusCodeHttpResult { StatusCode: >= 500 })
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Jisr.Server.Errors")
                .LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        }

        await result.ExecuteAsync(context);
    }

    /// <summary>Problem details, with a message a person can act on, for answers that have no body of their own (401, 413...).</summary>
    public static async Task WriteStatusCodeProblemAsync(StatusCodeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = context.HttpContext.Response.StatusCode;
        if (context.HttpContext.Request.Path.StartsWithSegments(Taxii.TaxiiEndpoints.Root, StringComparison.Ordinal))
        {
            await Taxii.TaxiiEndpoints.Error(status, status == StatusCodes.Status401Unauthorized ? "Unauthorized" : "Error", status == StatusCodes.Status401Unauthorized
                ? "send 'Authorization: Bearer TOKEN', or HTTP Basic with your user name and an API token as the password (never your account's password)"
                : $"HTTP {status}").ExecuteAsync(context.HttpContext);
            return;
        }

        var detail = status switch
        {
            StatusCodes.Status401Unauthorized => "Sign in (POST /api/v1/auth/login) or send 'Authorization: Bearer TOKEN' with a valid, unrevoked API token.",
            StatusCodes.Status403Forbidden => "Your account is not allowed to do this.",
            StatusCodes.Status404NotFound => "There is nothing at this address.",
            StatusCodes.Status405MethodNotAllowed => "This address does not accept that HTTP method; see /openapi/v1.json.",
            StatusCodes.Status413PayloadTooLarge => $"The request body is larger than this node accepts ({NodeOptions.MaxRequestBodyBytes / (1024 * 1024)} MB). Send less data per request.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with 'Content-Type: application/json'.",
            _ => null,
        };
        await Results.Problem(detail: detail, statusCode: status).ExecuteAsync(context.HttpContext);
    }

    private static IResult FromJson(JsonException json)
    {
        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
        var message = json.Message;
        string reason;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            reason = "is not a field this endpoint accepts (check the spelling against /openapi/v1.json)";
        }
        else if (ConvertTarget().Match(message) is { Success: true } match)
        {
            reason = $"has the wrong type or format: expected {Describe(match.Groups[1].Value)}";
        }
        else if (message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) || message.Contains("invalid start of", StringComparison.Ordinal))
        {
            reason = "is not valid UTF-8 JSON";
        }
        else
        {
            reason = "is not valid JSON here";
        }

        return Validation(field, reason);
    }

    private static string Describe(string clrType) => clrType switch
    {
        var t when t.Contains("DateTimeOffset", StringComparison.Ordinal) => "a UTC date-time such as 2030-01-31T00:00:00Z",
        var t when t.Contains("DateOnly", StringComparison.Ordinal) => "a date such as 2027-06-30",
        var t when t.Contains("Guid", StringComparison.Ordinal) => "an id (UUID)",
        var t when t.Contains("String[]", StringComparison.Ordinal) || t.Contains("List", StringComparison.Ordinal) || t.Contains("[]", StringComparison.Ordinal) => "an array",
        var t when t.Contains("String", StringComparison.Ordinal) => "a string",
        var t when t.Contains("Double", StringComparison.Ordinal) || t.Contains("Int", StringComparison.Ordinal) => "a number",
        var t when t.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ => "an object of the documented shape",
    };

    private static string Friendly(string message) =>
        message.StartsWith("Required parameter", StringComparison.Ordinal) || message.Contains("request body", StringComparison.OrdinalIgnoreCase)
            ? "A JSON request body is required (Content-Type: application/json)."
            : message;

    [GeneratedRegex(@"could not be converted to ([\w\.\[\]`,\s]+?)\.\s", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertTarget();
}
