using System.Text;
using Jisr.Matching.Names;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr match pairs</c>: score name pairs from standard input.</summary>
internal static class MatchCommand
{
    public static Command Create()
    {
        var decide = new Option<bool>("--decide")
        {
            Description = $"Also write the decision after a tab: 'match' (score >= {NameMatcher.MatchThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}, the product's one threshold) or 'no-match'",
        };
        var pairs = new Command("pairs", "Read name_a<TAB>name_b lines on stdin (header 'name_a...' skipped), write one score in [0,1] per pair") { decide };
        pairs.SetAction(parse =>
        {
            using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
            using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
            PairScoring.Run(input, output, parse.GetValue(decide));
            return 0;
        });
        return new Command("match", "Name matching across Arabic script and Latin transliterations") { pairs };
    }
}
