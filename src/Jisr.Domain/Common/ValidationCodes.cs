namespace Jisr.Domain.Common;

/// <summary>
/// Stable codes of validation reasons (<see cref="DomainValidationException.Code"/>): an interface translates a reason
/// by its code, with <see cref="DomainValidationException.Arguments"/> for the placeholders noted here, instead of
/// showing the English wording inside a message in another language. A code, once given, keeps its meaning.
/// </summary>
public static class ValidationCodes
{
    public const string Required = "required";

    /// <summary>{0}: the longest length allowed, in characters.</summary>
    public const string TooLong = "too-long";

    public const string InvalidUnicode = "invalid-unicode";

    public const string ControlCharacters = "control-characters";

    /// <summary>{0}: the value given; {1}: the accepted names, comma-separated.</summary>
    public const string NotOneOf = "not-one-of";

    /// <summary>{0}: the accepted names, comma-separated.</summary>
    public const string RequiredOneOf = "required-one-of";

    /// <summary>{0}: the value given.</summary>
    public const string NotADate = "not-a-date";

    public const string DateRange = "date-range";

    public const string InFuture = "in-future";

    /// <summary>{0}: the value given.</summary>
    public const string NotACountry = "not-a-country";

    /// <summary>{0}: the character refused.</summary>
    public const string PhoneCharacter = "phone-character";

    public const string PhoneDigits = "phone-digits";

    /// <summary>{0}: the value given.</summary>
    public const string NotAnEmail = "not-an-email";

    /// <summary>{0}: the value given.</summary>
    public const string NotAnIban = "not-an-iban";

    public const string NotABic = "not-a-bic";

    public const string CurrencyTicker = "currency-ticker";

    public const string WalletAddress = "wallet-address";

    public const string NotAUrl = "not-a-url";

    public const string HandleOrUrl = "handle-or-url";

    public const string PersonNeedsName = "person-needs-name";

    public const string NameNeedsLetter = "name-needs-letter";

    public const string LinkSameEntity = "link-same-entity";

    /// <summary>A link's end, or a reference, that is not one of the record's entities.</summary>
    public const string NotARecordEntity = "not-a-record-entity";

    public const string ThreatDomainRequired = "threat-domain-required";

    /// <summary>{0}: the value given.</summary>
    public const string NotALanguage = "not-a-language";

    /// <summary>{0}: the value given (a grade, or the letter or digit of one).</summary>
    public const string NotAGrade = "not-a-grade";

    public const string RecipientsOnlyRed = "recipients-only-red";

    public const string MustBeFuture = "must-be-future";

    public const string ReviewAfterToday = "review-after-today";

    public const string ReviewBeforeRetention = "review-before-retention";

    public const string HandlingNoteRequired = "handling-note-required";

    public const string HandlingNoteOnlyH3 = "handling-note-only-h3";
}
