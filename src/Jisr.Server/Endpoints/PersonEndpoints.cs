using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Matching.Names;
using Jisr.Policy;
using Jisr.Server.Contracts;
using Jisr.Server.Persons;
using Jisr.Storage.Records;

namespace Jisr.Server.Endpoints;

/// <summary><c>/api/v1/persons/match</c>: persons whose names match a name in any script, among those the caller may see, with reasons.</summary>
public static class PersonEndpoints
{
    public const int MaxLimit = 100;

    public static RouteGroupBuilder MapPersonEndpoints(this RouteGroupBuilder api)
    {
        api.MapGroup("/persons").WithTags("Persons")
            .MapGet("/match", MatchAsync).WithName("MatchPersons").RequirePurpose()
            .ListsItems<PersonMatchResponse>("Find persons by name in any script", "Persons you may see whose names match (محمد بن أحمد العلمي / MOHAMED EL ALAMI / Muhammad Ahmad Al-Alami), best first, each with a score in [0,1] and the part-by-part reasons.")
            .QueryParameter("name", "The name to match, in Arabic or Latin script.", required: true);
        return api;
    }

    private static async Task<PersonMatchResponse> MatchAsync(
        HttpContext context, Principal caller, EntityStore store, PersonNameIndex index, string? name, int? limit, CancellationToken cancellationToken)
    {
        var query = Guard.Text(name, "name", Person.MaxNameQueryLength);
        var size = Math.Clamp(limit ?? 10, 1, MaxLimit);

        // Ask the index for more than needed: candidates the caller may not see are dropped by the policy filter below.
        var candidates = await index.CandidatesAsync(query, Math.Min(2000, size * 20), cancellationToken);
        var visible = await store.ReadablePersonsAsync(caller, [.. candidates.Select(c => c.Id)], query, Purpose.Of(context), cancellationToken);
        var matches = candidates
            .Where(c => visible.ContainsKey(c.Id))
            .Take(size)
            .Select(c =>
            {
                var explanation = NameMatcher.Explain(query, c.Name);
                return new PersonMatch(
                    EntityMapping.ToResponse(visible[c.Id]),
                    Math.Round(c.Score, 4),
                    c.Name,
                    explanation.Summary,
                    [.. explanation.Parts.Select(p => new PersonMatchPart(p.A, p.B, Math.Round(p.Similarity, 4), p.How))]);
            })
            .ToList();
        return new PersonMatchResponse(query, matches);
    }
}

public sealed record PersonMatchResponse(string Query, IReadOnlyList<PersonMatch> Items);

/// <summary>A matching person, the name of theirs that matched best, its score and the part-by-part reasons.</summary>
public sealed record PersonMatch(EntityResponse Person, double Score, string MatchedName, string Explanation, IReadOnlyList<PersonMatchPart> Parts);

public sealed record PersonMatchPart(string Query, string Matched, double Similarity, string How);
