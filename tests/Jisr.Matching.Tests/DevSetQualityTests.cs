using Jisr.Matching.Names;

namespace Jisr.Matching.Tests;

/// <summary>
/// Quality on the labelled development pairs: best F1 over thresholds, ROC-AUC and accuracy per kind of pair at the
/// chosen threshold, on the whole set and on two halves split by a hash of the names (a guard against rules that
/// only fit one half).
/// </summary>
public sealed class DevSetQualityTests
{
    private static readonly List<(string A, string B, bool Same, string Kind)> Pairs = Load("dev.tsv");

    /// <summary>The UN Security Council consolidated list's Arabic-script originals against its romanisations and aliases.</summary>
    private static readonly List<(string A, string B, bool Same, string Kind)> UnPairs = Load("un-dev.tsv");

    internal static List<(string A, string B, bool Same, string Kind)> Load(string file) =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", file)).Skip(1)
            .Select(l => l.Split('\t')).Select(c => (c[0], c[1], c[2] == "1", c[3]))];

    [Fact]
    public void DevSet_MeetsTheQualityTargets()
    {
        var figures = Evaluate(Pairs);

        Assert.True(figures.BestF1 >= 0.97, $"best F1 {figures.BestF1:F4}");
        Assert.True(figures.Auc >= 0.98, $"AUC {figures.Auc:F4}");
        Assert.All(figures.AccuracyByKind, kind => Assert.True(kind.Value >= 0.90, $"{kind.Key}: accuracy {kind.Value:F3} at threshold {figures.Threshold:F3}"));
    }

    [Fact]
    public void UnDevSet_MeetsTheQualityTargets()
    {
        var figures = Evaluate(UnPairs);

        Assert.True(figures.BestF1 >= 0.95, $"best F1 {figures.BestF1:F4}");
        Assert.True(figures.Auc >= 0.97, $"AUC {figures.Auc:F4}");
    }

    [Theory]
    [InlineData("dev.tsv", 0.96)]
    [InlineData("un-dev.tsv", 0.93)]
    public void TheOneThreshold_HoldsOnEachWholeSet(string file, double target)
    {
        var (f1, precision, recall) = AtThreshold(Load(file), NameMatcher.MatchThreshold);

        Assert.True(f1 >= target, $"{file}: F1 {f1:F4} (precision {precision:F4}, recall {recall:F4}) at {NameMatcher.MatchThreshold}");
    }

    [Theory]
    [InlineData("dev.tsv", 0, 0.96)]
    [InlineData("dev.tsv", 1, 0.96)]
    [InlineData("un-dev.tsv", 0, 0.93)]
    [InlineData("un-dev.tsv", 1, 0.93)]
    public void TheOneThreshold_HoldsOnEachHalfOfEachSet(string file, int half, double target)
    {
        // Halves split by a hash of the names: a rule fitted to one half must hold on the other.
        var subset = Load(file).Where(p => (StableHash(p.A + "\t" + p.B) & 1) == half).ToList();

        var (f1, precision, recall) = AtThreshold(subset, NameMatcher.MatchThreshold);

        Assert.True(subset.Count > 400);
        Assert.True(f1 >= target, $"{file} half {half}: F1 {f1:F4} (precision {precision:F4}, recall {recall:F4})");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void EachHalfOfTheDevSet_MeetsTheTargets(int half)
    {
        var subset = Pairs.Where(p => (StableHash(p.A + "\t" + p.B) & 1) == half).ToList();

        var figures = Evaluate(subset);

        Assert.True(subset.Count > 1500);
        Assert.True(figures.BestF1 >= 0.97, $"half {half}: best F1 {figures.BestF1:F4}");
        Assert.True(figures.Auc >= 0.98, $"half {half}: AUC {figures.Auc:F4}");
    }

    [Fact]
    public void Baseline_OneLetterPerLetterRomanisation_IsFarBelow()
    {
        // The naive approach the issue describes, to keep our figures honest: letter-by-letter romanisation + ratio.
        var figures = Evaluate(Pairs, Baseline);

        Assert.True(figures.BestF1 < 0.85, $"baseline best F1 {figures.BestF1:F4}");
    }

    /// <summary>The one-letter baseline: letter-by-letter romanisation and an edit-distance ratio.</summary>
    internal static double Baseline(string a, string b) => Ratio(Naive(a), Naive(b));

    internal static (double F1, double Precision, double Recall) AtThreshold(List<(string A, string B, bool Same, string Kind)> pairs, double threshold)
    {
        var scored = pairs.Select(p => (Match: NameMatcher.Score(p.A, p.B) >= threshold, p.Same)).ToList();
        var tp = scored.Count(s => s.Match && s.Same);
        var fp = scored.Count(s => s.Match && !s.Same);
        var fn = scored.Count(s => !s.Match && s.Same);
        return (2.0 * tp / ((2.0 * tp) + fp + fn), tp / (double)Math.Max(1, tp + fp), tp / (double)Math.Max(1, tp + fn));
    }

    internal sealed record Figures(double BestF1, double Threshold, double Auc, Dictionary<string, double> AccuracyByKind);

    internal static Figures Evaluate(List<(string A, string B, bool Same, string Kind)> pairs, Func<string, string, double>? scorer = null)
    {
        scorer ??= NameMatcher.Score;
        var scored = pairs.Select(p => (Score: scorer(p.A, p.B), p.Same, p.Kind)).ToList();
        var positives = scored.Count(s => s.Same);
        var negatives = scored.Count - positives;

        // AUC as the Mann-Whitney statistic (ties count half).
        var ordered = scored.OrderBy(s => s.Score).ToList();
        double rankSum = 0;
        for (var i = 0; i < ordered.Count;)
        {
            var j = i;
            while (j + 1 < ordered.Count && ordered[j + 1].Score == ordered[i].Score)
            {
                j++;
            }

            var rank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                if (ordered[k].Same)
                {
                    rankSum += rank;
                }
            }

            i = j + 1;
        }

        var auc = (rankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
        double bestF1 = 0, threshold = 0;
        foreach (var t in scored.Select(s => s.Score).Distinct())
        {
            var tp = scored.Count(s => s.Score >= t && s.Same);
            var fp = scored.Count(s => s.Score >= t && !s.Same);
            var f1 = 2.0 * tp / ((2.0 * tp) + fp + (positives - tp));
            if (f1 > bestF1)
            {
                (bestF1, threshold) = (f1, t);
            }
        }

        var byKind = scored.GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => g.Count(s => (s.Score >= threshold) == s.Same) / (double)g.Count());
        return new Figures(bestF1, threshold, auc, byKind);
    }

    internal static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash & int.MaxValue;
    }

    private static string Naive(string name)
    {
        const string arabic = "ابتثجحخدذرزسشصضطظعغفقكلمنهوية";
        string[] latin = ["a", "b", "t", "th", "j", "h", "kh", "d", "dh", "r", "z", "s", "sh", "s", "d", "t", "z", "a", "gh", "f", "q", "k", "l", "m", "n", "h", "w", "y", "a"];
        return string.Concat(name.ToLowerInvariant().Select(c => arabic.IndexOf(c, StringComparison.Ordinal) is var i and >= 0 ? latin[i] : c.ToString()));
    }

    private static double Ratio(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return 1 - ((double)d[a.Length, b.Length] / Math.Max(1, Math.Max(a.Length, b.Length)));
    }
}
