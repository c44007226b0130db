using Jisr.Matching.Names;
using Jisr.Server.Persons;

namespace Jisr.Server.Application;

/// <summary>
/// Persons whose names match a name in any script, among those the caller may see: the name index proposes each
/// holding agency's best candidates, the policy's read rule keeps the visible ones, the matcher explains each and the
/// one threshold (<see cref="NameMatcher.MatchThreshold"/>) decides "match" or "possible". A partial query (a family
/// name alone, a given name and an initial) lists the persons carrying that part, always "possible". The search and
/// its purpose are audited.
/// </summary>
public sealed class PersonMatchService(EntityStore store, PersonNameIndex index)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;

    /// <summary>Candidates asked of each agency's index per match wanted: those the caller may not see are dropped after.</summary>
    private const int CandidatesPerMatch = 20;
    private const int MaxCandidates = 2000;

    public const string Match = "match";
    public const string Possible = "possible";

    public async Task<PersonMatches> MatchAsync(Principal caller, string? name, int? limit, string purpose, CancellationToken cancellationToken)
    {
        var query = Guard.Text(name, "name", Person.MaxNameQueryLength);
        var size = Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);
        var parsed = NameParser.Parse(query); // once: the decision and every explanation use it
        var partial = NameMatcher.IsPartial(parsed);
        var wanted = Math.Min(MaxCandidates, size * CandidatesPerMatch);
        var candidates = partial
            ? await index.PartialCandidatesAsync(query, wanted, cancellationToken)
            : await index.CandidatesAsync(query, wanted, cancellationToken);
        var visible = await store.FirstReadablePersonsAsync(caller, [.. candidates.Select(c => c.Id)], size, query, purpose, cancellationToken);
        return new PersonMatches(query, [.. candidates
            .Where(c => visible.ContainsKey(c.Id))
            .Take(size)
            .Select(c => new PersonMatchFound(visible[c.Id], c.Score, c.Name, NameMatcher.Explain(parsed, NameParser.Parse(c.Name)), !partial && NameMatcher.IsMatch(c.Score) ? Match : Possible))]);
    }
}

/// <summary>The persons that match <paramref name="Query"/> (as checked), best first.</summary>
public sealed record PersonMatches(string Query, IReadOnlyList<PersonMatchFound> Items);

/// <summary>A matching person, the name of theirs that matched best, its score, the matcher's explanation and the decision ("match" or "possible").</summary>
public sealed record PersonMatchFound(Person Person, double Score, string MatchedName, MatchExplanation Explanation, string Decision);
