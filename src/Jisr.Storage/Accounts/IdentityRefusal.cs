namespace Jisr.Storage.Accounts;

/// <summary>
/// An Identity refusal (a password too short, a user name with characters it does not take) as a coded validation
/// error, so that an interface says it in the reader's language; any other Identity error keeps its English
/// description as the argument of a general code.
/// </summary>
internal static class IdentityRefusal
{
    public static DomainValidationException Of(string field, IdentityError error) => error.Code switch
    {
        nameof(IdentityErrorDescriber.PasswordTooShort) => DomainValidationException.Coded(field, ValidationCodes.TooShort, error.Description, StorageServices.MinimumPasswordLength),
        nameof(IdentityErrorDescriber.InvalidUserName) => DomainValidationException.Coded(field, ValidationCodes.InvalidUserName, error.Description),
        _ => DomainValidationException.Coded(field, ValidationCodes.AccountRefused, error.Description, error.Description),
    };
}
