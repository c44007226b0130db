using System.Globalization;

namespace Jisr.Matching.Names;

/// <summary>
/// The <c>jisr match pairs</c> contract: reads <c>name_a&lt;TAB&gt;name_b</c> lines (a header line starting
/// <c>name_a</c> is skipped; extra columns are ignored) and writes one score in [0,1] per pair, in order.
/// A line without a second column scores 0. With <c>--decide</c> each line also carries the one decision:
/// <c>score&lt;TAB&gt;match</c> at or above <see cref="NameMatcher.MatchThreshold"/>, <c>score&lt;TAB&gt;no-match</c> below.
/// </summary>
public static class PairScoring
{
    public static int Run(TextReader input, TextWriter output) => Run(input, output, decide: false);

    public static int Run(TextReader input, TextWriter output, bool decide)
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
            var text = score.ToString("0.0000", CultureInfo.InvariantCulture);
            output.WriteLine(decide ? text + (NameMatcher.IsMatch(score) ? "\tmatch" : "\tno-match") : text);
            count++;
        }

        return count;
    }
}
