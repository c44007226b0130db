using System.ComponentModel.DataAnnotations;

namespace Jisr.Server.Web;

/// <summary>
/// The longest text a form field takes, checked when the form is sent, with the message in the reader's language.
/// Unlike <see cref="StringLengthAttribute"/> it gives the field no <c>maxlength</c>: a browser cuts a longer paste
/// there silently, and the person would lose the end of their text without being told. site.js checks the same
/// limit before sending (<c>data-max-length</c>), so a long paste is refused at once, with the text still in place.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TextLimitAttribute(int maximum) : ValidationAttribute
{
    public int Maximum { get; } = maximum;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        // Counted as the record keeps it: browsers send a textarea's line breaks as CR LF, the record keeps LF.
        if (value is not string text || text.ReplaceLineEndings("\n").Length <= Maximum)
        {
            return ValidationResult.Success;
        }

        var texts = validationContext.GetService(typeof(IStringLocalizer<SharedResource>)) as IStringLocalizer<SharedResource>;
        var message = texts?["Validation.TooLong", validationContext.DisplayName, Maximum].Value ?? $"at most {Maximum} characters";
        return new ValidationResult(message, validationContext.MemberName is { } member ? [member] : null);
    }
}
