namespace Jisr.Server.Web;

/// <summary>
/// A service's validation reason in the reader's language: by its stable code (<see cref="ValidationCodes"/>, resource
/// <c>Reason.{code}</c> with the error's arguments); a reason without a code, or a code without a translation, is
/// shown as the service wrote it.
/// </summary>
public static class ValidationReasons
{
    public static string Of(IStringLocalizer texts, DomainValidationException error)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(error);
        if (error.Code is { } code)
        {
            var translated = texts[$"Reason.{code}", [.. error.Arguments]];
            if (!translated.ResourceNotFound)
            {
                return translated.Value;
            }
        }

        return error.Reason;
    }
}
