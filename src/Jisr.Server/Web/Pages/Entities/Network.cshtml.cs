using Jisr.Server.Application.Fusion;
using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Entities;

/// <summary>
/// An entity's network: the entities within a chosen number of links of it, and the links among them, over the
/// records the caller may read, drawn by cytoscape and listed in a table. The same <see cref="GraphService"/> as
/// <c>GET /api/v1/graph/neighbourhood/{id}</c>, so the same decisions apply (nothing the caller may not read, not even
/// as a count) and the query is audited with its declared purpose.
/// </summary>
public sealed class NetworkModel(EntityService entities, GraphService graph, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public EntityResponse Entity { get; private set; } = null!;

    [BindProperty(SupportsGet = true)]
    public string? Purpose { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Depth { get; set; } = 2;

    /// <summary>The entities found, nearest first (null until a purpose is declared).</summary>
    public IReadOnlyList<GraphNode>? Nodes { get; private set; }

    public int LinkCount { get; private set; }

    public int Omitted { get; private set; }

    /// <summary>The network as cytoscape elements (JSON in a data attribute: the page runs no inline script).</summary>
    public string? Graph { get; private set; }

    public static string PageOf(Entity entity) =>
        entity is Jisr.Domain.Entities.Person ? $"/persons/{entity.Id.Value}" : $"/entities/{entity.Id.Value}/network";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var caller = Caller;
        var read = await entities.ReadAsync(caller, id, cancellationToken);
        if (read.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Entity = EntityMapping.ToResponse(read.Value!);
        // Nothing is read until the form is sent; sent without a purpose, the message stands beside the field.
        if (!Request.Query.ContainsKey(nameof(Purpose)) || DeclaredPurpose(Purpose) is not { } purpose)
        {
            return Page();
        }

        Outcome<GraphView> found;
        try
        {
            found = await graph.NeighbourhoodAsync(caller, id, Depth, purpose, cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, field => field == "depth" ? nameof(Depth) : string.Empty);
            return Page();
        }

        if (found.Refusal is { } notFound)
        {
            return Refused(notFound);
        }

        var view = found.Value!;
        Nodes = [.. view.Nodes.OrderBy(n => n.Distance ?? int.MaxValue).ThenBy(n => n.Entity.Label, StringComparer.Ordinal)];
        LinkCount = view.Links.Count;
        Omitted = view.Omitted;
        Graph = ToElements(view, id);
        return Page();
    }

    private string ToElements(GraphView view, Guid centre)
    {
        var nodes = view.Nodes.Select(n => new
        {
            data = new
            {
                id = n.Entity.Id.Value.ToString(),
                label = n.Entity.Label,
                type = T[$"EntityType.{EntityVocabulary.Types[n.Entity.Type]}"].Value,
                centre = n.Entity.Id.Value == centre,
                level = GraphService.MaxDepth + 1 - (n.Distance ?? GraphService.MaxDepth),
                href = PageOf(n.Entity),
            },
        });
        var edges = view.Links.Select(l => new
        {
            data = new
            {
                id = $"{l.A}-{l.B}",
                source = l.A,
                target = l.B,
                label = string.Join(", ", l.Types.Select(t => T[$"LinkType.{t}"].Value)),
                undirected = true,
            },
        });
        return JsonSerializer.Serialize(new { nodes, edges });
    }
}
