using Jisr.Matching.Names;

namespace Jisr.Server.Endpoints;

/// <summary><c>/api/v1/persons/match</c>: persons whose names match a name in any script, among those the caller may see, with reasons (see <see cref="PersonMatchService"/>).</summary>
public static class PersonEndpoints
{
    /// <summary>The one threshold as the description states it (from the constant, so the two cannot differ).</summary>
    private static readonly string Threshold = NameMatcher.MatchThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static RouteGroupBuilder MapPersonEndpoints(this RouteGroupBuilder api)
    {
        api.MapGroup("/persons").WithTags("Persons")
            .MapGet("/match", MatchAsync).WithName("MatchPersons").RequirePurpose()
            .ListsItems<PersonMatchResponse>("Find persons by name in any script", $"Persons you may see whose names match (محمد بن أحمد العلمي / MOHAMED EL ALAMI / Muhammad Ahmad Al-Alami), best first, each with a score in [0,1], the part-by-part reasons and the decision: `match` at or above the one threshold ({Threshold}), `possible` below it. A partial name (a family name alone, or a given name and an initial) lists the persons carrying that part, rare and exact first, always `possible`.")
            .QueryParameter("name", "The name to match, in Arabic or Latin script.", required: true);
        return api;
    }

    private static async Task<PersonMatchResponse> MatchAsync(
        HttpContext context, Principal caller, PersonMatchService service, string? name, int? limit, CancellationToken cancellationToken)
    {
        var matches = await service.MatchAsync(caller, name, limit, Purpose.Of(context), cancellationToken);
        return new PersonMatchResponse(matches.Query, [.. matches.Items.Select(m => new PersonMatch(
            EntityMapping.ToResponse(m.Person),
            Math.Round(m.Score, 4),
            m.MatchedName,
            m.Explanation.Summary,
            [.. m.Explanation.Parts.Select(p => new PersonMatchPart(p.A, p.B, Math.Round(p.Similarity, 4), p.How))],
            m.Decision))]);
    }
}
