using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Persons;

/// <summary>
/// A person: names in every script, identifiers, the records that mention them (each read rule applied by the
/// store), and, once a purpose is declared (the graph query is audited with it), their neighbours drawn by cytoscape.
/// </summary>
public sealed class DetailsModel(EntityService entities, AgencyDirectory agencies, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public EntityResponse Person { get; private set; } = null!;

    public IReadOnlyList<RecordRow> Records { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Purpose { get; set; }

    /// <summary>The neighbour graph as cytoscape elements (JSON in a data attribute: the page runs no inline script).</summary>
    public string? Graph { get; private set; }

    public int NeighbourCount { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var caller = Caller;
        var read = await entities.ReadAsync(caller, id, cancellationToken);
        if (read.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        if (read.Value is not Jisr.Domain.Entities.Person)
        {
            return Refused(Refusal.NotFound($"person {id}"));
        }

        Person = EntityMapping.ToResponse(read.Value);
        var mentioning = await entities.RecordsMentioningAsync(caller, id, null, 50, cancellationToken);
        Records = await RecordRow.ForAsync(mentioning.Value?.Items ?? [], agencies, cancellationToken);

        if (Purpose is not null)
        {
            if (DeclaredPurpose(Purpose) is not { } purpose)
            {
                return Page();
            }

            var neighbours = await entities.NeighboursAsync(caller, id, purpose, cancellationToken);
            if (neighbours.Value is { } graph)
            {
                NeighbourCount = graph.Others.Count;
                Graph = ToElements(graph);
            }
        }

        return Page();
    }

    private string ToElements(Jisr.Storage.Records.EntityNeighbours graph)
    {
        var nodes = new[] { graph.Entity }.Concat(graph.Others.Values).DistinctBy(e => e.Id)
            .Select(e => new { data = new { id = e.Id.Value.ToString(), label = e.Label, type = T[$"EntityType.{EntityVocabulary.Types[e.Type]}"].Value, centre = e.Id == graph.Entity.Id, person = e.Type == EntityType.Person } });
        var edges = graph.Links.Select(l => new
        {
            data = new { id = l.Id.ToString(), source = l.FromEntityId.Value.ToString(), target = l.ToEntityId.Value.ToString(), label = T[$"LinkType.{EntityVocabulary.LinkTypes[l.Type]}"].Value },
        });
        return JsonSerializer.Serialize(new { nodes, edges });
    }
}
