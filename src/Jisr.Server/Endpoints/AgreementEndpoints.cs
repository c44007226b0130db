namespace Jisr.Server.Endpoints;

/// <summary><c>/api/v1/agreements</c>: sharing agreements between this agency and a partner (see <see cref="AgreementService"/>).</summary>
public static class AgreementEndpoints
{
    public static RouteGroupBuilder MapAgreementEndpoints(this RouteGroupBuilder api)
    {
        var agreements = api.MapGroup("/agreements").WithTags("Agreements");
        agreements.MapGet("/", ListAsync).WithName("ListAgreements").ListsItems<IEnumerable<AgreementResponse>>("List your agency's sharing agreements");
        agreements.MapGet("/{id:guid}", (Guid id, Principal caller, AgreementService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ReadAsync(caller, id, ct).OkAsync(a => ToResponseAsync(a, agencies, ct))).WithName("GetAgreement").ReadsItem<AgreementResponse>("Read a sharing agreement");
        agreements.MapPost("/", (AgreementRequest request, Principal caller, AgreementService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ProposeAsync(caller, request, ct).CreatedAsync(a => $"/api/v1/agreements/{a.Id}", a => ToResponseAsync(a, agencies, ct))).WithName("ProposeAgreement")
            .CreatesItem<AgreementResponse>("Propose a sharing agreement", "Administrators: threat domains, highest classification, handling codes and validity; in force once the partner's administrator accepts it.")
            .Problems(StatusCodes.Status403Forbidden);
        agreements.MapPost("/{id:guid}/accept", (Guid id, Principal caller, AgreementService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ChangeAsync(caller, id, AgreementAction.Accept, null, ct).OkAsync(a => ToResponseAsync(a, agencies, ct))).WithName("AcceptAgreement")
            .Describe("Accept a proposed agreement", "Administrators of the partner agency; the agreement is in force from then on.")
            .Produces<AgreementResponse>()
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        agreements.MapPost("/{id:guid}/suspend", (Guid id, StatusChangeRequest request, Principal caller, AgreementService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ChangeAsync(caller, id, AgreementAction.Suspend, request.Reason, ct).OkAsync(a => ToResponseAsync(a, agencies, ct))).WithName("SuspendAgreement")
            .ChangesItem<AgreementResponse>("Suspend an agreement in force", "Either agency's administrators, with a reason: partners stop seeing released copies at once.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        agreements.MapPost("/{id:guid}/resume", (Guid id, StatusChangeRequest request, Principal caller, AgreementService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ChangeAsync(caller, id, AgreementAction.Resume, request.Reason, ct).OkAsync(a => ToResponseAsync(a, agencies, ct))).WithName("ResumeAgreement")
            .ChangesItem<AgreementResponse>("Resume a suspended agreement", "Administrators of the agency that suspended it, with a reason: the partner cannot lift a suspension.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        agreements.MapPost("/{id:guid}/end", (Guid id, StatusChangeRequest request, Principal caller, AgreementService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ChangeAsync(caller, id, AgreementAction.End, request.Reason, ct).OkAsync(a => ToResponseAsync(a, agencies, ct))).WithName("EndAgreement")
            .ChangesItem<AgreementResponse>("End an agreement", "Either agency's administrators, with a reason; an ended agreement cannot be resumed.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        return api;
    }

    private static Task<IEnumerable<AgreementResponse>> ListAsync(Principal caller, AgreementService service, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        service.ListAsync(caller, cancellationToken).EachAsync(agreement => ToResponseAsync(agreement, agencies, cancellationToken));

    private static async Task<AgreementResponse> ToResponseAsync(SharingAgreement a, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        new(a.Id.Value,
            await agencies.GetAsync(a.ProposerAgencyId, cancellationToken),
            await agencies.GetAsync(a.PartnerAgencyId, cancellationToken),
            SharingAgreement.StatusNames[a.Status],
            [.. a.ThreatDomains.Select(d => RecordVocabulary.ThreatDomains[d])],
            Marking.ClassificationNames[a.HighestClassification],
            [.. a.HandlingCodes.Select(h => Marking.HandlingNames[h])],
            a.ValidFrom,
            a.ValidUntil,
            a.ProposedAt,
            a.AcceptedAt,
            a.StatusChangedAt,
            a.StatusReason);
}
