namespace Jisr.Server.Endpoints;

/// <summary><c>/api/v1/records</c>: list, search, read, export, create, replace, delete (see <see cref="RecordService"/>; every query goes through <see cref="RecordStore"/>, which applies the policy filter).</summary>
public static class RecordEndpoints
{
    public const int DefaultPageSize = 50;

    public static RouteGroupBuilder MapRecordEndpoints(this RouteGroupBuilder api)
    {
        var records = api.MapGroup("/records").WithTags("Records");
        records.MapGet("/", ListAsync).WithName("ListRecords")
            .ListsItems<PageResponse<RecordSummary>>(
                "List the records you may see",
                "Newest first, a page at a time, optionally narrowed by threat domain, classification, originator and creation dates "
                + "(applied after the read rule, so a filter never shows more; the filter is kept in the list's audit entry). A filter value that does not parse answers 400.")
            .QueryParameter("threatDomain", "Only records of this threat domain (e.g. terrorism, drug-trafficking).")
            .QueryParameter("classification", "Only records of exactly this classification (UNCLASSIFIED, RESTRICTED, CONFIDENTIAL or SECRET).")
            .QueryParameter("originator", "Only records originated by the agency with this code (copies received from it included).")
            .QueryParameter("createdFrom", "Only records created on or after this UTC day (YYYY-MM-DD).")
            .QueryParameter("createdTo", "Only records created on or before this UTC day (YYYY-MM-DD).")
            .Problems(StatusCodes.Status400BadRequest);
        records.MapGet("/search", SearchAsync).WithName("SearchRecords").RequirePurpose()
            .ListsItems<PageResponse<RecordSummary>>("Search records by full text", "Arabic-aware: vowel marks, tatweel, alef forms, ta marbuta, the article ال, Latin accents and case are folded. Audited with the declared purpose.")
            .QueryParameter("q", "The words to search for.", required: true);
        records.MapGet("/{id:guid}", (Guid id, Principal caller, RecordService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ReadAsync(caller, id, ct).OkAsync(d => ToResponseAsync(d, agencies, ct))).WithName("GetRecord").ReadsItem<RecordResponse>("Read a record", "A record you may not see answers 404, exactly like one that does not exist.");
        records.MapGet("/{id:guid}/stix", (Guid id, HttpContext context, Principal caller, RecordService service, CancellationToken ct) =>
            service.ExportStixAsync(caller, id, Purpose.Of(context), ct).AnswerAsync(StixAsync)).WithName("ExportRecordStix").RequirePurpose()
            .Describe("Export a record as a STIX 2.1 bundle", "A report by the originator's identity, the entities, links as relationships; every object carries the TLP 2.0 and handling markings.")
            .ProducesMediaType(StixRecordExport.MediaType, Microsoft.OpenApi.JsonSchemaType.Object, "A STIX 2.1 bundle (https://docs.oasis-open.org/cti/stix/v2.1/).")
            .Problems(StatusCodes.Status404NotFound);
        records.MapPost("/", (RecordRequest request, Principal caller, RecordService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.CreateAsync(caller, request, ct).CreatedAsync(d => $"/api/v1/records/{d.Record.Id}", d => ToResponseAsync(d, agencies, ct))).WithName("CreateRecord")
            .CreatesItem<RecordResponse>("Create a record", "New entities are given with their type and attributes, existing ones of your agency by id.")
            .Problems(StatusCodes.Status403Forbidden);
        records.MapPut("/{id:guid}", (Guid id, RecordRequest request, Principal caller, RecordService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.UpdateAsync(caller, id, request, ct).AnswerAsync(change => UpdatedAsync(change, agencies, ct))).WithName("UpdateRecord")
            .ChangesItem<RecordResponse>(
                "Replace a record",
                "The body is the record's full new state. Only the author, or an editor of the record's agency cleared for the old and the new marking, changes a record. "
                + "A change that lowers the marking (classification down, TLP wider, handling looser) or adds TLP:RED recipients is a declassification: "
                + "it is held, not applied, and answered 202 with the declassification request a legal reviewer approves.")
            .Produces<DeclassificationResponse>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        records.MapDelete("/{id:guid}", (Guid id, Principal caller, RecordService service, CancellationToken ct) =>
            service.DeleteAsync(caller, id, ct).NoContentAsync()).WithName("DeleteRecord").RemovesItem("Delete a record").Problems(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<PageResponse<RecordSummary>> ListAsync(
        Principal caller, RecordService service, AgencyDirectory agencies, AccountService accounts, string? cursor, int? limit,
        string? threatDomain, string? classification, string? originator, string? createdFrom, string? createdTo, CancellationToken cancellationToken)
    {
        var filter = await RecordFilterQuery.ParseAsync(accounts, threatDomain, classification, originator, createdFrom, createdTo, cancellationToken);
        return await ToSummariesAsync(await service.ListAsync(caller, filter, cursor, limit ?? DefaultPageSize, cancellationToken), agencies, cancellationToken);
    }

    private static async Task<PageResponse<RecordSummary>> SearchAsync(
        HttpContext context, Principal caller, RecordService service, AgencyDirectory agencies, string? q, string? cursor, int? limit, CancellationToken cancellationToken) =>
        await ToSummariesAsync(await service.SearchAsync(caller, q, Purpose.Of(context), cursor, limit ?? DefaultPageSize, cancellationToken), agencies, cancellationToken);

    /// <summary>200 with the changed record, or 202 with the declassification that holds the change.</summary>
    private static async Task<IResult> UpdatedAsync(RecordChange change, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        change.Held is { } held
            ? Results.Accepted($"/api/v1/declassifications/{held.Id}", DeclassificationEndpoints.ToResponse(held))
            : Results.Ok(await ToResponseAsync(change.Applied!, agencies, cancellationToken));

    /// <summary>The record as a STIX 2.1 bundle (report, entities, links, markings); an export carries a purpose and is audited.</summary>
    private static Task<IResult> StixAsync(string bundle) =>
        Task.FromResult(Results.Text(bundle, StixRecordExport.MediaType, System.Text.Encoding.UTF8));

    /// <summary>The full record with its entities and (TLP:RED) its named recipients.</summary>
    private static async Task<RecordResponse> ToResponseAsync(RecordDetails details, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        RecordMapping.ToResponse(details.Record, await agencies.OriginOfAsync(details.Record, cancellationToken), details.Entities, details.Recipients);

    /// <summary>Summaries of records read whole (the review queue, an entity's records).</summary>
    internal static Task<PageResponse<RecordSummary>> ToSummariesAsync(Page<Record> page, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        ToSummariesAsync(new Page<RecordHeader>([.. page.Items.Select(RecordHeader.Of)], page.Next), agencies, cancellationToken);

    internal static async Task<PageResponse<RecordSummary>> ToSummariesAsync(Page<RecordHeader> page, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var items = new List<RecordSummary>(page.Items.Count);
        foreach (var record in page.Items)
        {
            items.Add(RecordMapping.ToSummary(record, await agencies.OriginOfAsync(record, cancellationToken)));
        }

        return new PageResponse<RecordSummary>(items, page.Next);
    }
}
