using System.Text;
using Jisr.Matching.Names;

namespace Jisr.Matching.Tests;

/// <summary>Random input of every kind gets a defined score in [0,1]; nothing throws to the caller.</summary>
public sealed class FuzzTests
{
    private static readonly int[][] Ranges =
    [
        [0x20, 0x7E], [0xC0, 0x24F], [0x600, 0x6FF], [0x750, 0x77F], [0xFB50, 0xFDFF], [0xFE70, 0xFEFF], [0x400, 0x4FF], [0x370, 0x3FF],
        [0x200B, 0x200F], [0x202A, 0x202E], [0x2066, 0x2069], [0x1F600, 0x1F64F], [0x0, 0x1F], [0x660, 0x669], [0x300, 0x36F], [0xD800, 0xDFFF],
    ];

    [Fact]
    public void ScoreAndIndex_OnRandomText_NeverThrowAndStayInRange()
    {
        var random = new Random(4242);
        var names = new List<string>();
        for (var i = 0; i < 3000; i++)
        {
            names.Add(RandomText(random, random.Next(0, i % 100 == 0 ? 12_000 : 40)));
        }

        foreach (var (a, b) in names.Zip(names.Skip(1)))
        {
            var score = NameMatcher.Score(a, b);
            Assert.InRange(score, 0, 1);
            Assert.InRange(NameMatcher.Explain(a, b).Score, 0, 1);
        }

        var index = NameIndex<int>.Build(names.Select((n, i) => (i, n)));
        foreach (var name in names.Take(300))
        {
            Assert.All(index.Query(name, 5), c => Assert.InRange(c.Score, 0, 1));
        }
    }

    [Fact]
    public void PairScoring_OnMalformedLines_WritesOneScorePerLine()
    {
        var input = "name_a\tname_b\tlabel\nMohamed\tمحمد\n\nonly-one-column\nYoussef\tYusuf\textra\tcolumns\n\t\n";
        using var output = new StringWriter();

        var count = PairScoring.Run(new StringReader(input), output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, count);
        Assert.Equal(5, lines.Length);
        Assert.True(double.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture) > 0.9);
        Assert.Equal("0.0000", lines[1]);
        Assert.Equal("0.0000", lines[2]);
        Assert.True(double.Parse(lines[3], System.Globalization.CultureInfo.InvariantCulture) > 0.9);
    }

    private static string RandomText(Random random, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            var range = Ranges[random.Next(Ranges.Length)];
            var value = random.Next(range[0], range[1] + 1);
            if (value is >= 0xD800 and <= 0xDFFF)
            {
                builder.Append((char)value); // lone surrogates: invalid UTF-16 on purpose
            }
            else
            {
                builder.Append(char.ConvertFromUtf32(value));
            }
        }

        return builder.ToString();
    }
}
