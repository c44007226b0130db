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
            WhyNotValid(Decode(context.HttpContext)) is { } problem
                ? ProblemResponses.Validation(Header, problem)
                : await next(context)).WithMetadata(new PurposeRequiredMetadata()).ProducesValidationProblem();

    /// <summary>The declared purpose of the current request, decoded and trimmed (valid: the filter ran).</summary>
    public static string Of(HttpContext context) => Decode(context);

    /// <summary>Why a declared purpose cannot be kept in the audit log, or null when it can.</summary>
    public static string? WhyNotValid(string purpose)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        if (purpose.Length == 0)
        {
            return $"is required: say why you are searching (header {Header}), e.g. \"investigation 2026/114, smuggling network Nador\"";
        }

        if (purpose.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        if (purpose.Any(char.IsControl))
        {
            return "must be text without control characters (line breaks, tabs, NUL...)";
        }

        return purpose.Contains('\uFFFD', StringComparison.Ordinal)
            ? "is not valid percent-encoded UTF-8 (encode Arabic or accented text with Uri.EscapeDataString or encodeURIComponent)"
            : null;
    }

    /// <summary>The header, percent-decoded and trimmed; blanks only become empty, broken UTF-8 becomes U+FFFD (refused).</summary>
    private static string Decode(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var raw = context.Request.Headers[Header].ToString();
        if (!raw.Contains('%', StringComparison.Ordinal))
        {
            return raw.Trim();
        }

        // Percent-escapes are bytes of UTF-8: decode them strictly, so a cut sequence shows (as U+FFFD), not kept as "%E2".
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '%' && i + 2 < raw.Length && char.IsAsciiHexDigit(raw[i + 1]) && char.IsAsciiHexDigit(raw[i + 2]))
            {
                bytes.Add(Convert.ToByte(raw.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes([raw[i]]));
            }
        }

        return System.Text.Encoding.UTF8.GetString([.. bytes]).Trim();
    }
}

/// <summary>Marks an endpoint as requiring a declared purpose (used by tests that enumerate endpoints).</summary>
public sealed class PurposeRequiredMetadata;
