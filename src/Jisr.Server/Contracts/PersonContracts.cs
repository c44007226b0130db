namespace Jisr.Server.Contracts;

/// <summary>The persons whose names match a name in any script (<c>GET /api/v1/persons/match</c>), best first.</summary>
public sealed record PersonMatchResponse(string Query, IReadOnlyList<PersonMatch> Items);

/// <summary>
/// A matching person, the name of theirs that matched best, its score, the part-by-part reasons and the decision:
/// <c>match</c> at or above the product's one threshold, <c>possible</c> below it or for a partial query.
/// </summary>
public sealed record PersonMatch(EntityResponse Person, double Score, string MatchedName, string Explanation, IReadOnlyList<PersonMatchPart> Parts, string Decision);

public sealed record PersonMatchPart(string Query, string Matched, double Similarity, string How);
