using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Policy;
using Jisr.Server.Contracts;
using Jisr.Server.Errors;
using Jisr.Storage.Records;

namespace Jisr.Server.Endpoints;

/// <summary><c>/api/v1/entities</c>: the entities the caller may see, and the records that mention one.</summary>
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

    private static async Task<PageResponse<EntityResponse>> ListAsync(Principal caller, EntityStore store, string? type, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        EntityType? entityType = type is null ? null : EntityVocabulary.Types.Parse(type, "type");
        var page = await store.ListAsync(caller, entityType, cursor, limit ?? RecordEndpoints.DefaultPageSize, cancellationToken);
        return new PageResponse<EntityResponse>([.. page.Items.Select(EntityMapping.ToResponse)], page.Next);
    }

    private static async Task<IResult> GetAsync(Guid id, Principal caller, EntityStore store, CancellationToken cancellationToken)
    {
        var entity = await store.ReadAsync(caller, new EntityId(id), cancellationToken);
        return entity is null ? ProblemResponses.NotFound($"entity {id}") : Results.Ok(EntityMapping.ToResponse(entity));
    }

    /// <summary>The link graph one step out from an entity, within what the caller may read; a graph query carries a purpose.</summary>
    private static async Task<IResult> NeighboursAsync(Guid id, HttpContext context, Principal caller, LinkGraph graph, CancellationToken cancellationToken)
    {
        var neighbours = await graph.NeighboursAsync(caller, new EntityId(id), Purpose.Of(context), cancellationToken);
        if (neighbours is null)
        {
            return ProblemResponses.NotFound($"entity {id}");
        }

        return Results.Ok(new NeighboursResponse(
            EntityMapping.ToResponse(neighbours.Entity),
            [.. neighbours.Links.Select(l => new Neighbour(
                EntityMapping.ToResponse(neighbours.Others[l.FromEntityId.Value == id ? l.ToEntityId : l.FromEntityId]),
                l.FromEntityId.Value == id ? "out" : "in",
                RecordMapping.ToResponse(l)))]));
    }

    private static async Task<IResult> RecordsAsync(
        Guid id, Principal caller, EntityStore store, AgencyDirectory agencies, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var entity = await store.ReadAsync(caller, new EntityId(id), cancellationToken);
        if (entity is null)
        {
            return ProblemResponses.NotFound($"entity {id}");
        }

        var page = await store.RecordsMentioningAsync(caller, new EntityId(id), cursor, limit ?? RecordEndpoints.DefaultPageSize, cancellationToken);
        return Results.Ok(await RecordEndpoints.ToSummariesAsync(page, agencies, cancellationToken));
    }
}

public sealed record NeighboursResponse(EntityResponse Entity, IReadOnlyList<Neighbour> Items);

/// <summary>A linked entity: the link's direction seen from the entity asked about ("out": it is the link's source), and the link with its record.</summary>
public sealed record Neighbour(EntityResponse Entity, string Direction, LinkResponse Link);
