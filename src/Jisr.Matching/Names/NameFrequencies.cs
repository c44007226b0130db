using System.Globalization;

namespace Jisr.Matching.Names;

/// <summary>
/// How much a name part identifies a person, learnt from how often names occur: a part as common as Mohammed or Ali
/// weighs little, a rare family name weighs 1. The weights ship as a compact resource (<c>name-weights.tsv</c>:
/// skeleton, weight; only parts that weigh less than 1), made by <see cref="Learn"/> from the Wikidata name-token
/// counts (steveash/NETransliteration-COLING2018, CC0; <c>jisr-bench name-weights</c> rebuilds it).
/// Keyed by consonant skeleton, so one weight serves every script and spelling of a name.
/// </summary>
public static class NameFrequencies
{
    /// <summary>The weight of the most common part; every part keeps at least this much.</summary>
    public const double MinimumWeight = 0.2;

    private static readonly Dictionary<string, double> Weights = Load();

    /// <summary>The weight of a part with this skeleton: 1 when the part is not among the common ones.</summary>
    public static double WeightOf(string skeleton) => Weights.TryGetValue(skeleton, out var weight) ? weight : 1;

    /// <summary>
    /// Learns the weights from token counts (<c>arabic&lt;TAB&gt;latin&lt;TAB&gt;source (count=N)</c> lines, a header
    /// first): the counts are summed per skeleton (both scripts), and a part's weight falls with the logarithm of its
    /// count, from 1 at the rarest count listed down to <see cref="MinimumWeight"/> at the commonest.
    /// </summary>
    public static SortedDictionary<string, double> Learn(TextReader counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var first = true;
        while (counts.ReadLine() is { } line)
        {
            if (first)
            {
                first = false;
                continue;
            }

            var columns = line.Split('\t');
            var at = line.LastIndexOf("count=", StringComparison.Ordinal);
            if (columns.Length < 3 || at < 0 || !long.TryParse(line.AsSpan(at + 6).TrimEnd(')'), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                continue;
            }

            // Both spellings of the token count once for each distinct skeleton they give.
            foreach (var skeleton in NameParser.Parse(columns[0]).Concat(NameParser.Parse(columns[1])).Select(t => t.Skeleton).Where(s => s.Length > 0).Distinct())
            {
                totals[skeleton] = totals.GetValueOrDefault(skeleton) + count;
            }
        }

        var weights = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (totals.Count == 0)
        {
            return weights;
        }

        var rarest = Math.Log(totals.Values.Min());
        var commonest = Math.Log(totals.Values.Max());
        foreach (var (skeleton, count) in totals)
        {
            var commonness = commonest > rarest ? (Math.Log(count) - rarest) / (commonest - rarest) : 0;
            var weight = Math.Round(1 - ((1 - MinimumWeight) * commonness), 2);
            if (weight < 1)
            {
                weights[skeleton] = weight;
            }
        }

        return weights;
    }

    /// <summary>Writes weights in the resource's format.</summary>
    public static void Write(IReadOnlyDictionary<string, double> weights, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var (skeleton, weight) in weights.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            output.Write(skeleton);
            output.Write('\t');
            output.Write(weight.ToString("0.00", CultureInfo.InvariantCulture));
            output.Write('\n');
        }
    }

    private static Dictionary<string, double> Load()
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        using var stream = typeof(NameFrequencies).Assembly.GetManifestResourceStream("Jisr.Matching.Names.name-weights.tsv");
        if (stream is null)
        {
            return weights;
        }

        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0 && double.TryParse(line.AsSpan(tab + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
            {
                weights[line[..tab]] = weight;
            }
        }

        return weights;
    }
}
