namespace Jisr.Server.Endpoints;

/// <summary><c>/api/v1/entities</c>: the entities the caller may see, and the records that mention one (see <see cref="EntityService"/>).</summary>
public static class EntityEndpoints
{
    public static RouteGroupBuilder MapEntityEndpoints(this RouteGroupBuilder api)
    {
        var entities = api.MapGroup("/entities").WithTags("Entities");
        entities.MapGet("/", ListAsync).WithName("ListEntities")
            .ListsItems<PageResponse<EntityResponse>>("List the entities you may see", "Entities asserted by records you may read, a page at a time.")
            .QueryParameter("type", "Only entities of this type, e.g. person, organisation, location, phone, email, vehicle.")
            .Problems(StatusCodes.Status400BadRequest);
        entities.MapGet("/{id:guid}", GetAsync).WithName("GetEntity").ReadsItem<EntityResponse>("Read an entity");
        entities.MapGet("/{id:guid}/records", RecordsAsync).WithName("GetEntityRecords")
            .ReadsItem<PageResponse<RecordSummary>>("List the records that mention an entity", "Among the records you may read, newest first.")
            .Problems(StatusCodes.Status400BadRequest);
        entities.MapGet("/{id:guid}/neighbours", NeighboursAsync).WithName("GetEntityNeighbours").RequirePurpose()
            .ReadsItem<NeighboursResponse>("Follow an entity's links one step out", "The link graph around an entity, within the records you may read. Audited with the declared purpose.");
        return api;
    }

    private static async Task<PageResponse<EntityResponse>> ListAsync(Principal caller, EntityService service, string? type, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var page = await service.ListAsync(caller, type, cursor, limit ?? RecordEndpoints.DefaultPageSize, cancellationToken);
        return new PageResponse<EntityResponse>([.. page.Items.Select(EntityMapping.ToResponse)], page.Next);
    }

    private static Task<IResult> GetAsync(Guid id, Principal caller, EntityService service, CancellationToken cancellationToken) =>
        service.ReadAsync(caller, id, cancellationToken).OkAsync(entity => Task.FromResult(EntityMapping.ToResponse(entity)));

    /// <summary>The link graph one step out from an entity, within what the caller may read; a graph query carries a purpose.</summary>
    private static Task<IResult> NeighboursAsync(Guid id, HttpContext context, Principal caller, EntityService service, CancellationToken cancellationToken) =>
        service.NeighboursAsync(caller, id, Purpose.Of(context), cancellationToken).OkAsync(neighbours => Task.FromResult(ToResponse(neighbours, id)));

    private static Task<IResult> RecordsAsync(
        Guid id, Principal caller, EntityService service, AgencyDirectory agencies, string? cursor, int? limit, CancellationToken cancellationToken) =>
        service.RecordsMentioningAsync(caller, id, cursor, limit ?? RecordEndpoints.DefaultPageSize, cancellationToken)
            .OkAsync(page => RecordEndpoints.ToSummariesAsync(page, agencies, cancellationToken));

    /// <summary>Each linked entity with the link's direction seen from <paramref name="id"/> ("out": it is the link's source).</summary>
    private static NeighboursResponse ToResponse(EntityNeighbours neighbours, Guid id) =>
        new(EntityMapping.ToResponse(neighbours.Entity),
            [.. neighbours.Links.Select(l => new Neighbour(
                EntityMapping.ToResponse(neighbours.Others[l.FromEntityId.Value == id ? l.ToEntityId : l.FromEntityId]),
                l.FromEntityId.Value == id ? "out" : "in",
                RecordMapping.ToResponse(l)))]);
}
