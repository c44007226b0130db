namespace Jisr.Domain.Common;

/// <summary>
/// Raised when a value would put a domain object into an invalid state. <see cref="Field"/> names the
/// offending field in the caller's terms (camelCase, JSON-path style), so the API can answer with a
/// problem detail that tells a person what to fix.
/// </summary>
public sealed class DomainValidationException : Exception
{
    // Private: every refusal is made with Coded (a code an interface translates); a test scans src/ for any other.
    private DomainValidationException(string field, string message)
        : base($"{field}: {message}")
    {
        Field = field;
        Reason = message;
    }

    public DomainValidationException()
        : this("value", "invalid")
    {
    }

    public DomainValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "value";
        Reason = message;
    }

    public DomainValidationException(string message)
        : this("value", message)
    {
    }

    /// <summary>The field that holds the invalid value, e.g. <c>entities[2].names[0].text</c>.</summary>
    public string Field { get; }

    /// <summary>What is wrong with it, without the field name.</summary>
    public string Reason { get; }

    /// <summary>
    /// What is wrong, as a stable code (<see cref="ValidationCodes"/>) an interface translates, with <see cref="Arguments"/>
    /// for its placeholders; null where the reason has no code yet (then only <see cref="Reason"/>, in English, says it).
    /// </summary>
    public string? Code { get; private init; }

    /// <summary>The values the coded reason names (the value refused, a limit), in the order of its placeholders.</summary>
    public IReadOnlyList<object> Arguments { get; private init; } = [];

    /// <summary>An error with a stable <paramref name="code"/>; <paramref name="reason"/> is its English wording (the API's detail).</summary>
    public static DomainValidationException Coded(string field, string code, string reason, params object[] arguments) =>
        new(field, reason) { Code = code, Arguments = arguments };

    /// <summary>The same error, with the field placed under <paramref name="prefix"/> (e.g. <c>entities[2]</c>).</summary>
    public DomainValidationException Under(string prefix) =>
        new(string.IsNullOrEmpty(prefix) ? Field : $"{prefix}.{Field}", Reason) { Code = Code, Arguments = Arguments };
}
