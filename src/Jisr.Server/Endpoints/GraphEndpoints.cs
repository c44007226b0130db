using Jisr.Fusion.Graph;
using Jisr.Server.Application.Fusion;

namespace Jisr.Server.Endpoints;

/// <summary>
/// <c>/api/v1/graph</c>: the link graph's analytics over the records the caller may read (see <see cref="GraphService"/>):
/// neighbourhood to depth k, shortest path, connected components, cells, brokers, exports. Every query declares its purpose.
/// </summary>
public static class GraphEndpoints
{
    public static RouteGroupBuilder MapGraphEndpoints(this RouteGroupBuilder api)
    {
        var graph = api.MapGroup("/graph").WithTags("Graph");
        graph.MapGet("/neighbourhood/{id:guid}", NeighbourhoodAsync).WithName("GetGraphNeighbourhood").RequirePurpose()
            .ReadsItem<GraphResponse>("Follow an entity's links several steps out", $"The entities within `depth` steps (1 to {GraphService.MaxDepth}, default 2) and the links among them, within the records you may read; at most {GraphService.MaxNodes} entities (`omitted` counts those left out).")
            .QueryParameter("depth", $"Steps out from the entity, 1 to {GraphService.MaxDepth} (default 2).")
            .Problems(StatusCodes.Status400BadRequest);
        graph.MapGet("/path", PathAsync).WithName("GetGraphPath").RequirePurpose()
            .ReadsItem<GraphResponse>("Find the shortest chain of links between two entities", "Within the records you may read; `distance` is each entity's position on the chain. No chain within eight links: empty lists.")
            .QueryParameter("from", "The entity to start from.", required: true)
            .QueryParameter("to", "The entity to reach.", required: true)
            .Problems(StatusCodes.Status400BadRequest);
        graph.MapGet("/cells", CellsAsync).WithName("GetGraphCells").RequirePurpose()
            .ListsItems<GraphCellsResponse>("Propose cells in the link graph", "Communities (Louvain) of the graph you may read, largest first: groups of entities linked more among themselves than to others.")
            .QueryParameter("minSize", "Only cells of at least this many entities (2 to 1000, default 3).")
            .Problems(StatusCodes.Status400BadRequest);
        graph.MapGet("/components", ComponentsAsync).WithName("GetGraphComponents").RequirePurpose()
            .ListsItems<GraphComponentsResponse>("List the connected components of the link graph", $"Groups of entities joined by chains of links of any length, within the records you may read, largest first; each with at most {GraphService.MaxNodes} of its entities (`omitted` counts the rest) and the links among them.")
            .QueryParameter("minSize", $"Only components of at least this many entities (1 to {GraphService.MaxNodes}, default 2; 1 lists entities with no link too).")
            .QueryParameter("top", $"How many components to list, largest first (1 to {GraphService.MaxComponents}, default 20); `matching` counts them all.")
            .Problems(StatusCodes.Status400BadRequest);
        graph.MapGet("/brokers", BrokersAsync).WithName("GetGraphBrokers").RequirePurpose()
            .ListsItems<List<GraphBrokerResponse>>("Point at brokers and couriers", "The entities of the graph you may read that lie on most shortest paths between others (betweenness centrality), with their number of links.")
            .QueryParameter("top", $"How many (1 to {GraphService.MaxBrokers}, default 10).")
            .Problems(StatusCodes.Status400BadRequest);
        graph.MapGet("/export", ExportAsync).WithName("ExportGraph").RequirePurpose()
            .Describe("Export the link graph you may read", "GraphML (opens in Gephi, yEd, Cytoscape) or JSON (`{\"nodes\":[...],\"links\":[...]}`), each entity with its label and proposed cell. Analysts only.")
            .ProducesMediaType("application/graphml+xml", Microsoft.OpenApi.JsonSchemaType.String, "GraphML, for ?format=graphml (the default).")
            .ProducesMediaType("application/json", Microsoft.OpenApi.JsonSchemaType.Object, "The graph as JSON, for ?format=json.")
            .QueryParameter("format", "graphml (default) or json.")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);
        return api;
    }

    private static Task<IResult> NeighbourhoodAsync(Guid id, int? depth, HttpContext context, Principal caller, GraphService service, CancellationToken cancellationToken) =>
        service.NeighbourhoodAsync(caller, id, depth, Purpose.Of(context), cancellationToken).OkAsync(view => Task.FromResult(ToResponse(view)));

    private static Task<IResult> PathAsync(string? from, string? to, HttpContext context, Principal caller, GraphService service, CancellationToken cancellationToken) =>
        service.PathAsync(caller, Id(from, "from"), Id(to, "to"), Purpose.Of(context), cancellationToken).OkAsync(view => Task.FromResult(ToResponse(view)));

    private static async Task<GraphCellsResponse> CellsAsync(int? minSize, HttpContext context, Principal caller, GraphService service, CancellationToken cancellationToken)
    {
        var cells = await service.CellsAsync(caller, minSize, Purpose.Of(context), cancellationToken);
        return new GraphCellsResponse(Math.Round(cells.Modularity, 4), [.. cells.Cells.Select(ToResponse)]);
    }

    private static async Task<GraphComponentsResponse> ComponentsAsync(int? minSize, int? top, HttpContext context, Principal caller, GraphService service, CancellationToken cancellationToken) =>
        ToResponse(await service.ComponentsAsync(caller, minSize, top, Purpose.Of(context), cancellationToken));

    /// <summary>The components as the API and <c>jisr graph components --format json</c> write them.</summary>
    public static GraphComponentsResponse ToResponse(GraphComponents components) => new(
        components.Total,
        components.Matching,
        [.. components.Components.Select(c => new GraphComponentResponse(c.Size, c.LinkCount, [.. c.Shown.Nodes.Select(n => new GraphNodeResponse(EntityMapping.ToResponse(n.Entity), n.Distance))], [.. c.Shown.Links.Select(ToResponse)], c.Shown.Omitted))]);

    private static async Task<List<GraphBrokerResponse>> BrokersAsync(int? top, HttpContext context, Principal caller, GraphService service, CancellationToken cancellationToken) =>
        [.. (await service.BrokersAsync(caller, top, Purpose.Of(context), cancellationToken)).Select(b => new GraphBrokerResponse(EntityMapping.ToResponse(b.Entity), b.Betweenness, b.Degree))];

    private static Task<IResult> ExportAsync(string? format, HttpContext context, Principal caller, GraphService service, CancellationToken cancellationToken) =>
        service.ExportAsync(caller, format, Purpose.Of(context), cancellationToken)
            .AnswerAsync(file => Task.FromResult(Results.File(file.Content, file.ContentType, file.FileName)));

    private static Guid Id(string? value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw DomainValidationException.Coded(field, ValidationCodes.NotAnId, "must be an entity id (a GUID)");

    private static GraphResponse ToResponse(GraphView view) => new(
        [.. view.Nodes.Select(n => new GraphNodeResponse(EntityMapping.ToResponse(n.Entity), n.Distance))],
        [.. view.Links.Select(ToResponse)],
        view.Omitted);

    private static GraphLinkResponse ToResponse(GraphEdge edge) => new(Guid.Parse(edge.A), Guid.Parse(edge.B), edge.Weight, edge.Types);
}
