using System.Globalization;
using System.Text;
namespace Jisr.Fusion.Resolution;

/// <summary>One reason for or against a match, with its weight in log-odds (positive for, negative against).</summary>
public sealed record Evidence(string Kind, string Detail, double Weight);

/// <summary>
/// A proposed match between two records' persons: the score (a probability-like value in [0, 1]) and every piece of
/// evidence behind it, so an analyst sees why. <see cref="A"/> is the probe (or the lower id when resolving one set).
/// </summary>
public sealed record MatchProposal(string A, string B, double Score, IReadOnlyList<Evidence> Evidence)
{
    public string Explanation => AppendExplanation(new StringBuilder(), Evidence).ToString();

    /// <summary>
    /// Appends what <see cref="Explanation"/> gives for <paramref name="evidence"/>: a listing of hundreds of thousands
    /// of hits writes each explanation into one reused buffer, not a string (and a string per piece) of its own.
    /// </summary>
    public static StringBuilder AppendExplanation(StringBuilder text, IReadOnlyList<Evidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(evidence);
        for (var i = 0; i < evidence.Count; i++)
        {
            var e = evidence[i];
            text.Append(i == 0 ? "" : "; ").Append(e.Kind).Append(CultureInfo.CurrentCulture, $" {e.Weight:+0.0;-0.0}: ").Append(e.Detail);
        }

        return text;
    }
}

/// <summary>An analyst's decision on a pair, which later runs respect: confirmed pairs are always proposed, rejected never.</summary>
public enum Judgement
{
    Confirmed,
    Rejected,
}

/// <summary>An unordered pair of record ids, usable as a dictionary key for judgements.</summary>
public readonly record struct RecordPair
{
    public RecordPair(string a, string b)
    {
        (First, Second) = string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
    }

    public string First { get; }

    public string Second { get; }
}

public sealed record ResolutionOptions
{
    /// <summary>Proposals below this score are dropped.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>A name block (one name key and year) larger than this is not searched: the name alone decides nothing there.</summary>
    public int MaxNameBlock { get; init; } = 500;

    /// <summary>An identifier shared by more records than this (a switchboard, a shared family phone) blocks nothing.</summary>
    public int MaxIdentifierBlock { get; init; } = 50;

    /// <summary>Threads for scoring; 0 for all cores.</summary>
    public int Parallelism { get; init; }
}
