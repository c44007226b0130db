namespace Jisr.Server.Endpoints;

/// <summary>
/// Releases and the third-party rule (see <see cref="ReleaseService"/> and <see cref="ConsentService"/>).
/// <c>POST /records/{id}/releases</c> releases a record to a partner agency; sensitive markings wait for a second
/// person (<c>/releases/{id}/approve</c>, <c>/refuse</c>). A received record passes on to a third agency only after
/// its originator grants consent (<c>POST /records/{id}/consents</c>, <c>/consents/{id}/grant</c>, <c>/refuse</c>).
/// </summary>
public static class ReleaseEndpoints
{
    public static RouteGroupBuilder MapReleaseEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/records/{id:guid}/releases", (Guid id, ReleaseRequest request, Principal caller, ReleaseService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.RequestAsync(caller, id, request, ct).CreatedAsync(r => $"/api/v1/releases/{r.Id}", r => ToResponseAsync(r, agencies, ct))).WithTags("Releases").WithName("ReleaseRecord")
            .CreatesItem<ReleaseResponse>("Release a record to a partner agency", "Under a sharing agreement in force that covers the record. CONFIDENTIAL and SECRET, TLP:AMBER+STRICT and TLP:RED records wait for a legal reviewer's approval; the others go at once.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        var releases = api.MapGroup("/releases").WithTags("Releases");
        releases.MapGet("/", ListAsync).WithName("ListReleases")
            .ListsItems<IEnumerable<ReleaseResponse>>("List your agency's releases")
            .QueryParameter("status", "Only releases in this status, e.g. awaiting-approval.")
            .QueryParameter("record", "Only releases of this record.")
            .Problems(StatusCodes.Status400BadRequest);
        releases.MapGet("/{id:guid}", (Guid id, Principal caller, ReleaseService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ReadAsync(caller, id, ct).OkAsync(r => ToResponseAsync(r, agencies, ct))).WithName("GetRelease").ReadsItem<ReleaseResponse>("Read a release");
        releases.MapPost("/{id:guid}/approve", (Guid id, StatusChangeRequest request, Principal caller, ReleaseService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.DecideAsync(caller, id, approve: true, request.Reason, ct).OkAsync(r => ToResponseAsync(r, agencies, ct))).WithName("ApproveRelease")
            .ChangesItem<ReleaseResponse>("Approve a release awaiting approval", "A legal reviewer of the releasing agency who is not the requester: the terms are checked again and the copy is sent.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        releases.MapPost("/{id:guid}/refuse", (Guid id, StatusChangeRequest request, Principal caller, ReleaseService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.DecideAsync(caller, id, approve: false, request.Reason, ct).OkAsync(r => ToResponseAsync(r, agencies, ct))).WithName("RefuseRelease")
            .ChangesItem<ReleaseResponse>("Refuse a release awaiting approval", "A legal reviewer of the releasing agency who is not the requester, with a reason.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        releases.MapPost("/{id:guid}/recall", (Guid id, StatusChangeRequest request, Principal caller, ReleaseService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.RecallAsync(caller, id, request.Reason, ct).OkAsync(r => ToResponseAsync(r, agencies, ct))).WithName("RecallRelease")
            .ChangesItem<ReleaseResponse>(
                "Recall a release",
                "A legal reviewer or administrator of the releasing agency, with a reason: the recipient's copy is removed (on the recipient's node when it is hosted by a peer, which acknowledges it).")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);

        api.MapPost("/records/{id:guid}/consents", (Guid id, ConsentRequestBody request, Principal caller, ConsentService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.RequestAsync(caller, id, request, ct).CreatedAsync(c => $"/api/v1/consents/{c.Id}", c => ToResponseAsync(c, agencies, ct))).WithTags("Consents").WithName("RequestConsent")
            .CreatesItem<ConsentResponse>("Ask a received record's originator for consent to pass it on", "Names the third agency the record would be released to.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        var consents = api.MapGroup("/consents").WithTags("Consents");
        consents.MapGet("/", ListConsentsAsync).WithName("ListConsents")
            .ListsItems<IEnumerable<ConsentResponse>>("List consent requests", "Those your agency asked, and those it must decide as originator.");
        consents.MapGet("/{id:guid}", (Guid id, Principal caller, ConsentService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ReadAsync(caller, id, ct).OkAsync(c => ToResponseAsync(c, agencies, ct))).WithName("GetConsent").ReadsItem<ConsentResponse>("Read a consent request");
        consents.MapPost("/{id:guid}/grant", (Guid id, StatusChangeRequest request, Principal caller, ConsentService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.DecideAsync(caller, id, grant: true, request.Reason, ct).OkAsync(c => ToResponseAsync(c, agencies, ct))).WithName("GrantConsent")
            .ChangesItem<ConsentResponse>("Grant a consent request", "The originator's legal reviewers or liaison officers.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        consents.MapPost("/{id:guid}/refuse", (Guid id, StatusChangeRequest request, Principal caller, ConsentService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.DecideAsync(caller, id, grant: false, request.Reason, ct).OkAsync(c => ToResponseAsync(c, agencies, ct))).WithName("RefuseConsent")
            .ChangesItem<ConsentResponse>("Refuse a consent request", "The originator's legal reviewers or liaison officers, with a reason.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        return api;
    }

    private static Task<IEnumerable<ReleaseResponse>> ListAsync(string? status, Guid? record, Principal caller, ReleaseService service, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        service.ListAsync(caller, status, record, cancellationToken).EachAsync(release => ToResponseAsync(release, agencies, cancellationToken));

    private static Task<IEnumerable<ConsentResponse>> ListConsentsAsync(Principal caller, ConsentService service, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        service.ListAsync(caller, cancellationToken).EachAsync(consent => ToResponseAsync(consent, agencies, cancellationToken));

    private static async Task<ReleaseResponse> ToResponseAsync(Release r, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        new(r.Id.Value,
            r.RecordId.Value,
            await agencies.GetAsync(r.ReleasingAgencyId, cancellationToken),
            await agencies.GetAsync(r.RecipientAgencyId, cancellationToken),
            r.AgreementId.Value,
            Release.StatusNames[r.Status],
            r.RequiresApproval,
            r.RequestedBy.Value,
            r.RequestedAt,
            r.Note,
            r.DecidedBy?.Value,
            r.DecidedAt,
            r.DecisionReason,
            r.CopyRecordId?.Value,
            [.. r.RecipientUserIds.Select(u => u.Value)]);

    private static async Task<ConsentResponse> ToResponseAsync(ConsentRequest c, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        new(c.Id.Value,
            c.RecordId.Value,
            c.OriginalRecordId.Value,
            await agencies.GetAsync(c.OriginatorAgencyId, cancellationToken),
            await agencies.GetAsync(c.RequesterAgencyId, cancellationToken),
            await agencies.GetAsync(c.TargetAgencyId, cancellationToken),
            ConsentRequest.StatusNames[c.Status],
            c.RequestedBy.Value,
            c.RequestedAt,
            c.Note,
            c.DecidedBy?.Value,
            c.DecidedAt,
            c.DecisionReason);
}
