namespace Jisr.Server.Endpoints;

/// <summary>
/// <c>/api/v1/declassifications</c>: changes that lower a record's marking, held by <c>PUT /records/{id}</c> (202)
/// until a legal reviewer of the record's agency who is not the requester approves or refuses them (see <see cref="DeclassificationService"/>).
/// </summary>
public static class DeclassificationEndpoints
{
    public static RouteGroupBuilder MapDeclassificationEndpoints(this RouteGroupBuilder api)
    {
        var declassifications = api.MapGroup("/declassifications").WithTags("Declassifications");
        declassifications.MapGet("/", (string? status, Guid? record, Principal caller, DeclassificationService service, CancellationToken ct) =>
                service.ListAsync(caller, status, record, ct).EachAsync(d => Task.FromResult(ToResponse(d)))).WithName("ListDeclassifications")
            .ListsItems<IEnumerable<DeclassificationResponse>>("List declassification requests", "Your agency's, of records you may read.")
            .QueryParameter("status", "Only requests in this status: pending, approved or refused.")
            .QueryParameter("record", "Only requests about this record.")
            .Problems(StatusCodes.Status400BadRequest);
        declassifications.MapGet("/{id:guid}", (Guid id, Principal caller, DeclassificationService service, CancellationToken ct) =>
            service.ReadAsync(caller, id, ct).OkAsync(d => Task.FromResult(ToResponse(d)))).WithName("GetDeclassification").ReadsItem<DeclassificationResponse>("Read a declassification request");
        declassifications.MapPost("/{id:guid}/approve", (Guid id, StatusChangeRequest request, Principal caller, DeclassificationService service, CancellationToken ct) =>
            service.DecideAsync(caller, id, approve: true, request.Reason, ct).OkAsync(d => Task.FromResult(ToResponse(d)))).WithName("ApproveDeclassification")
            .ChangesItem<DeclassificationResponse>("Approve a declassification", "A legal reviewer of the record's agency who is not the requester: the proposed change is applied. 409 when the record changed after the request (the requester asks again).")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        declassifications.MapPost("/{id:guid}/refuse", (Guid id, StatusChangeRequest request, Principal caller, DeclassificationService service, CancellationToken ct) =>
            service.DecideAsync(caller, id, approve: false, request.Reason, ct).OkAsync(d => Task.FromResult(ToResponse(d)))).WithName("RefuseDeclassification")
            .ChangesItem<DeclassificationResponse>("Refuse a declassification", "A legal reviewer of the record's agency who is not the requester, with a reason: the record stays as it is.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        return api;
    }

    internal static DeclassificationResponse ToResponse(Declassification d) =>
        new(d.Id.Value,
            d.RecordId.Value,
            d.RecordVersion,
            Declassification.Statuses[d.Status],
            RecordMapping.ToResponse(d.CurrentMarking),
            RecordMapping.ToResponse(d.ProposedMarking),
            d.WidensRecipients,
            d.RequestedBy.Value,
            d.RequestedAt,
            d.DecidedBy?.Value,
            d.DecidedAt,
            d.DecisionReason,
            DeclassificationService.Proposed(d));
}
