using Jisr.Domain.Sharing;
using Jisr.Policy;
using Jisr.Server.Application;
using Jisr.Server.Contracts;
using Jisr.Server.Errors;

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
            service.RequestAsync(caller, id, request, ct).CreatedAsync(r => $"/api/v1/releases/{r.Id}", r => ToResponseAsync(r, agencies, ct))).WithTags("Releases").WithName("ReleaseRecord");
        var releases = api.MapGroup("/releases").WithTags("Releases");
        releases.MapGet("/", ListAsync).WithName("ListReleases");
        releases.MapGet("/{id:guid}", (Guid id, Principal caller, ReleaseService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ReadAsync(caller, id, ct).OkAsync(r => ToResponseAsync(r, agencies, ct))).WithName("GetRelease");
        releases.MapPost("/{id:guid}/approve", (Guid id, StatusChangeRequest request, Principal caller, ReleaseService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.DecideAsync(caller, id, approve: true, request.Reason, ct).OkAsync(r => ToResponseAsync(r, agencies, ct))).WithName("ApproveRelease");
        releases.MapPost("/{id:guid}/refuse", (Guid id, StatusChangeRequest request, Principal caller, ReleaseService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.DecideAsync(caller, id, approve: false, request.Reason, ct).OkAsync(r => ToResponseAsync(r, agencies, ct))).WithName("RefuseRelease");

        api.MapPost("/records/{id:guid}/consents", (Guid id, ConsentRequestBody request, Principal caller, ConsentService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.RequestAsync(caller, id, request, ct).CreatedAsync(c => $"/api/v1/consents/{c.Id}", c => ToResponseAsync(c, agencies, ct))).WithTags("Consents").WithName("RequestConsent");
        var consents = api.MapGroup("/consents").WithTags("Consents");
        consents.MapGet("/", ListConsentsAsync).WithName("ListConsents");
        consents.MapGet("/{id:guid}", (Guid id, Principal caller, ConsentService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ReadAsync(caller, id, ct).OkAsync(c => ToResponseAsync(c, agencies, ct))).WithName("GetConsent");
        consents.MapPost("/{id:guid}/grant", (Guid id, StatusChangeRequest request, Principal caller, ConsentService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.DecideAsync(caller, id, grant: true, request.Reason, ct).OkAsync(c => ToResponseAsync(c, agencies, ct))).WithName("GrantConsent");
        consents.MapPost("/{id:guid}/refuse", (Guid id, StatusChangeRequest request, Principal caller, ConsentService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.DecideAsync(caller, id, grant: false, request.Reason, ct).OkAsync(c => ToResponseAsync(c, agencies, ct))).WithName("RefuseConsent");
        return api;
    }

    private static async Task<IEnumerable<ReleaseResponse>> ListAsync(string? status, Guid? record, Principal caller, ReleaseService service, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var responses = new List<ReleaseResponse>();
        foreach (var release in await service.ListAsync(caller, status, record, cancellationToken))
        {
            responses.Add(await ToResponseAsync(release, agencies, cancellationToken));
        }

        return responses;
    }

    private static async Task<IEnumerable<ConsentResponse>> ListConsentsAsync(Principal caller, ConsentService service, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var responses = new List<ConsentResponse>();
        foreach (var consent in await service.ListAsync(caller, cancellationToken))
        {
            responses.Add(await ToResponseAsync(consent, agencies, cancellationToken));
        }

        return responses;
    }

    private static async Task<ReleaseResponse> ToResponseAsync(Release r, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        new(r.Id,
            r.RecordId,
            await agencies.GetAsync(r.ReleasingAgencyId, cancellationToken),
            await agencies.GetAsync(r.RecipientAgencyId, cancellationToken),
            r.AgreementId,
            Release.StatusNames[r.Status],
            r.RequiresApproval,
            r.RequestedBy,
            r.RequestedAt,
            r.Note,
            r.DecidedBy,
            r.DecidedAt,
            r.DecisionReason,
            r.CopyRecordId,
            r.RecipientUserIds);

    private static async Task<ConsentResponse> ToResponseAsync(ConsentRequest c, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        new(c.Id,
            c.RecordId,
            c.OriginalRecordId,
            await agencies.GetAsync(c.OriginatorAgencyId, cancellationToken),
            await agencies.GetAsync(c.RequesterAgencyId, cancellationToken),
            await agencies.GetAsync(c.TargetAgencyId, cancellationToken),
            ConsentRequest.StatusNames[c.Status],
            c.RequestedBy,
            c.RequestedAt,
            c.Note,
            c.DecidedBy,
            c.DecidedAt,
            c.DecisionReason);
}
