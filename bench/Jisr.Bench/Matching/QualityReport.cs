using System.Globalization;
using Jisr.Matching.Names;

namespace Jisr.Bench.Matching;

/// <summary>
/// Per-kind accuracy of the matcher at its one threshold (<see cref="NameMatcher.MatchThreshold"/>) against the
/// one-letter baseline (letter-by-letter romanisation and an edit-distance ratio, at its own best cut), on each
/// labelled set in tests/data/names: the tables of the closing note.
/// </summary>
internal static class QualityReport
{
    public static void Run(IReadOnlyList<string> files)
    {
        var data = NameData.Locate();
        foreach (var file in files.Count > 0 ? files : ["dev.tsv", "un-dev.tsv"])
        {
            var pairs = NameData.ReadPairs(Path.IsPathRooted(file) ? file : Path.Combine(data, file));
            var ours = pairs.Select(p => NameMatcher.Score(p.A, p.B)).ToArray();
            var baseline = pairs.Select(p => Baseline(p.A, p.B)).ToArray();
            var (baselineF1, baselineCut) = BestF1(pairs, baseline);
            var (bestF1, bestCut) = BestF1(pairs, ours);
            var (f1, precision, recall) = At(pairs, ours, NameMatcher.MatchThreshold);
            var (bf1, bprecision, brecall) = At(pairs, baseline, baselineCut);
            Console.WriteLine(Invariant($"## {Path.GetFileName(file)} ({pairs.Count} pairs)"));
            Console.WriteLine(Invariant($"matcher at the threshold {NameMatcher.MatchThreshold}: F1 {f1:F4}, precision {precision:F4}, recall {recall:F4}; best F1 {bestF1:F4} at {bestCut:F3}"));
            Console.WriteLine(Invariant($"baseline at its best cut {baselineCut:F3}: F1 {bf1:F4}, precision {bprecision:F4}, recall {brecall:F4}"));
            Console.WriteLine("| kind | pairs | matcher | baseline |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var kind in pairs.Select((p, i) => (p.Kind, i)).GroupBy(x => x.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var indexes = kind.Select(x => x.i).ToList();
                var accuracy = indexes.Count(i => NameMatcher.IsMatch(ours[i]) == pairs[i].Label) / (double)indexes.Count;
                var baselineAccuracy = indexes.Count(i => (baseline[i] >= baselineCut) == pairs[i].Label) / (double)indexes.Count;
                Console.WriteLine(Invariant($"| {kind.Key} | {indexes.Count} | {accuracy:F3} | {baselineAccuracy:F3} |"));
            }

            Console.WriteLine();
        }
    }

    /// <summary>Learns the name-part weights from the Wikidata token counts and writes the resource the matcher ships.</summary>
    public static void WriteWeights(string counts, TextWriter output)
    {
        using var reader = new StreamReader(counts);
        NameFrequencies.Write(NameFrequencies.Learn(reader), output);
    }

    private static (double F1, double Cut) BestF1(List<LabelledPair> pairs, double[] scores)
    {
        double best = 0, cut = 0;
        foreach (var t in scores.Distinct())
        {
            var (f1, _, _) = At(pairs, scores, t);
            if (f1 > best)
            {
                (best, cut) = (f1, t);
            }
        }

        return (best, cut);
    }

    private static (double F1, double Precision, double Recall) At(List<LabelledPair> pairs, double[] scores, double threshold)
    {
        int tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < pairs.Count; i++)
        {
            var match = scores[i] >= threshold;
            tp += match && pairs[i].Label ? 1 : 0;
            fp += match && !pairs[i].Label ? 1 : 0;
            fn += !match && pairs[i].Label ? 1 : 0;
        }

        return (2.0 * tp / Math.Max(1, (2.0 * tp) + fp + fn), tp / (double)Math.Max(1, tp + fp), tp / (double)Math.Max(1, tp + fn));
    }

    /// <summary>The one-letter baseline the issue measures against: each Arabic letter to one Latin spelling, then a Levenshtein ratio.</summary>
    private static double Baseline(string a, string b)
    {
        var x = Naive(a);
        var y = Naive(b);
        var d = new int[x.Length + 1, y.Length + 1];
        for (var i = 0; i <= x.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= y.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= x.Length; i++)
        {
            for (var j = 1; j <= y.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1));
            }
        }

        return 1 - ((double)d[x.Length, y.Length] / Math.Max(1, Math.Max(x.Length, y.Length)));
    }

    private static string Naive(string name)
    {
        const string arabic = "ابتثجحخدذرزسشصضطظعغفقكلمنهوية";
        string[] latin = ["a", "b", "t", "th", "j", "h", "kh", "d", "dh", "r", "z", "s", "sh", "s", "d", "t", "z", "a", "gh", "f", "q", "k", "l", "m", "n", "h", "w", "y", "a"];
        return string.Concat(name.ToLowerInvariant().Select(c => arabic.IndexOf(c, StringComparison.Ordinal) is var i and >= 0 ? latin[i] : c.ToString()));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
