using System.Globalization;

namespace Jisr.Matching.Names;

/// <summary>
/// The <c>jisr match pairs</c> contract: reads <c>name_a&lt;TAB&gt;name_b</c> lines (a header line starting
/// <c>name_a</c> is skipped; extra columns are ignored) and writes one score in [0,1] per pair, in order.
/// A line without a second column scores 0.
/// </summary>
public static class PairScoring
{
    public static int Run(TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var count = 0;
        var first = true;
        while (input.ReadLine() is { } line)
        {
            if (first && line.StartsWith("name_a", StringComparison.Ordinal))
            {
                first = false;
                continue;
            }

            first = false;
            var columns = line.Split('\t');
            var score = columns.Length < 2 ? 0 : NameMatcher.Score(columns[0], columns[1]);
            output.WriteLine(score.ToString("0.0000", CultureInfo.InvariantCulture));
            count++;
        }

        return count;
    }
}
