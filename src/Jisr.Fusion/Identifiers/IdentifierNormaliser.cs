using System.Globalization;
using System.Text;
using PhoneNumbers;

namespace Jisr.Fusion.Identifiers;

/// <summary>
/// Normalises and checks identifiers: phone numbers to E.164 (libphonenumber), e-mail addresses, IBANs (mod 97),
/// documents and plates with their issuing country, IMO (check digit) and MMSI numbers, IMEIs (Luhn), Bitcoin
/// (base58check, bech32, bech32m) and Ethereum (EIP-55) addresses, social-media handles and URLs. Never throws on
/// input and never changes what was written: an identifier that does not check out comes back flagged, with the
/// reason, and with the kind it looks like when it seems to have been put in the wrong field.
/// </summary>
public static class IdentifierNormaliser
{
    public const int MaxLength = 300;

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    public static Identifier Normalise(IdentifierKind kind, string? written, string? country = null, string? platform = null)
    {
        var text = written ?? string.Empty;
        var region = country?.Trim().ToUpperInvariant();
        if (region is not null && (region.Length != 2 || !region.All(char.IsAsciiLetterUpper)))
        {
            return new Identifier(kind, text, null, country, $"'{country}' is not an ISO 3166-1 alpha-2 country code");
        }

        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return new Identifier(kind, text, null, region, "is empty");
        }

        if (trimmed.Length > MaxLength)
        {
            return new Identifier(kind, text, null, region, $"is longer than {MaxLength} characters");
        }

        var (normalised, problem, foundRegion) = kind switch
        {
            IdentifierKind.Phone => Phone(trimmed, region),
            IdentifierKind.Email => With(Email(trimmed), region),
            IdentifierKind.Iban => Iban(trimmed),
            IdentifierKind.Passport => Document(trimmed, region, 6, 9, "a passport number"),
            IdentifierKind.IdentityCard => Document(trimmed, region, 4, 20, "an identity card number"),
            IdentifierKind.VehiclePlate => Plate(trimmed, region),
            IdentifierKind.VesselImo => With(Imo(trimmed), region),
            IdentifierKind.VesselMmsi => With(Mmsi(trimmed), region),
            IdentifierKind.Imei => With(Imei(trimmed), region),
            IdentifierKind.Bitcoin => With(Bitcoin(trimmed), region),
            IdentifierKind.Ethereum => With(Ethereum(trimmed), region),
            IdentifierKind.SocialHandle => With(Handle(trimmed, platform), region),
            IdentifierKind.Url => With(Url(trimmed), region),
        };

        if (problem is not null)
        {
            // An identifier in the wrong field: say what it looks like, but keep it as written and under its given kind.
            var looksLike = Guess(trimmed, region).Where(k => k != kind).Select(Identifier.Wire).FirstOrDefault();
            if (looksLike is not null)
            {
                problem += $"; it looks like {looksLike} (wrong field?)";
            }

            return new Identifier(kind, text, null, foundRegion, problem);
        }

        return new Identifier(kind, text, normalised, foundRegion, null);
    }

    /// <summary>The kinds <paramref name="written"/> is a valid identifier of, most specific first.</summary>
    public static IReadOnlyList<IdentifierKind> Guess(string? written, string? country = null)
    {
        var text = written?.Trim() ?? string.Empty;
        if (text.Length is 0 or > MaxLength)
        {
            return [];
        }

        IdentifierKind[] order =
        [
            IdentifierKind.Email, IdentifierKind.Iban, IdentifierKind.Ethereum, IdentifierKind.Bitcoin, IdentifierKind.Imei,
            IdentifierKind.VesselImo, IdentifierKind.Url, IdentifierKind.Phone,
        ];
        return [.. order.Where(k => k switch
        {
            IdentifierKind.Email => Email(text).Problem is null,
            IdentifierKind.Iban => Iban(text).Problem is null,
            IdentifierKind.Ethereum => Ethereum(text).Problem is null,
            IdentifierKind.Bitcoin => Bitcoin(text).Problem is null,
            IdentifierKind.Imei => text.Count(char.IsAsciiDigit) == 15 && Imei(text).Problem is null,
            IdentifierKind.VesselImo => text.StartsWith("IMO", StringComparison.OrdinalIgnoreCase) && Imo(text).Problem is null,
            IdentifierKind.Url => text.Contains("://", StringComparison.Ordinal) && Url(text).Problem is null,
            IdentifierKind.Phone => Phone(text, country).Problem is null,
            _ => false,
        })];
    }

    private static (string? Normalised, string? Problem, string? Region) With((string? Normalised, string? Problem) result, string? region) =>
        (result.Normalised, result.Problem, region);

    private static (string? Normalised, string? Problem, string? Region) Phone(string text, string? region)
    {
        var international = text.StartsWith('+') || text.StartsWith("00", StringComparison.Ordinal);
        if (!international && region is null)
        {
            return (null, "has no international prefix and no country to read it in", region);
        }

        if (region is null && text.StartsWith("00", StringComparison.Ordinal))
        {
            // 00 is the international prefix of nearly every country (ITU-T E.164 recommendation).
            text = "+" + text[2..];
        }

        try
        {
            var number = Phones.Parse(text, region ?? "ZZ");
            var numberRegion = Phones.GetRegionCodeForNumber(number);
            if (!Phones.IsValidNumber(number))
            {
                return (null, $"is not a valid phone number{(region is null ? string.Empty : $" in {region}")}", region);
            }

            return (Phones.Format(number, PhoneNumberFormat.E164), null, numberRegion is null or "ZZ" or "001" ? region : numberRegion);
        }
        catch (NumberParseException e)
        {
            return (null, $"is not a phone number ({e.ErrorType})", region);
        }
    }

    private static (string? Normalised, string? Problem) Email(string text)
    {
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1 || text.IndexOf('@', StringComparison.Ordinal) != at)
        {
            return (null, "is not an e-mail address (one '@' between a name and a domain)");
        }

        var local = text[..at];
        var domain = text[(at + 1)..];
        if (local.Length > 64 || local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal)
            || local.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '(' or ')' or ',' or ':' or ';' or '<' or '>' or '[' or ']' or '\\' or '"'))
        {
            return (null, "has a name part an e-mail address cannot have");
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(domain.TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return (null, $"has a domain '{domain}' that is not a host name");
        }

        if (!ascii.Contains('.', StringComparison.Ordinal) || ascii.Length > 253)
        {
            return (null, $"has a domain '{domain}' without a top-level part");
        }

        // Lower case throughout: providers treat the name part case-insensitively in practice; no provider-specific
        // rewriting (dots, plus-suffixes), which would join addresses the provider keeps apart.
        return ($"{local.ToLowerInvariant()}@{ascii}", null);
    }

    private static (string? Normalised, string? Problem, string? Region) Iban(string text)
    {
        var compact = Compact(text).ToUpperInvariant();
        if (compact.StartsWith("IBAN", StringComparison.Ordinal))
        {
            compact = compact[4..];
        }

        if (compact.Length < 5 || !compact.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetter(compact[0]) || !char.IsAsciiLetter(compact[1])
            || !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]))
        {
            return (null, "is not an IBAN (two letters, two check digits, then the account)", null);
        }

        var country = compact[..2];
        if (!IbanLengths.TryGetValue(country, out var length))
        {
            return (null, $"starts with '{country}', a country that issues no IBAN", null);
        }

        if (compact.Length != length)
        {
            return (null, $"has {compact.Length} characters; an IBAN of {country} has {length}", country);
        }

        return Checksums.IbanMod97(compact) ? (compact, null, country) : (null, "fails its check digits (mod 97)", country);
    }

    private static (string? Normalised, string? Problem, string? Region) Document(string text, string? region, int min, int max, string what)
    {
        var compact = Compact(text).ToUpperInvariant();
        if (!compact.All(char.IsAsciiLetterOrDigit) || compact.Length < min || compact.Length > max)
        {
            return (null, $"is not {what} ({min} to {max} Latin letters and digits)", region);
        }

        if (!compact.Any(char.IsAsciiDigit))
        {
            return (null, $"has no digit, which {what} always has", region);
        }

        return region is null ? (null, "has no issuing country", region) : (compact, null, region);
    }

    private static (string? Normalised, string? Problem, string? Region) Plate(string text, string? region)
    {
        // Plates mix scripts (Moroccan plates carry an Arabic letter): keep every letter and digit, fold digits to ASCII.
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormC))
        {
            if (char.IsDigit(c))
            {
                builder.Append((char)('0' + (int)char.GetNumericValue(c)));
            }
            else if (char.IsLetter(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
            else if (!(char.IsWhiteSpace(c) || c is '-' or '.' or '|' or '/' or '·'))
            {
                return (null, $"contains '{c}', which a plate does not", region);
            }
        }

        var plate = builder.ToString();
        if (plate.Length is < 2 or > 12 || !plate.Any(char.IsAsciiDigit))
        {
            return (null, "is not a vehicle plate (2 to 12 letters and digits, at least one digit)", region);
        }

        return region is null ? (null, "has no issuing country", region) : (plate, null, region);
    }

    private static (string? Normalised, string? Problem) Imo(string text)
    {
        var rest = text.StartsWith("IMO", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        var digits = Compact(rest);
        if (digits.Length != 7 || !digits.All(char.IsAsciiDigit) || rest.Any(char.IsLetter))
        {
            return (null, "is not an IMO number (seven digits)");
        }

        return Checksums.Imo(digits) ? (digits, null) : (null, "fails its IMO check digit");
    }

    private static (string? Normalised, string? Problem) Mmsi(string text)
    {
        var digits = Compact(text);
        if (digits.Length != 9 || !digits.All(char.IsAsciiDigit))
        {
            return (null, "is not an MMSI (nine digits)");
        }

        // ITU-R M.585: ships start with a maritime identification digit 2-7; the other prefixes are coast stations,
        // groups, aircraft, handhelds and AIS devices (SART, MOB, EPIRB), all meaningful to keep.
        var valid = digits[0] is >= '2' and <= '7' || digits.StartsWith("00", StringComparison.Ordinal) || digits[0] == '0'
            || digits.StartsWith("111", StringComparison.Ordinal) || digits[0] == '8' || digits.StartsWith("970", StringComparison.Ordinal)
            || digits.StartsWith("972", StringComparison.Ordinal) || digits.StartsWith("974", StringComparison.Ordinal) || digits.StartsWith("98", StringComparison.Ordinal)
            || digits.StartsWith("99", StringComparison.Ordinal);
        return valid ? (digits, null) : (null, $"starts with '{digits[..3]}', which no MMSI does");
    }

    private static (string? Normalised, string? Problem) Imei(string text)
    {
        var digits = Compact(text);
        if (!digits.All(char.IsAsciiDigit) || digits.Length is not (15 or 16))
        {
            return (null, "is not an IMEI (15 digits, or 16 for an IMEISV)");
        }

        if (digits.Length == 15 && !Checksums.Luhn(digits))
        {
            return (null, "fails its Luhn check digit");
        }

        // The device is its type allocation code and serial (14 digits): an IMEI and the IMEISV of one phone meet.
        return (digits[..14], null);
    }

    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private static (string? Normalised, string? Problem) Bitcoin(string text)
    {
        var lower = text.ToLowerInvariant();
        if (lower.StartsWith("bc1", StringComparison.Ordinal) || lower.StartsWith("tb1", StringComparison.Ordinal))
        {
            var hrp = lower[..2];
            return Bech32.DecodeSegwit(hrp, text, out var problem) is null ? (null, problem) : (lower, null);
        }

        if (text.Length is < 25 or > 35 || !(text[0] is '1' or '3' or 'm' or 'n' or '2'))
        {
            return (null, "is not a Bitcoin address (base58 starting 1 or 3, or bech32 starting bc1)");
        }

        // Checked first: the decoder reports foreign characters inconsistently (some throw out of range).
        if (!text.All(c => Base58Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            return (null, "contains characters base58 does not use (0, O, I, l)");
        }

        var decoded = SimpleBase.Base58.Bitcoin.Decode(text);

        if (decoded.Length != 25 || decoded[0] is not (0x00 or 0x05 or 0x6f or 0xc4))
        {
            return (null, "decodes to no known Bitcoin address version");
        }

        return Checksums.Base58Check(decoded) ? (text, null) : (null, "fails its base58check checksum");
    }

    private static (string? Normalised, string? Problem) Ethereum(string text)
    {
        if (text.Length != 42 || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !text.Skip(2).All(char.IsAsciiHexDigit))
        {
            return (null, "is not an Ethereum address (0x and 40 hexadecimal digits)");
        }

        var hex = text[2..];
        var mixed = hex.Any(char.IsAsciiLetterLower) && hex.Any(char.IsAsciiLetterUpper);
        if (mixed && ChecksumAddress(hex) != "0x" + hex)
        {
            return (null, "fails its EIP-55 checksum (mixed case that does not match)");
        }

        return ("0x" + hex.ToLowerInvariant(), null);
    }

    /// <summary>The EIP-55 mixed-case form of an address given as 40 hex digits.</summary>
    public static string ChecksumAddress(string hex40)
    {
        var lower = hex40.ToLowerInvariant();
        var hash = Keccak256.Hash(Encoding.ASCII.GetBytes(lower));
        var result = new StringBuilder("0x", 42);
        for (var i = 0; i < 40; i++)
        {
            var nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF;
            result.Append(nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i]);
        }

        return result.ToString();
    }

    private static (string? Normalised, string? Problem) Handle(string text, string? platform)
    {
        string? host = null;
        var handle = text;
        if (text.Contains("://", StringComparison.Ordinal) || text.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text, UriKind.Absolute, out var uri))
            {
                return (null, "is not a handle or a profile address");
            }

            host = uri.Host.ToLowerInvariant();
            var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var skip = segments.Length > 1 && segments[0] is "in" or "add" or "c" or "user" ? 1 : 0;
            if (segments.Length <= skip)
            {
                return (null, "is a site's address, not a profile's");
            }

            handle = Uri.UnescapeDataString(segments[skip]);
        }
        else if (platform is null && text.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
        {
            platform = text[..colon];
            handle = text[(colon + 1)..];
        }

        var name = PlatformOf(host) ?? PlatformOf(platform?.Trim().ToLowerInvariant()) ?? platform?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(name))
        {
            return (null, "has no platform (give one, or write the profile's address)");
        }

        handle = handle.Trim().TrimStart('@');
        if (handle.Length is 0 or > 64 || !handle.All(c => char.IsLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            return (null, "is not a handle (letters, digits, '_', '.', '-')");
        }

        return ($"{name}:{handle.ToLowerInvariant()}", null);
    }

    private static string? PlatformOf(string? hostOrName)
    {
        if (hostOrName is null)
        {
            return null;
        }

        var host = hostOrName.StartsWith("www.", StringComparison.Ordinal) ? hostOrName[4..] : hostOrName;
        host = host.StartsWith("m.", StringComparison.Ordinal) || host.StartsWith("mobile.", StringComparison.Ordinal) ? host[(host.IndexOf('.', StringComparison.Ordinal) + 1)..] : host;
        return host switch
        {
            "twitter.com" or "x.com" or "twitter" or "x" => "x",
            "facebook.com" or "fb.com" or "facebook" => "facebook",
            "instagram.com" or "instagram" => "instagram",
            "t.me" or "telegram.me" or "telegram" => "telegram",
            "tiktok.com" or "tiktok" => "tiktok",
            "youtube.com" or "youtube" => "youtube",
            "linkedin.com" or "linkedin" => "linkedin",
            "github.com" or "github" => "github",
            "snapchat.com" or "snapchat" => "snapchat",
            _ => null,
        };
    }

    private static (string? Normalised, string? Problem) Url(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            return (null, "is not an http(s) address");
        }

        // Scheme and host lower case, IDN host in ASCII, default port and fragment dropped; path and query as written.
        var builder = new UriBuilder(uri) { Fragment = string.Empty, Host = uri.IdnHost.ToLowerInvariant() };
        if (uri.IsDefaultPort)
        {
            builder.Port = -1;
        }

        return (builder.Uri.AbsoluteUri, null);
    }

    private static string Compact(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c is '-' or '.' or '/')
            {
                continue;
            }

            builder.Append(char.IsDigit(c) && !char.IsAsciiDigit(c) ? (char)('0' + (int)char.GetNumericValue(c)) : c);
        }

        return builder.ToString();
    }

    /// <summary>IBAN lengths by country (SWIFT IBAN registry), with the Maghreb's national IBAN formats (DZ, MA) that checks also use.</summary>
    private static readonly Dictionary<string, int> IbanLengths = new(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22,
        ["BI"] = 27, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DJ"] = 27,
        ["DK"] = 18, ["DO"] = 28, ["DZ"] = 26, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FK"] = 18, ["FO"] = 18,
        ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28,
        ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26, ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28,
        ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["LY"] = 25, ["MA"] = 28, ["MC"] = 27, ["MD"] = 24,
        ["ME"] = 22, ["MK"] = 19, ["MN"] = 20, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NI"] = 28, ["NL"] = 18, ["NO"] = 15,
        ["OM"] = 23, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["RU"] = 33,
        ["SA"] = 24, ["SC"] = 31, ["SD"] = 18, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["SO"] = 23, ["ST"] = 25,
        ["SV"] = 28, ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20, ["YE"] = 30,
    };
}
