using Jisr.Server.Errors;

namespace Jisr.Server.Endpoints;

/// <summary>
/// Searches, graph queries and exports must say why they are made: the <c>X-Jisr-Purpose</c> header, kept in the
/// audit log. Without it the request is refused with 400 before anything is read. HTTP headers are ASCII, so a
/// purpose in Arabic or with accents is sent percent-encoded as UTF-8 (<c>Uri.EscapeDataString</c>) and decoded here.
/// </summary>
public static class Purpose
{
    public const string Header = "X-Jisr-Purpose";
    public const int MaxLength = 500;

    public static TBuilder RequirePurpose<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var purpose = context.HttpContext.Request.Headers[Header].ToString();
            if (string.IsNullOrWhiteSpace(purpose))
            {
                return ProblemResponses.Validation(Header, $"is required: say why you are searching (header {Header}), e.g. \"investigation 2026/114, smuggling network Nador\"");
            }

            if (purpose.Length > MaxLength)
            {
                return ProblemResponses.Validation(Header, $"must be at most {MaxLength} characters");
            }

            return await next(context);
        }).WithMetadata(new PurposeRequiredMetadata()).ProducesValidationProblem();

    /// <summary>The declared purpose of the current request (present: the filter ran).</summary>
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var raw = context.Request.Headers[Header].ToString().Trim();
        if (!raw.Contains('%', StringComparison.Ordinal))
        {
            return raw;
        }

        try
        {
            return Uri.UnescapeDataString(raw);
        }
        catch (UriFormatException)
        {
            return raw;
        }
    }
}

/// <summary>Marks an endpoint as requiring a declared purpose (used by tests that enumerate endpoints).</summary>
public sealed class PurposeRequiredMetadata;
