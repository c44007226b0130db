using System.Security.Cryptography;
using System.Text;
using Jisr.Domain.Common;
using Jisr.Exchange.HitCheck;

namespace Jisr.Exchange.Tests;

public sealed class HitFilterTests
{
    private static readonly HitKey Key = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static readonly Guid Agreement = Guid.Parse("0192f3a4-1111-7000-8000-000000000001");

    [Fact]
    public void Filter_FindsEveryKeyAdded_AndAtMostTheStatedRateOf100000Others()
    {
        var random = new Random(17);
        var members = Enumerable.Range(0, 200_000).Select(_ => (ulong)random.NextInt64() ^ ((ulong)random.NextInt64() << 32)).ToArray();
        var filter = BinaryFuseFilter.Build(members, new Random(3));
        var set = members.ToHashSet();

        Assert.All(members, k => Assert.True(filter.Contains(k)));
        var tried = 0;
        var falseHits = 0;
        while (tried < 100_000)
        {
            var other = (ulong)random.NextInt64() ^ ((ulong)random.NextInt64() << 32);
            if (!set.Contains(other))
            {
                tried++;
                falseHits += filter.Contains(other) ? 1 : 0;
            }
        }

        // 2^-24 per key: 0.006 false hits expected among 100,000; the stated query bound is 1e-6 per key and below.
        Assert.True(falseHits / (double)tried <= 1e-6 * 16, $"{falseHits} false hits among {tried}");
        Assert.True(BinaryFuseFilter.FalsePositiveRate < 1e-6 / 16);
        Assert.InRange((double)filter.SlotCount * 3 / members.Length, 3.0, 3.6);
    }

    [Fact]
    public void Filter_OfAFewKeysOrNone_Works()
    {
        foreach (var count in new[] { 0, 1, 2, 3, 5, 17, 100 })
        {
            var keys = Enumerable.Range(0, count).Select(i => (ulong)(i * 7919) + 1).ToArray();
            var filter = BinaryFuseFilter.Build(keys.Concat(keys), new Random(count));

            Assert.Equal(count, filter.KeyCount);
            Assert.All(keys, k => Assert.True(filter.Contains(k), $"{k} of {count}"));
            Assert.False(filter.Contains(ulong.MaxValue - 5));
        }
    }

    [Fact]
    public void Bytes_RoundTrip_AndTheReadFilterAnswersAlike()
    {
        var filter = HitFilter.Build(Key, Agreement, 7, ["Youssef El Idrissi", "Karim Benali"], ["phone:+212612345678"]);
        var read = HitFilter.Read(filter.ToBytes());

        Assert.Equal(Agreement, read.AgreementId);
        Assert.Equal(7, read.Epoch);
        Assert.Equal(Key.Check, read.KeyCheck);
        Assert.Equal(filter.ToBytes(), read.ToBytes());
        Assert.NotEmpty(HitQuery.ForName("يوسف الإدريسي").Check(Key, read));
        Assert.NotEmpty(HitQuery.ForIdentifier("phone:+212 6 12 34 56 78").Check(Key, read));
        Assert.Empty(HitQuery.ForName("Khalid Tazi").Check(Key, read));
        Assert.Empty(HitQuery.ForIdentifier("phone:+212612345679").Check(Key, read));
    }

    [Fact]
    public void MalformedFilters_AreRefusedWithTheReason()
    {
        var good = HitFilter.Build(Key, Agreement, 1, ["Youssef El Idrissi"], []).ToBytes();

        Assert.Contains("at least", Refused(good[..20]), StringComparison.Ordinal);
        Assert.Contains("'JHF'", Refused([.. "XYZ"u8, .. good[3..]]), StringComparison.Ordinal);
        Assert.Contains("version 2", Refused(With(good, 3, 2)), StringComparison.Ordinal);
        Assert.Contains("fingerprints", Refused(With(good, 4, 8)), StringComparison.Ordinal);

        // A filter of key scheme 2 (before scheme 3's alias keys) is never read as this node's: refused, naming both schemes.
        Assert.Equal(3, HitFilter.SchemeOf(good));
        Assert.Contains("key scheme 2: this node reads 24-bit fingerprints and key scheme 3", Refused(With(good, 5, 2)), StringComparison.Ordinal);
        Assert.Contains("truncated or padded", Refused(good[..^1]), StringComparison.Ordinal);
        Assert.Contains("truncated or padded", Refused([.. good, 0]), StringComparison.Ordinal);
        Assert.Contains("segment length", Refused(WithInt(good, 44, 3)), StringComparison.Ordinal);
        Assert.Contains("segment count", Refused(WithInt(good, 48, int.MaxValue)), StringComparison.Ordinal);
        Assert.Contains("segment count", Refused(WithInt(good, 48, 0)), StringComparison.Ordinal);
        Assert.Contains("key count", Refused(WithInt(good, 52, -1)), StringComparison.Ordinal);
    }

    [Fact]
    public void RandomBytes_AreRefusedAsMalformed_NeverAnotherError()
    {
        var random = new Random(11);
        var good = HitFilter.Build(Key, Agreement, 1, ["Youssef El Idrissi", "Karim Benali"], []).ToBytes();
        for (var i = 0; i < 2000; i++)
        {
            var bytes = i % 2 == 0 ? new byte[random.Next(0, 200)] : (byte[])good.Clone();
            if (i % 2 == 0)
            {
                random.NextBytes(bytes);
            }
            else
            {
                bytes[random.Next(0, HitFilter.HeaderLength)] ^= (byte)(1 << random.Next(8));
            }

            try
            {
                var filter = HitFilter.Read(bytes);
                Assert.Equal(good.Length, bytes.Length); // only a header flip in a field without structure (agreement, epoch, check, seed) reads
            }
            catch (FormatException)
            {
            }
        }
    }

    [Fact]
    public void FilterBytes_RevealNoNameOfA100000NameDictionary_WithoutTheKey()
    {
        var dictionary = Dictionary(100_000);
        var held = dictionary.Where((_, i) => i % 2 == 0).ToList();
        var filter = HitFilter.Read(HitFilter.Build(Key, Agreement, 1, held, []).ToBytes());

        // Someone with the bytes but not the key: a guessed key, the unkeyed name keys, and a plain hash of them.
        // Counted once per distinct key: names share parts (a part's key stands in ~100 of these names), so one
        // chance collision on a shared key would otherwise count as many hits as names hold it (CI once saw 5 names
        // behind what was one such collision, the filter's seed being fresh on every build).
        var nameKeys = dictionary.SelectMany(n => Jisr.Matching.Names.NameMatchKeys.ForQuery(n).Keys.Concat(Jisr.Matching.Names.NameMatchKeys.PossibleForQuery(n).Keys))
            .Select(k => k.Key).Distinct().ToList();
        var guessed = new HitKey(SHA256.HashData(Encoding.ASCII.GetBytes("a guess")));
        using var guessedHasher = guessed.CreateHasher();
        var byGuess = nameKeys.Count(k => filter.Filter.Contains(guessedHasher.Name(k)));
        var unkeyed = nameKeys.Count(k => filter.Filter.Contains(k) || filter.Filter.Contains(BitConverter.ToUInt64(SHA256.HashData(BitConverter.GetBytes(k)), 0)));

        // Chance alone: about keys tried x 2^-24 (well under 1 here); five would be a rare accident.
        Assert.True(byGuess <= 4, $"{byGuess} of {nameKeys.Count} distinct name keys hit under a guessed key");
        Assert.True(unkeyed <= 4, $"{unkeyed} of {nameKeys.Count} distinct unkeyed name keys hit");
        Assert.DoesNotContain(held.Take(1000), n => filter.ToBytes().AsSpan().IndexOf(Encoding.UTF8.GetBytes(n)) >= 0);

        // With the key every held name is found: the test above can fail.
        Assert.All(held.Take(5000), n => Assert.NotEmpty(HitQuery.ForName(n).Check(Key, filter)));
    }

    [Fact]
    public void KeysDerived_PerAgreementAndEpoch_Differ_AndBothNodesDeriveTheSame()
    {
        using var a = System.Security.Cryptography.ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var b = System.Security.Cryptography.ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var ab = a.DeriveRawSecretAgreement(b.PublicKey);
        var ba = b.DeriveRawSecretAgreement(a.PublicKey);

        byte[] salt = [1, 2, 3, 4];
        Assert.Equal(HitKey.Derive(ab, Agreement, 3, salt).Check, HitKey.Derive(ba, Agreement, 3, salt).Check);
        Assert.NotEqual(HitKey.Derive(ab, Agreement, 3, salt).Check, HitKey.Derive(ab, Agreement, 4, salt).Check);
        Assert.NotEqual(HitKey.Derive(ab, Agreement, 3, salt).Check, HitKey.Derive(ab, Guid.NewGuid(), 3, salt).Check);
        Assert.NotEqual(HitKey.Derive(ab, Agreement, 3, salt).Check, HitKey.Derive(ab, Agreement, 3, [1, 2, 3, 5]).Check);
    }

    [Fact]
    public void Queries_RefuseOnePartNamesAndBadIdentifiers_NamingTheField()
    {
        Assert.Equal("name", Assert.Throws<DomainValidationException>(() => HitQuery.ForName("")).Field);
        Assert.Equal("name", Assert.Throws<DomainValidationException>(() => HitQuery.ForName("123")).Field);
        Assert.Equal("name", Assert.Throws<DomainValidationException>(() => HitQuery.ForName(new string('a', 600))).Field);
        Assert.Contains("passport:CC:NUMBER", Assert.Throws<DomainValidationException>(() => HitQuery.ForIdentifier("passport:AB1234567")).Message, StringComparison.Ordinal);
        Assert.Contains("not KIND:VALUE", Assert.Throws<DomainValidationException>(() => HitQuery.ForIdentifier("shoe-size:42")).Message, StringComparison.Ordinal);
        Assert.Equal("identifier", Assert.Throws<DomainValidationException>(() => HitQuery.ForIdentifier("iban:FR76 0000")).Field);
    }

    [Fact]
    public void NameHit_SaysWhichPartsOfTheQueryProducedIt()
    {
        var filter = HitFilter.Build(Key, Agreement, 1, ["Youssef El Idrissi"], []);

        var parts = HitQuery.ForName("Yusuf Karim Al-Idrisi").Check(Key, filter);

        Assert.Equal(["yusuf + idrisi"], parts); // the parts as the matcher reads them (folded, article dropped); "karim" paired with neither produced no hit
    }

    [Fact]
    public void OnePartNames_MeetNamesCarryingThePart_ExceptThroughTheCommonestParts()
    {
        var filter = HitFilter.Build(Key, Agreement, 1, ["Haji Khairullah", "Youssef El Idrissi", "Mohammed Karim Tazi"], []);

        Assert.Equal(["khairullah"], HitQuery.ForName("KHAIRULLAH BARAKZAI KHUDAI NAZAR").Check(Key, filter));
        Assert.NotEmpty(HitQuery.ForName("خيرالله").Check(Key, filter));
        Assert.Equal(["idrissi"], HitQuery.ForName("Idrissi").Check(Key, filter)); // an alias of one part meets the longer held name
        Assert.Empty(HitQuery.ForName("Mohammed").Check(Key, filter)); // one of the commonest parts alone meets no longer name
        Assert.Empty(HitQuery.ForName("Karim Idrissi").Check(Key, filter)); // two parts sharing one with a three-part name: another person as often as not
    }

    [Fact]
    public void TwoPartAliases_MeetLongNamesThroughALessCommonPart_BothWays()
    {
        var held = HitFilter.Build(Key, Agreement, 1, ["ABDUL HAKIM MURAD HASHIM ZUBAIDI", "Noor Ali"], []);

        Assert.Equal(["murad"], HitQuery.ForName("Murad Khalil").Check(Key, held)); // two-part alias, five-part held name
        Assert.Empty(HitQuery.ForName("Ali Khalil").Check(Key, held)); // "ali" is too common to stand alone
        Assert.Equal(["noor"], HitQuery.ForName("NOOR RAHMAN TAHIR KHAN WARDAK").Check(Key, held)); // long query, two-part held alias
        Assert.Empty(HitQuery.ForName("Noor Tahir Wardak").Check(Key, held)); // a three-part name is not met by one shared part
    }

    [Fact]
    public void Identifiers_HitWhateverTheWayTheyAreWritten()
    {
        var filter = HitFilter.Build(Key, Agreement, 1, [], [HitQuery.ForIdentifier("iban:MA64 0115 1900 0001 2050 0053 4921").Text, HitQuery.ForIdentifier("passport:MA:AB1234567").Text]);

        Assert.NotEmpty(HitQuery.ForIdentifier("iban:ma640115190000012050005349 21").Check(Key, filter));
        Assert.NotEmpty(HitQuery.ForIdentifier("passport:ES:ab 1234567").Check(Key, filter)); // documents are filed without their country
        Assert.Empty(HitQuery.ForIdentifier("passport:MA:AB1234568").Check(Key, filter));
    }

    /// <summary>Three-part Latin names drawn from the 3,000 commonest name tokens of Wikidata (distinct).</summary>
    internal static List<string> Dictionary(int count)
    {
        var tokens = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "names", "wikidata_name_tokens_top3000.tsv")).Skip(1)
            .Select(l => l.Split('\t')[1]).Where(t => t.Length > 2).Distinct().Select(t => char.ToUpperInvariant(t[0]) + t[1..]).ToArray();
        var random = new Random(2026);
        var names = new HashSet<string>();
        while (names.Count < count)
        {
            var name = $"{tokens[random.Next(tokens.Length)]} {tokens[random.Next(tokens.Length)]} {tokens[random.Next(tokens.Length)]}";
            if (!Jisr.Matching.Names.NameMatcher.IsPartial(name))
            {
                names.Add(name);
            }
        }

        return [.. names];
    }

    private static string Refused(byte[] bytes) => Assert.Throws<FormatException>(() => HitFilter.Read(bytes)).Message;

    private static byte[] With(byte[] bytes, int at, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] = value;
        return copy;
    }

    private static byte[] WithInt(byte[] bytes, int at, int value)
    {
        var copy = (byte[])bytes.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(at), value);
        return copy;
    }
}
