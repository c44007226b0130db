namespace Jisr.Fusion.Identifiers;

/// <summary>The small check-digit algorithms identifiers carry (written here: each is a few lines and fixed by its standard).</summary>
public static class Checksums
{
    /// <summary>Luhn (ISO/IEC 7812-1) over ASCII digits, the last one being the check digit.</summary>
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    /// <summary>ISO 13616 / ISO 7064 mod 97-10 over an IBAN of upper-case letters and digits.</summary>
    public static bool IbanMod97(string iban)
    {
        var rotated = string.Concat(iban.AsSpan(4), iban.AsSpan(0, 4));
        var remainder = 0;
        foreach (var c in rotated)
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? ((remainder * 100) + value) % 97 : ((remainder * 10) + value) % 97;
        }

        return remainder == 1;
    }

    /// <summary>IMO ship number: the six first digits weighted 7..2, the sum's last digit is the seventh.</summary>
    public static bool Imo(ReadOnlySpan<char> sevenDigits)
    {
        var sum = 0;
        for (var i = 0; i < 6; i++)
        {
            sum += (sevenDigits[i] - '0') * (7 - i);
        }

        return sum % 10 == sevenDigits[6] - '0';
    }

    /// <summary>Base58check: the last four bytes are the first four of SHA-256(SHA-256(payload)).</summary>
    public static bool Base58Check(ReadOnlySpan<byte> decoded)
    {
        if (decoded.Length < 5)
        {
            return false;
        }

        var payload = decoded[..^4];
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(payload, hash);
        System.Security.Cryptography.SHA256.HashData(hash, hash);
        return hash[..4].SequenceEqual(decoded[^4..]);
    }

}
