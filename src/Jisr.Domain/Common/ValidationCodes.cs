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

    /// <summary>{0}: the fewest characters allowed.</summary>
    public const string TooShort = "too-short";

    /// <summary>{0}, {1}: the fewest and the most characters allowed.</summary>
    public const string LengthBetween = "length-between";

    /// <summary>{0}: the most allowed.</summary>
    public const string TooMany = "too-many";

    public const string UnknownValue = "unknown-value";

    /// <summary>{0}: the accepted values, comma-separated.</summary>
    public const string MustBeOneOf = "must-be-one-of";

    /// <summary>{0}, {1}: the lowest and the highest value allowed.</summary>
    public const string OutOfRange = "out-of-range";

    /// <summary>{0}, {1}: the bounds, themselves excluded.</summary>
    public const string BetweenExclusive = "between-exclusive";

    /// <summary>{0}: the value given.</summary>
    public const string NotANumber = "not-a-number";

    /// <summary>{0}: the value given.</summary>
    public const string NotATimestamp = "not-a-timestamp";

    public const string DayNeedsMonth = "day-needs-month";

    public const string EndBeforeStart = "end-before-start";

    public const string NotAString = "not-a-string";

    public const string NotAnObject = "not-an-object";

    public const string NotAnId = "not-an-id";

    /// <summary>{0}: the value given.</summary>
    public const string NotACursor = "not-a-cursor";

    /// <summary>{0}: the value given twice.</summary>
    public const string UsedTwice = "used-twice";

    /// <summary>{0}: the entity type; {1}: its attributes, comma-separated.</summary>
    public const string NotAnAttribute = "not-an-attribute";

    public const string IdOrType = "id-or-type";

    public const string PartnerEntity = "partner-entity";

    public const string CoordinatesTogether = "coordinates-together";

    /// <summary>{0}: the value given.</summary>
    public const string NotAnImo = "not-an-imo";

    /// <summary>{0}: how many digits.</summary>
    public const string Digits = "digits";

    /// <summary>{0}: the value given.</summary>
    public const string NotAnAgencyCode = "not-an-agency-code";

    /// <summary>{0}: the agency code given.</summary>
    public const string NoSuchAgency = "no-such-agency";

    /// <summary>{0}: the user name given.</summary>
    public const string NoSuchUser = "no-such-user";

    /// <summary>{0}: the agency code.</summary>
    public const string AgencyCodeTaken = "agency-code-taken";

    public const string OwnAgency = "own-agency";

    public const string AgreementSameAgency = "agreement-same-agency";

    public const string BackDated = "back-dated";

    public const string HandlingCodeRequired = "handling-code-required";

    public const string AgreementParties = "agreement-parties";

    public const string AlreadyHolds = "already-holds";

    public const string RecipientsLocalOrRemote = "recipients-local-or-remote";

    public const string RedNeedsRecipients = "red-needs-recipients";

    public const string OriginatorHolds = "originator-holds";

    public const string ThreeAgencies = "three-agencies";

    public const string ChangeTooLarge = "change-too-large";

    public const string NoticeSubject = "notice-subject";

    public const string RecipientRequired = "recipient-required";

    public const string IssuerNotRecipient = "issuer-not-recipient";

    /// <summary>{0}: the threat domain.</summary>
    public const string NoPartnerCovers = "no-partner-covers";

    /// <summary>{0}: the agency code.</summary>
    public const string RecipientNotPartner = "recipient-not-partner";

    public const string NoticeColourFixed = "notice-colour-fixed";

    public const string NoticeSubjectFixed = "notice-subject-fixed";

    public const string NoticeRecipientDomain = "notice-recipient-domain";

    public const string SamePerson = "same-person";

    public const string PurposeRequired = "purpose-required";

    public const string CodeMismatch = "code-mismatch";

    public const string InvalidUserName = "invalid-user-name";

    /// <summary>{0}: the account store's own words (English).</summary>
    public const string AccountRefused = "account-refused";

    public const string NameUnreadable = "name-unreadable";

    public const string NameOrIdentifier = "name-or-identifier";

    /// <summary>{0}: the value given; {1}: the known kinds, comma-separated.</summary>
    public const string NotKindValue = "not-kind-value";

    /// <summary>{0}: the identifier's kind.</summary>
    public const string IdentifierNeedsCountry = "identifier-needs-country";

    /// <summary>{0}: the identifier's kind; {1}: the value; {2}: what is wrong (English).</summary>
    public const string IdentifierInvalid = "identifier-invalid";

    public const string OwnNode = "own-node";

    /// <summary>{0}: the agency code.</summary>
    public const string AgencyClash = "agency-clash";

    public const string NotAFingerprint = "not-a-fingerprint";

    /// <summary>{0}: the value given.</summary>
    public const string NotHttps = "not-https";

    /// <summary>{0}: what went wrong (English).</summary>
    public const string PeerUnreachable = "peer-unreachable";

    /// <summary>{0}: the address.</summary>
    public const string HttpsNeedsCertificate = "https-needs-certificate";

    /// <summary>{0}: the path given.</summary>
    public const string NoSuchFile = "no-such-file";

    public const string CertificateWithoutKey = "certificate-without-key";

    /// <summary>{0}: the day it expired (YYYY-MM-DD).</summary>
    public const string CertificateExpired = "certificate-expired";

    public const string CertificateUnreadable = "certificate-unreadable";
}
