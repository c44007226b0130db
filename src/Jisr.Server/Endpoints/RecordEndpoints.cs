using Jisr.Domain.Common;
using Jisr.Domain.Records;
using Jisr.Policy;
using Jisr.Server.Contracts;
using Jisr.Server.Errors;
using Jisr.Server.Persons;
using Jisr.Storage.Accounts;
using Jisr.Storage.Records;
using Jisr.Storage.Audit;

namespace Jisr.Server.Endpoints;

/// <summary><c>/api/v1/records</c>: list, search, read, create, replace, delete. Every query goes through <see cref="RecordStore"/>, which applies the policy filter.</summary>
public static class RecordEndpoints
{
    public const int DefaultPageSize = 50;

    public static RouteGroupBuilder MapRecordEndpoints(this RouteGroupBuilder api)
    {
        var records = api.MapGroup("/records").WithTags("Records");
        records.MapGet("/", ListAsync).WithName("ListRecords")
            .ListsItems<PageResponse<RecordSummary>>("List the records you may see", "Newest first, a page at a time.")
            .Problems(StatusCodes.Status400BadRequest);
        records.MapGet("/search", SearchAsync).WithName("SearchRecords").RequirePurpose()
            .ListsItems<PageResponse<RecordSummary>>("Search records by full text", "Arabic-aware: vowel marks, tatweel, alef forms, ta marbuta, the article ال, Latin accents and case are folded. Audited with the declared purpose.")
            .QueryParameter("q", "The words to search for.", required: true);
        records.MapGet("/{id:guid}", GetAsync).WithName("GetRecord").ReadsItem<RecordResponse>("Read a record", "A record you may not see answers 404, exactly like one that does not exist.");
        records.MapGet("/{id:guid}/stix", StixAsync).WithName("ExportRecordStix").RequirePurpose()
            .Describe("Export a record as a STIX 2.1 bundle", "A report by the originator's identity, the entities, links as relationships; every object carries the TLP 2.0 and handling markings.")
            .ProducesMediaType(Exchange.Stix.StixRecordExport.MediaType, Microsoft.OpenApi.JsonSchemaType.Object, "A STIX 2.1 bundle (https://docs.oasis-open.org/cti/stix/v2.1/).")
            .Problems(StatusCodes.Status404NotFound);
        records.MapPost("/", CreateAsync).WithName("CreateRecord")
            .CreatesItem<RecordResponse>("Create a record", "New entities are given with their type and attributes, existing ones of your agency by id.")
            .Problems(StatusCodes.Status403Forbidden);
        records.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateRecord")
            .ChangesItem<RecordResponse>("Replace a record", "The body is the record's full new state.")
            .Problems(StatusCodes.Status403Forbidden);
        records.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteRecord").RemovesItem("Delete a record").Problems(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<PageResponse<RecordSummary>> ListAsync(
        Principal caller, RecordStore store, AgencyDirectory agencies, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(caller, cursor, limit ?? DefaultPageSize, cancellationToken);
        return await ToSummariesAsync(page, agencies, cancellationToken);
    }

    private static async Task<PageResponse<RecordSummary>> SearchAsync(
        HttpContext context, Principal caller, RecordStore store, AgencyDirectory agencies, string? q, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            throw new Domain.Common.DomainValidationException("q", "is required: the words to search for");
        }

        var page = await store.SearchAsync(caller, q, Purpose.Of(context), cursor, limit ?? DefaultPageSize, cancellationToken);
        return await ToSummariesAsync(page, agencies, cancellationToken);
    }

    private static async Task<IResult> GetAsync(Guid id, Principal caller, RecordStore store, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var details = await store.ReadAsync(caller, new RecordId(id), cancellationToken);
        if (details is null)
        {
            return ProblemResponses.NotFound($"record {id}");
        }

        var origin = await agencies.OriginOfAsync(details.Record, cancellationToken);
        return Results.Ok(RecordMapping.ToResponse(details.Record, origin, details.Entities, details.Recipients));
    }

    /// <summary>The record as a STIX 2.1 bundle (report, entities, links, markings); an export carries a purpose and is audited.</summary>
    private static async Task<IResult> StixAsync(Guid id, HttpContext context, Principal caller, RecordStore store, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var details = await store.ReadAsync(caller, new RecordId(id), cancellationToken, AuditActions.RecordExportStix, Purpose.Of(context));
        if (details is null)
        {
            return ProblemResponses.NotFound($"record {id}");
        }

        var originator = await agencies.FindAsync(details.Record.OriginatorAgencyId, cancellationToken)
            ?? throw new InvalidOperationException($"record {id} names an originator agency that does not exist");
        var bundle = Exchange.Stix.StixRecordExport.Bundle(details.Record, originator, details.Entities);
        return Results.Text(Exchange.Stix.StixRecordExport.Serialize(bundle), Exchange.Stix.StixRecordExport.MediaType, System.Text.Encoding.UTF8);
    }

    private static async Task<IResult> CreateAsync(
        RecordRequest request, Principal caller, RecordStore store, AgencyDirectory agencies, EntityStore entities, PersonNameIndex persons, AccountService accounts, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var content = RecordMapping.ToContent(request);
        var decision = AccessPolicy.CanCreate(caller, content);
        if (!decision.IsAllowed)
        {
            return ProblemResponses.Forbidden(decision.Reason!);
        }

        var assertions = await ResolveAssertionsAsync(request, content, caller, entities, now, cancellationToken);
        var record = Record.Create(caller.AgencyId, caller.UserId, content, now);
        record.SetAssertions(assertions.AllEntities, assertions.Links);
        record.SetRecipients(await ResolveRecipientsAsync(request, caller, accounts, cancellationToken));
        await store.CreateAsync(caller, record, assertions.NewEntities, assertions.AllEntities, cancellationToken);
        persons.Add(assertions.NewEntities);
        var origin = await agencies.OriginOfAsync(record, cancellationToken);
        return Results.Created($"/api/v1/records/{record.Id}", RecordMapping.ToResponse(record, origin, assertions.AllEntities));
    }

    private static async Task<IResult> UpdateAsync(
        Guid id, RecordRequest request, Principal caller, RecordStore store, AgencyDirectory agencies, EntityStore entities, PersonNameIndex persons, AccountService accounts, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = await store.FindForUpdateAsync(caller, new RecordId(id), cancellationToken);
        if (record is null)
        {
            return ProblemResponses.NotFound($"record {id}");
        }

        var content = RecordMapping.ToContent(request);
        var decision = AccessPolicy.CanUpdate(caller, record, content, now);
        if (!decision.IsAllowed)
        {
            return decision.Outcome == PolicyOutcome.NotVisible ? ProblemResponses.NotFound($"record {id}") : ProblemResponses.Forbidden(decision.Reason!);
        }

        var assertions = await ResolveAssertionsAsync(request, content, caller, entities, now, cancellationToken);
        var recipients = await ResolveRecipientsAsync(request, caller, accounts, cancellationToken);
        record.Update(content, now);
        record.SetAssertions(assertions.AllEntities, assertions.Links);
        record.SetRecipients(recipients);
        await store.UpdateAsync(caller, record, assertions.NewEntities, assertions.AllEntities, cancellationToken);
        persons.Add(assertions.NewEntities);
        var origin = await agencies.OriginOfAsync(record, cancellationToken);
        return Results.Ok(RecordMapping.ToResponse(record, origin, assertions.AllEntities));
    }

    private static async Task<IResult> DeleteAsync(Guid id, Principal caller, RecordStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var record = await store.FindForUpdateAsync(caller, new RecordId(id), cancellationToken);
        if (record is null)
        {
            return ProblemResponses.NotFound($"record {id}");
        }

        var decision = AccessPolicy.CanDelete(caller, record, time.GetUtcNow());
        if (!decision.IsAllowed)
        {
            return decision.Outcome == PolicyOutcome.NotVisible ? ProblemResponses.NotFound($"record {id}") : ProblemResponses.Forbidden(decision.Reason!);
        }

        await store.DeleteAsync(caller, record, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>Recipients are named by user name and must be users of the caller's agency.</summary>
    private static async Task<List<UserId>> ResolveRecipientsAsync(RecordRequest request, Principal caller, AccountService accounts, CancellationToken cancellationToken)
    {
        var ids = new List<UserId>();
        var names = request.Recipients ?? [];
        for (var i = 0; i < names.Count; i++)
        {
            var name = Domain.Common.Guard.Text(names[i], $"recipients[{i}]", AccountService.MaxUserNameLength);
            var user = await accounts.FindUserAsync(name);
            if (user is null || user.AgencyId != caller.AgencyId)
            {
                throw new Domain.Common.DomainValidationException($"recipients[{i}]", $"no user '{name}' in your agency");
            }

            ids.Add(new UserId(user.Id));
        }

        return ids;
    }

    private static async Task<RecordAssertions> ResolveAssertionsAsync(
        RecordRequest request, RecordContent content, Principal caller, EntityStore entities, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var referenced = (request.Entities ?? []).Where(e => e?.Id is not null).Select(e => new EntityId(e!.Id!.Value)).Distinct().ToList();
        var existing = await entities.ReadableByIdAsync(caller, referenced, cancellationToken);
        return RecordMapping.ToAssertions(request, content, existing, caller.AgencyId, now);
    }

    internal static async Task<PageResponse<RecordSummary>> ToSummariesAsync(Page<Record> page, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var items = new List<RecordSummary>(page.Items.Count);
        foreach (var record in page.Items)
        {
            items.Add(RecordMapping.ToSummary(record, await agencies.OriginOfAsync(record, cancellationToken)));
        }

        return new PageResponse<RecordSummary>(items, page.Next);
    }
}
