namespace Jisr.Fusion.Identifiers;

/// <summary>
/// Bech32 (BIP-173) and bech32m (BIP-350) decoding for segwit addresses, after the reference implementation: no
/// package serves it without a whole Bitcoin stack, and the algorithm is fixed by the two BIPs.
/// </summary>
public static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const uint Bech32Constant = 1;
    private const uint Bech32mConstant = 0x2bc830a3;

    public enum Encoding
    {
        Bech32,
        Bech32m,
    }

    /// <summary>Decodes a segwit address for <paramref name="hrp"/>; null with a reason when it is not one.</summary>
    public static (int Version, byte[] Program)? DecodeSegwit(string hrp, string address, out string? problem)
    {
        var decoded = Decode(address, out problem);
        if (decoded is null)
        {
            return null;
        }

        var (foundHrp, data, encoding) = decoded.Value;
        if (foundHrp != hrp)
        {
            problem = $"belongs to network '{foundHrp}', not '{hrp}'";
            return null;
        }

        if (data.Length == 0 || data[0] > 16)
        {
            problem = "has no valid witness version";
            return null;
        }

        var version = data[0];
        var program = ConvertBits(data.AsSpan(1), 5, 8, pad: false);
        if (program is null || program.Length is < 2 or > 40)
        {
            problem = "has a witness program of the wrong length";
            return null;
        }

        if (version == 0 && program.Length is not (20 or 32))
        {
            problem = "has a version 0 program that is neither 20 nor 32 bytes";
            return null;
        }

        if ((version == 0) != (encoding == Encoding.Bech32))
        {
            problem = version == 0 ? "is a version 0 address with a bech32m checksum" : "is a version 1+ address with a bech32 (not bech32m) checksum";
            return null;
        }

        return (version, program);
    }

    private static (string Hrp, byte[] Data, Encoding Encoding)? Decode(string text, out string? problem)
    {
        problem = null;
        if (text.Length > 90)
        {
            problem = "is longer than 90 characters";
            return null;
        }

        bool lower = false, upper = false;
        foreach (var c in text)
        {
            if (c is < (char)33 or > (char)126)
            {
                problem = "contains a character outside printable ASCII";
                return null;
            }

            lower |= char.IsAsciiLetterLower(c);
            upper |= char.IsAsciiLetterUpper(c);
        }

        if (lower && upper)
        {
            problem = "mixes upper and lower case";
            return null;
        }

        var s = text.ToLowerInvariant();
        var separator = s.LastIndexOf('1');
        if (separator < 1 || separator + 7 > s.Length)
        {
            problem = "has no separator or a too short checksum";
            return null;
        }

        var data = new byte[s.Length - separator - 1];
        for (var i = 0; i < data.Length; i++)
        {
            var at = Charset.IndexOf(s[separator + 1 + i], StringComparison.Ordinal);
            if (at < 0)
            {
                problem = $"contains '{s[separator + 1 + i]}', which bech32 does not use";
                return null;
            }

            data[i] = (byte)at;
        }

        var hrp = s[..separator];
        var check = Polymod(HrpExpand(hrp).Concat(data));
        Encoding? encoding = check switch
        {
            Bech32Constant => Encoding.Bech32,
            Bech32mConstant => Encoding.Bech32m,
            _ => null,
        };
        if (encoding is null)
        {
            problem = "fails its bech32 checksum";
            return null;
        }

        return (hrp, data[..^6], encoding.Value);
    }

    private static uint Polymod(IEnumerable<byte> values)
    {
        uint[] generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint chk = 1;
        foreach (var v in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    chk ^= generator[i];
                }
            }
        }

        return chk;
    }

    private static byte[] HrpExpand(string hrp)
    {
        var result = new byte[(hrp.Length * 2) + 1];
        for (var i = 0; i < hrp.Length; i++)
        {
            result[i] = (byte)(hrp[i] >> 5);
            result[hrp.Length + 1 + i] = (byte)(hrp[i] & 31);
        }

        return result;
    }

    private static byte[]? ConvertBits(ReadOnlySpan<byte> data, int from, int to, bool pad)
    {
        var acc = 0;
        var bits = 0;
        var result = new List<byte>();
        var maxv = (1 << to) - 1;
        foreach (var value in data)
        {
            acc = ((acc << from) | value) & 0xfffff;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((acc >> bits) & maxv));
            }
        }

        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((acc << (to - bits)) & maxv));
            }
        }
        else if (bits >= from || ((acc << (to - bits)) & maxv) != 0)
        {
            return null;
        }

        return [.. result];
    }
}
