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
        entities.MapGet("/", ListAsync).WithName("ListEntities");
        entities.MapGet("/{id:guid}", GetAsync).WithName("GetEntity");
        entities.MapGet("/{id:guid}/records", RecordsAsync).WithName("GetEntityRecords");
        return api;
    }

    private static async Task<PageResponse<EntityResponse>> ListAsync(Principal caller, RecordStore store, string? type, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        EntityType? entityType = type is null ? null : EntityVocabulary.Types.Parse(type, "type");
        var page = await store.ListEntitiesAsync(caller, entityType, cursor, limit ?? RecordEndpoints.DefaultPageSize, cancellationToken);
        return new PageResponse<EntityResponse>([.. page.Items.Select(EntityMapping.ToResponse)], page.Next);
    }

    private static async Task<IResult> GetAsync(Guid id, Principal caller, RecordStore store, CancellationToken cancellationToken)
    {
        var entity = await store.ReadEntityAsync(caller, id, cancellationToken);
        return entity is null ? ProblemResponses.NotFound($"entity {id}") : Results.Ok(EntityMapping.ToResponse(entity));
    }

    private static async Task<IResult> RecordsAsync(
        Guid id, Principal caller, RecordStore store, AgencyDirectory agencies, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var entity = await store.ReadEntityAsync(caller, id, cancellationToken);
        if (entity is null)
        {
            return ProblemResponses.NotFound($"entity {id}");
        }

        var page = await store.RecordsMentioningAsync(caller, id, cursor, limit ?? RecordEndpoints.DefaultPageSize, cancellationToken);
        return Results.Ok(await RecordEndpoints.ToSummariesAsync(page, agencies, cancellationToken));
    }
}
