using Jisr.Fusion.Identifiers;

namespace Jisr.Fusion.Tests;

public class IdentifierTests
{
    private static Identifier N(IdentifierKind kind, string text, string? country = null, string? platform = null) =>
        IdentifierNormaliser.Normalise(kind, text, country, platform);

    [Theory]
    [InlineData("MA", "06 61 23 45 67", "+212661234567")]
    [InlineData("MA", "0522-22-33-44", "+212522223344")]
    [InlineData("MA", "٠٦٦١٢٣٤٥٦٧", "+212661234567")]
    [InlineData("DZ", "0551 23 45 67", "+213551234567")]
    [InlineData("TN", "20 123 456", "+21620123456")]
    [InlineData("ES", "612 34 56 78", "+34612345678")]
    [InlineData("FR", "06 12 34 56 78", "+33612345678")]
    [InlineData("BE", "0470 12 34 56", "+32470123456")]
    [InlineData("NL", "06-12345678", "+31612345678")]
    [InlineData("DE", "0151 23456789", "+4915123456789")]
    [InlineData("IT", "312 345 6789", "+393123456789")]
    [InlineData("AE", "050 123 4567", "+971501234567")]
    [InlineData("SA", "050 123 4567", "+966501234567")]
    [InlineData("QA", "3312 3456", "+97433123456")]
    [InlineData("KW", "5001 2345", "+96550012345")]
    [InlineData("BH", "3600 1234", "+97336001234")]
    [InlineData("OM", "9212 3456", "+96892123456")]
    [InlineData(null, "00212 661-234567", "+212661234567")]
    [InlineData("FR", "+212 661 23 45 67", "+212661234567")]
    public void Phone_numbers_in_national_formats_become_E164(string? country, string written, string e164)
    {
        var id = N(IdentifierKind.Phone, written, country);
        Assert.True(id.IsValid, id.Problem);
        Assert.Equal(e164, id.Normalised);
        Assert.Equal(written, id.Written);
        Assert.Equal($"phone:{e164}", id.Key);
    }

    [Fact]
    public void A_phone_number_in_the_wrong_country_or_without_one_is_flagged_not_fixed()
    {
        var tooShort = N(IdentifierKind.Phone, "06 61 23", "MA");
        Assert.False(tooShort.IsValid);
        Assert.Null(tooShort.Key);
        Assert.Equal("06 61 23", tooShort.Written);

        var noCountry = N(IdentifierKind.Phone, "0661234567");
        Assert.Contains("no international prefix", noCountry.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Email_addresses_fold_case_and_IDN_domains_but_keep_provider_specific_forms_apart()
    {
        Assert.Equal("karim.b@example.ma", N(IdentifierKind.Email, " Karim.B@Example.MA ").Normalised);
        Assert.Equal("ali@xn--mgbh0fb.xn--kgbechtv", N(IdentifierKind.Email, "ali@مثال.إختبار").Normalised);
        Assert.NotEqual(N(IdentifierKind.Email, "a.b@gmail.com").Key, N(IdentifierKind.Email, "ab@gmail.com").Key);
        foreach (var bad in new[] { "karim", "karim@", "@example.ma", "a@@b.ma", "a b@c.ma", "a@localhost", "a..b@c.ma" })
        {
            Assert.False(N(IdentifierKind.Email, bad).IsValid, bad);
        }
    }

    [Theory]
    [InlineData("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432")]
    [InlineData("de89 3704 0044 0532 0130 00", "DE89370400440532013000")]
    [InlineData("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606")]
    [InlineData("IBAN ES91 2100 0418 4502 0005 1332", "ES9121000418450200051332")]
    [InlineData("TN59 1000 6035 1835 9847 8831", "TN5910006035183598478831")]
    public void Valid_IBANs_are_compacted_and_upper_cased(string written, string iban)
    {
        var id = N(IdentifierKind.Iban, written);
        Assert.True(id.IsValid, id.Problem);
        Assert.Equal(iban, id.Normalised);
        Assert.Equal(iban[..2], id.Country);
    }

    [Theory]
    [InlineData("GB82 WEST 1234 5698 7654 33", "mod 97")]
    [InlineData("GB28 WEST 1234 5698 7654 32", "mod 97")]
    [InlineData("DE89 3704 0044 0532 0130", "has 20 characters; an IBAN of DE has 22")]
    [InlineData("XX89 3704 0044 0532 0130 00", "issues no IBAN")]
    public void A_mistyped_IBAN_is_flagged_with_the_reason(string written, string reason)
    {
        var id = N(IdentifierKind.Iban, written);
        Assert.False(id.IsValid);
        Assert.Contains(reason, id.Problem, StringComparison.Ordinal);
        Assert.Equal(written, id.Written);
    }

    [Fact]
    public void Documents_and_plates_need_their_issuing_country_and_carry_it_in_the_key()
    {
        var passport = N(IdentifierKind.Passport, "ab 123 4567", "ma");
        Assert.Equal("passport:MA:AB1234567", passport.Key);
        Assert.NotEqual(passport.Key, N(IdentifierKind.Passport, "AB1234567", "DZ").Key);
        Assert.Contains("issuing country", N(IdentifierKind.Passport, "AB1234567").Problem, StringComparison.Ordinal);
        Assert.False(N(IdentifierKind.Passport, "AB12", "MA").IsValid);
        Assert.False(N(IdentifierKind.Passport, "ABCDEFGH", "MA").IsValid);
        Assert.False(N(IdentifierKind.Passport, "AB1234567", "Morocco").IsValid);

        Assert.Equal("identity-card:ES:12345678Z", N(IdentifierKind.IdentityCard, "12.345.678-Z", "ES").Key);

        // A Moroccan plate keeps its Arabic letter; Arabic-Indic digits fold to ASCII, separators go.
        var plate = N(IdentifierKind.VehiclePlate, "12345 | أ | ٦", "MA");
        Assert.Equal("vehicle-plate:MA:12345أ6", plate.Key);
        Assert.Equal(plate.Key, N(IdentifierKind.VehiclePlate, "12345-أ-6", "MA").Key);
        Assert.Equal("vehicle-plate:FR:AB123CD", N(IdentifierKind.VehiclePlate, "ab-123-cd", "FR").Key);
        Assert.False(N(IdentifierKind.VehiclePlate, "AB#123", "FR").IsValid);
    }

    [Fact]
    public void Vessel_IMO_numbers_are_checked_and_MMSIs_need_a_known_prefix()
    {
        Assert.Equal("imo:9074729", N(IdentifierKind.VesselImo, "IMO 9074729").Key);
        Assert.Equal("imo:9074729", N(IdentifierKind.VesselImo, "9074729").Key);
        Assert.Contains("check digit", N(IdentifierKind.VesselImo, "IMO 9074728").Problem, StringComparison.Ordinal);
        Assert.False(N(IdentifierKind.VesselImo, "IMO 907472").IsValid);

        Assert.Equal("mmsi:242123456", N(IdentifierKind.VesselMmsi, "242 123 456").Key);
        Assert.Equal("mmsi:970123456", N(IdentifierKind.VesselMmsi, "970123456").Key);
        Assert.False(N(IdentifierKind.VesselMmsi, "142123456").IsValid);
        Assert.False(N(IdentifierKind.VesselMmsi, "24212345").IsValid);
    }

    [Fact]
    public void IMEIs_pass_Luhn_and_an_IMEISV_meets_its_IMEI()
    {
        var imei = N(IdentifierKind.Imei, "49-015420-323751-8");
        Assert.True(imei.IsValid, imei.Problem);
        Assert.Equal("imei:49015420323751", imei.Key);
        Assert.Equal(imei.Key, N(IdentifierKind.Imei, "4901542032375101").Key);
        Assert.Contains("Luhn", N(IdentifierKind.Imei, "490154203237517").Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")]
    [InlineData("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    [InlineData("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    [InlineData("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")]
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")]
    public void Bitcoin_addresses_of_every_form_are_checked(string written, string normalised)
    {
        var id = N(IdentifierKind.Bitcoin, written);
        Assert.True(id.IsValid, id.Problem);
        Assert.Equal(normalised, id.Normalised);
    }

    [Theory]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "base58check")]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", "base58")]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "checksum")]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7KV8F3T4", "mixes upper and lower case")]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4q", "checksum")]
    public void Broken_Bitcoin_addresses_are_flagged(string written, string reason)
    {
        var id = N(IdentifierKind.Bitcoin, written);
        Assert.False(id.IsValid);
        Assert.Contains(reason, id.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bech32_checksum_on_a_taproot_address_is_refused_as_bech32m_requires()
    {
        // The BIP-350 vector written with the old bech32 constant must fail; its valid form passes (see above).
        var id = N(IdentifierKind.Bitcoin, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj1");
        Assert.False(id.IsValid);
    }

    [Fact]
    public void Keccak256_matches_the_known_digest_of_the_empty_input()
    {
        Assert.Equal("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Convert.ToHexStringLower(Keccak256.Hash([])));
        var long200 = Keccak256.Hash(new byte[200]);
        Assert.Equal(32, long200.Length);
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Ethereum_addresses_follow_EIP55(string address)
    {
        Assert.Equal(address, IdentifierNormaliser.ChecksumAddress(address[2..]));
        var id = N(IdentifierKind.Ethereum, address);
        Assert.Equal("ethereum:" + address.ToLowerInvariant(), id.Key);
        Assert.True(N(IdentifierKind.Ethereum, address.ToLowerInvariant()).IsValid);

        // One letter's case flipped breaks the checksum.
        var at = address.IndexOfAny("abcdef".ToCharArray(), 2);
        var broken = address[..at] + char.ToUpperInvariant(address[at]) + address[(at + 1)..];
        Assert.Contains("EIP-55", N(IdentifierKind.Ethereum, broken).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("@Karim_B", "x", "x:karim_b")]
    [InlineData("twitter:@Karim_B", null, "x:karim_b")]
    [InlineData("https://twitter.com/Karim_B", null, "x:karim_b")]
    [InlineData("https://x.com/karim_b?lang=fr", null, "x:karim_b")]
    [InlineData("https://t.me/Karim_B", null, "telegram:karim_b")]
    [InlineData("https://www.facebook.com/karim.benali", null, "facebook:karim.benali")]
    [InlineData("https://www.tiktok.com/@karim", null, "tiktok:karim")]
    [InlineData("https://www.linkedin.com/in/karim-benali/", null, "linkedin:karim-benali")]
    public void Social_handles_from_handles_and_profile_addresses_meet(string written, string? platform, string normalised)
    {
        var id = N(IdentifierKind.SocialHandle, written, platform: platform);
        Assert.True(id.IsValid, id.Problem);
        Assert.Equal(normalised, id.Normalised);
    }

    [Fact]
    public void A_handle_without_a_platform_or_a_site_address_is_flagged()
    {
        Assert.Contains("platform", N(IdentifierKind.SocialHandle, "@karim").Problem, StringComparison.Ordinal);
        Assert.False(N(IdentifierKind.SocialHandle, "https://twitter.com/").IsValid);
        Assert.False(N(IdentifierKind.SocialHandle, "karim b", platform: "x").IsValid);
    }

    [Fact]
    public void URLs_fold_scheme_host_and_default_port_but_keep_path_and_query()
    {
        Assert.Equal("https://example.ma/Path?q=A", N(IdentifierKind.Url, "HTTPS://Example.MA:443/Path?q=A#top").Normalised);
        Assert.Equal("http://xn--mgbh0fb.xn--kgbechtv/", N(IdentifierKind.Url, "http://مثال.إختبار").Normalised);
        Assert.False(N(IdentifierKind.Url, "ftp://example.ma/").IsValid);
        Assert.False(N(IdentifierKind.Url, "example.ma").IsValid);
    }

    [Fact]
    public void An_identifier_in_the_wrong_field_is_kept_under_its_kind_and_says_what_it_looks_like()
    {
        var id = N(IdentifierKind.Imei, "karim@example.ma");
        Assert.Equal(IdentifierKind.Imei, id.Kind);
        Assert.Null(id.Key);
        Assert.Contains("looks like email", id.Problem, StringComparison.Ordinal);

        var iban = N(IdentifierKind.Passport, "GB82 WEST 1234 5698 7654 32", "GB");
        Assert.Contains("looks like iban", iban.Problem, StringComparison.Ordinal);
        Assert.Equal([IdentifierKind.Phone], IdentifierNormaliser.Guess("+212 661 23 45 67"));
    }

    [Fact]
    public void Nothing_throws_on_hostile_input()
    {
        var random = new Random(5);
        var alphabet = "0123456789abcdefABCDEF@.:/-+ #xIMOعربي٠١\u0000\u202E";
        foreach (var kind in Enum.GetValues<IdentifierKind>())
        {
            for (var i = 0; i < 300; i++)
            {
                var text = new string([.. Enumerable.Range(0, random.Next(0, 60)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
                var id = N(kind, text, random.Next(3) == 0 ? "MA" : null, random.Next(3) == 0 ? "x" : null);
                Assert.Equal(text, id.Written);
                Assert.Equal(id.IsValid, id.Key is not null);
            }
        }

        Assert.False(N(IdentifierKind.Email, new string('a', 400) + "@b.ma").IsValid);
        Assert.False(IdentifierNormaliser.Normalise(IdentifierKind.Phone, null).IsValid);
    }
}
