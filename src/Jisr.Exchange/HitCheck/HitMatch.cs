namespace Jisr.Exchange.HitCheck;

/// <summary>How strongly a filter answered a check.</summary>
public enum HitStrength
{
    /// <summary>Nothing of the query is in the filter.</summary>
    None,

    /// <summary>
    /// Only one part of a name query is held, as one part of a longer name: a short alias of the held person, or as often
    /// another person sharing a given or family name (<see cref="Jisr.Matching.Names.NameMatchKeys.PossibleForQuery(string?)"/>).
    /// </summary>
    Possible,

    /// <summary>Two parts of the name agree, a one-part name or alias meets its part, or the identifier is held.</summary>
    Hit,
}

/// <summary>A filter's answer to one check: its strength and the query parts behind it (never the partner's data).</summary>
public sealed record HitMatch(HitStrength Strength, IReadOnlyList<string> Parts)
{
    public static HitMatch None { get; } = new(HitStrength.None, []);

    /// <summary>The strength as the API and the command line write it: <c>hit</c> or <c>possible</c>.</summary>
    public static string Wire(HitStrength strength) => strength switch
    {
        HitStrength.Hit => "hit",
        HitStrength.Possible => "possible",
        _ => "none",
    };
}
