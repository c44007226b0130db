using System.Text.RegularExpressions;

namespace Jisr.Domain.Entities;

/// <summary>A telephone number; the key is "+" and its digits, so "+212 6-61 23 45 67" and "+212661234567" are one number.</summary>
public sealed class PhoneNumber : Entity
{
    private PhoneNumber()
    {
    }

    private PhoneNumber(AgencyId agencyId, DateTimeOffset now)
        : base(agencyId, now)
    {
    }

    public override EntityType Type => EntityType.Phone;

    public string Number => Label;

    public static PhoneNumber Create(AgencyId agencyId, string? number, DateTimeOffset now)
    {
        var text = Guard.Text(number, "number", 40);
        var digits = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is >= '\u0660' and <= '\u0669')
            {
                digits.Append((char)('0' + (c - '\u0660')));
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '+' or '/'))
            {
                throw DomainValidationException.Coded("number", ValidationCodes.PhoneCharacter, $"'{c}' is not allowed in a phone number", c.ToString());
            }
        }

        Guard.That(digits.Length is >= 6 and <= 15, "number", ValidationCodes.PhoneDigits, "must have 6 to 15 digits");
        var international = text.StartsWith('+') || text.StartsWith("00", StringComparison.Ordinal);
        var key = international ? "+" + digits.ToString().TrimStart('0') : digits.ToString();
        return new PhoneNumber(agencyId, now) { Label = text, Key = key };
    }
}

public sealed partial class EmailAddress : Entity
{
    private EmailAddress()
    {
    }

    private EmailAddress(AgencyId agencyId, DateTimeOffset now)
        : base(agencyId, now)
    {
    }

    public override EntityType Type => EntityType.Email;

    public string Address => Label;

    public static EmailAddress Create(AgencyId agencyId, string? address, DateTimeOffset now)
    {
        var text = Guard.Text(address, "address", 254);
        Guard.That(EmailPattern().IsMatch(text), "address", ValidationCodes.NotAnEmail, $"'{text}' is not an e-mail address", text);
        return new EmailAddress(agencyId, now) { Label = text, Key = text.ToLowerInvariant() };
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}

/// <summary>An account or page on a platform (social network, messaging service, forum, website).</summary>
public sealed class OnlineAccount : Entity
{
    private OnlineAccount()
    {
        Platform = string.Empty;
    }

    private OnlineAccount(AgencyId agencyId, DateTimeOffset now)
        : base(agencyId, now)
    {
        Platform = string.Empty;
    }

    public override EntityType Type => EntityType.OnlineAccount;

    public string Platform { get; private set; }

    public string? Handle { get; private set; }

    public Uri? Url { get; private set; }

    public static OnlineAccount Create(AgencyId agencyId, string? platform, string? handle, string? url, DateTimeOffset now)
    {
        var p = Guard.Text(platform, "platform", 100);
        var h = Guard.OptionalText(handle, "handle", 200);
        Uri? u = null;
        if (Guard.OptionalText(url, "url", 2000) is { } urlText)
        {
            Guard.That(
                Uri.TryCreate(urlText, UriKind.Absolute, out u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps),
                "url",
                ValidationCodes.NotAUrl,
                $"'{urlText}' is not an http(s) address",
                urlText);
        }

        Guard.That(h is not null || u is not null, "handle", ValidationCodes.HandleOrUrl, "an online account needs a handle or a url");
        return new OnlineAccount(agencyId, now)
        {
            Platform = p,
            Handle = h,
            Url = u,
            Label = h is null ? u!.ToString() : $"{h} ({p})",
            Key = h is null ? u!.ToString().ToLowerInvariant() : $"{p.ToLowerInvariant()}:{h.TrimStart('@').ToLowerInvariant()}",
        };
    }
}

public enum DocumentKind
{
    Passport,
    IdCard,
    ResidencePermit,
    DrivingLicence,
    Visa,
    Other,
}

/// <summary>An identity or travel document.</summary>
public sealed class IdentityDocument : Entity
{
    public static readonly WireNames<DocumentKind> Kinds = new(
        (DocumentKind.Passport, "passport"),
        (DocumentKind.IdCard, "id-card"),
        (DocumentKind.ResidencePermit, "residence-permit"),
        (DocumentKind.DrivingLicence, "driving-licence"),
        (DocumentKind.Visa, "visa"),
        (DocumentKind.Other, "other"));

    private IdentityDocument()
    {
        Number = string.Empty;
        IssuingCountry = string.Empty;
    }

    private IdentityDocument(AgencyId agencyId, DateTimeOffset now)
        : base(agencyId, now)
    {
        Number = string.Empty;
        IssuingCountry = string.Empty;
    }

    public override EntityType Type => EntityType.Document;

    public DocumentKind DocumentKind { get; private set; }

    public string Number { get; private set; }

    public string IssuingCountry { get; private set; }

    public DateOnly? ExpiresOn { get; private set; }

    public static IdentityDocument Create(AgencyId agencyId, DocumentKind kind, string? number, string? issuingCountry, DateOnly? expiresOn, DateTimeOffset now)
    {
        var n = Guard.Text(number, "number", 50).ToUpperInvariant();
        var country = CountryCode.Parse(issuingCountry, "issuingCountry");
        return new IdentityDocument(agencyId, now)
        {
            DocumentKind = kind,
            Number = n,
            IssuingCountry = country,
            ExpiresOn = expiresOn,
            Label = $"{Kinds[kind]} {country} {n}",
            Key = $"{Kinds[kind]}:{country}:{new string([.. n.Where(char.IsLetterOrDigit)])}",
        };
    }
}

public sealed class Vehicle : Entity
{
    private Vehicle()
    {
    }

    private Vehicle(AgencyId agencyId, DateTimeOffset now)
        : base(agencyId, now)
    {
    }

    public override EntityType Type => EntityType.Vehicle;

    public string Registration => Label;

    public string? Country { get; private set; }

    public string? Make { get; private set; }

    public string? Model { get; private set; }

    public string? Colour { get; private set; }

    public static Vehicle Create(AgencyId agencyId, string? registration, string? country, string? make, string? model, string? colour, DateTimeOffset now)
    {
        var plate = Guard.Text(registration, "registration", 30);
        var c = country is null ? null : CountryCode.Parse(country, "country");
        return new Vehicle(agencyId, now)
        {
            Label = plate,
            Country = c,
            Make = Guard.OptionalText(make, "make", 100),
            Model = Guard.OptionalText(model, "model", 100),
            Colour = Guard.OptionalText(colour, "colour", 50),
            Key = $"{c}:{new string([.. plate.ToUpperInvariant().Where(char.IsLetterOrDigit)])}",
        };
    }
}

public sealed class Vessel : Entity
{
    private Vessel()
    {
    }

    private Vessel(AgencyId agencyId, DateTimeOffset now)
        : base(agencyId, now)
    {
    }

    public override EntityType Type => EntityType.Vessel;

    public string Name => Label;

    /// <summary>IMO ship number (7 digits, last one a check digit).</summary>
    public string? Imo { get; private set; }

    /// <summary>Maritime Mobile Service Identity (9 digits).</summary>
    public string? Mmsi { get; private set; }

    public string? Flag { get; private set; }

    public static Vessel Create(AgencyId agencyId, string? name, string? imo, string? mmsi, string? flag, DateTimeOffset now)
    {
        var imoText = Guard.OptionalText(imo, "imo", 20);
        if (imoText is not null)
        {
            imoText = imoText.StartsWith("IMO", StringComparison.OrdinalIgnoreCase) ? imoText[3..].Trim() : imoText;
            Guard.That(IsValidImo(imoText), "imo", ValidationCodes.NotAnImo, $"'{imo}' is not a valid IMO number (7 digits with check digit)", imo ?? string.Empty);
        }

        var mmsiText = Guard.OptionalText(mmsi, "mmsi", 20);
        Guard.That(mmsiText is null || (mmsiText.Length == 9 && mmsiText.All(char.IsAsciiDigit)), "mmsi", ValidationCodes.Digits, "must be 9 digits", 9);
        return new Vessel(agencyId, now)
        {
            Label = Guard.Text(name, "name", MaxLabelLength),
            Imo = imoText,
            Mmsi = mmsiText,
            Flag = flag is null ? null : CountryCode.Parse(flag, "flag"),
            Key = imoText is not null ? $"imo:{imoText}" : mmsiText is not null ? $"mmsi:{mmsiText}" : null,
        };
    }

    public static bool IsValidImo(string digits)
    {
        if (digits.Length != 7 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 6; i++)
        {
            sum += (digits[i] - '0') * (7 - i);
        }

        return sum % 10 == digits[6] - '0';
    }
}

/// <summary>A bank account known by its IBAN (checked with ISO 13616 mod-97).</summary>
public sealed class BankAccount : Entity
{
    private BankAccount()
    {
    }

    private BankAccount(AgencyId agencyId, DateTimeOffset now)
        : base(agencyId, now)
    {
    }

    public override EntityType Type => EntityType.BankAccount;

    public string Iban => Key!;

    public string? Bic { get; private set; }

    public string? Holder { get; private set; }

    public static BankAccount Create(AgencyId agencyId, string? iban, string? bic, string? holder, DateTimeOffset now)
    {
        var compact = new string([.. Guard.Text(iban, "iban", 50).Where(c => !char.IsWhiteSpace(c))]).ToUpperInvariant();
        Guard.That(IsValidIban(compact), "iban", ValidationCodes.NotAnIban, $"'{iban}' is not a valid IBAN (country, check digits, account; mod-97 must hold)", iban ?? string.Empty);
        var bicText = Guard.OptionalText(bic, "bic", 11)?.ToUpperInvariant();
        Guard.That(bicText is null || (bicText.Length is 8 or 11 && bicText.All(char.IsAsciiLetterOrDigit)), "bic", ValidationCodes.NotABic, "must be 8 or 11 letters and digits");
        return new BankAccount(agencyId, now)
        {
            Key = compact,
            Label = string.Join(' ', compact.Chunk(4).Select(c => new string(c))),
            Bic = bicText,
            Holder = Guard.OptionalText(holder, "holder", MaxLabelLength),
        };
    }

    public static bool IsValidIban(string iban)
    {
        if (iban.Length is < 15 or > 34 || !char.IsAsciiLetterUpper(iban[0]) || !char.IsAsciiLetterUpper(iban[1])
            || !char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3]) || !iban.All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }

        var remainder = 0;
        foreach (var c in string.Concat(iban.AsSpan(4), iban.AsSpan(0, 4)))
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value < 10 ? ((remainder * 10) + value) % 97 : ((remainder * 100) + value) % 97;
        }

        return remainder == 1;
    }
}

public sealed class CryptoWallet : Entity
{
    private CryptoWallet()
    {
        Currency = string.Empty;
    }

    private CryptoWallet(AgencyId agencyId, DateTimeOffset now)
        : base(agencyId, now)
    {
        Currency = string.Empty;
    }

    public override EntityType Type => EntityType.CryptoWallet;

    public string Currency { get; private set; }

    public string Address => Label;

    public static CryptoWallet Create(AgencyId agencyId, string? currency, string? address, DateTimeOffset now)
    {
        var c = Guard.Text(currency, "currency", 10).ToUpperInvariant();
        Guard.That(c.All(char.IsAsciiLetterOrDigit), "currency", ValidationCodes.CurrencyTicker, "must be a ticker such as BTC, ETH or USDT");
        var a = Guard.Text(address, "address", 128);
        Guard.That(a.Length >= 20 && a.All(char.IsAsciiLetterOrDigit), "address", ValidationCodes.WalletAddress, "must be 20-128 letters and digits");
        return new CryptoWallet(agencyId, now) { Currency = c, Label = a, Key = $"{c}:{a}" };
    }
}
