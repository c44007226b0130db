using System.Text;
using Jisr.Matching.Names;

namespace Jisr.Matching.Tests;

/// <summary>
/// The bad input real lists and analysts produce, combined at random: names of one letter, only titles, 500 parts,
/// mixed scripts inside one part, emoji, right-to-left marks and zero-width joiners. Every operation gives a defined
/// answer (a score in [0,1], a list, a decision line), never an exception.
/// </summary>
public sealed class BadInputPropertyTests
{
    private static readonly string[] Pieces =
    [
        "a", "B", "ب", "Dr.", "Haji", "الحاج", "Mullah", "ملا", "Sheikh", "Qari", "Général", "Col.", "Mohamed", "محمد",
        "Bouzid", "بوزيد", "Abu", "أبو", "ben", "بن", "ould", "zai", "Khan", "Mohamedمحمد", "Yوسف", "😀", "👨‍👩‍👧", "🇲🇦",
        "\u200F", "\u200E", "\u202B", "\u202C", "\u200D", "\u200C", "\u2066", "\u2069", "\uFEFF", "ـ", "ً", "\u0301",
        "-", "'", ".", " ", "  ", "\t", "١٢٣", "42", "ﷺ", "ﻻ", "گل", "ټ", "ږ", "Ω", "Ж", "中", "\uD800",
    ];

    [Fact]
    public void RandomBadNames_AlwaysScoreInRange_AndNothingThrows()
    {
        var random = new Random(2026);
        var names = Enumerable.Range(0, 2000).Select(_ => Compose(random)).ToList();
        names.AddRange(["a", "B.", "ب", "Dr.", "Haji Mullah Qari", "الحاج الشيخ", string.Join(' ', Enumerable.Repeat("Mohamed", 500)),
            string.Join(' ', Enumerable.Range(0, 500).Select(i => Pieces[i % Pieces.Length])), "Mohamedمحمد", "😀", "\u200F\u200D\u200C", "Yo\u200Dussef", "يو\u200Cسف"]);
        var index = NameIndex<int>.Build(names.Select((n, i) => (i, n)));

        foreach (var (a, b) in names.Zip(names.Skip(7).Concat(names.Take(7))))
        {
            var score = NameMatcher.Score(a, b);
            Assert.InRange(score, 0, 1);
            Assert.Equal(score, NameMatcher.Explain(a, b).Score, 9);
            Assert.Equal(score, NameMatcher.Score(b, a), 9);
            _ = NameMatcher.IsPartial(a);
            Assert.All(index.Query(a, 5), c => Assert.InRange(c.Score, 0, 1));
            Assert.All(index.QueryPartial(a, 5), c => Assert.InRange(c.Score, 0, 1));
        }

        using var output = new StringWriter();
        var lines = PairScoring.Run(new StringReader(string.Join('\n', names.Select(n => n.Replace('\t', ' ').Replace('\n', ' ') + "\t" + names[0].Replace('\t', ' ')))), output, decide: true);
        Assert.Equal(names.Count(n => !n.StartsWith("name_a", StringComparison.Ordinal)), lines);
        Assert.All(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.Matches(@"^[01]\.\d{4}\t(match|no-match)$", l));
    }

    [Fact]
    public void InvisibleMarksAndJoiners_DoNotChangeTheScore()
    {
        Assert.Equal(NameMatcher.Score("Youssef Bouzid", "يوسف بوزيد"), NameMatcher.Score("You\u200Dssef \u200FBouzid\u200E", "\u202Bيو\u200Cسف بوزيد\u202C"), 9);
        Assert.True(NameMatcher.IsMatch(NameMatcher.Score("Youssef\u2066 Bouzid\u2069", "Youssef Bouzid")));
    }

    [Fact]
    public void NamesOfOnlyTitlesOrOneLetter_NeverMatchAFullName()
    {
        Assert.False(NameMatcher.IsMatch(NameMatcher.Score("Haji", "Haji Khairullah Khairkhwah")));
        Assert.False(NameMatcher.IsMatch(NameMatcher.Score("K.", "Khairullah Khairkhwah")));
        Assert.False(NameMatcher.IsMatch(NameMatcher.Score("😀", "😀")));
        Assert.True(NameMatcher.IsPartial("Dr. Bouzid"));
        Assert.True(NameMatcher.IsPartial("Smail B."));
        Assert.False(NameMatcher.IsPartial("Smail Bouzid"));
    }

    private static string Compose(Random random)
    {
        var builder = new StringBuilder();
        var parts = random.Next(0, random.Next(10) == 0 ? 500 : 6);
        for (var i = 0; i < parts; i++)
        {
            builder.Append(Pieces[random.Next(Pieces.Length)]);
            if (random.Next(3) > 0)
            {
                builder.Append(' ');
            }
        }

        return builder.ToString();
    }
}
