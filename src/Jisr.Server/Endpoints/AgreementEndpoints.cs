using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Policy;
using Jisr.Server.Errors;
using Jisr.Storage.Accounts;
using Jisr.Storage.Sharing;

namespace Jisr.Server.Endpoints;

/// <summary>
/// <c>/api/v1/agreements</c>: sharing agreements between this agency and a partner. Proposed by one agency's
/// administrator, in force once the partner's administrator accepts; either can suspend, resume or end it.
/// </summary>
public static class AgreementEndpoints
{
    public static RouteGroupBuilder MapAgreementEndpoints(this RouteGroupBuilder api)
    {
        var agreements = api.MapGroup("/agreements").WithTags("Agreements");
        agreements.MapGet("/", ListAsync).WithName("ListAgreements").ListsItems<IEnumerable<AgreementResponse>>("List your agency's sharing agreements");
        agreements.MapGet("/{id:guid}", GetAsync).WithName("GetAgreement").ReadsItem<AgreementResponse>("Read a sharing agreement");
        agreements.MapPost("/", ProposeAsync).WithName("ProposeAgreement")
            .CreatesItem<AgreementResponse>("Propose a sharing agreement", "Administrators: threat domains, highest classification, handling codes and validity; in force once the partner's administrator accepts it.")
            .Problems(StatusCodes.Status403Forbidden);
        agreements.MapPost("/{id:guid}/accept", (Guid id, Principal caller, AgreementStore store, AgencyDirectory agencies, TimeProvider time, CancellationToken ct) =>
            ChangeAsync(id, caller, store, agencies, "agreement.accept", a => a.Accept(caller.AgencyId, caller.UserId, time.GetUtcNow()), ct)).WithName("AcceptAgreement")
            .Describe("Accept a proposed agreement", "Administrators of the partner agency; the agreement is in force from then on.")
            .Produces<AgreementResponse>()
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        agreements.MapPost("/{id:guid}/suspend", (Guid id, StatusChangeRequest request, Principal caller, AgreementStore store, AgencyDirectory agencies, TimeProvider time, CancellationToken ct) =>
            ChangeAsync(id, caller, store, agencies, "agreement.suspend", a => a.Suspend(caller.AgencyId, request.Reason, time.GetUtcNow()), ct)).WithName("SuspendAgreement")
            .ChangesItem<AgreementResponse>("Suspend an agreement in force", "Either agency's administrators, with a reason: partners stop seeing released copies at once.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        agreements.MapPost("/{id:guid}/resume", (Guid id, StatusChangeRequest request, Principal caller, AgreementStore store, AgencyDirectory agencies, TimeProvider time, CancellationToken ct) =>
            ChangeAsync(id, caller, store, agencies, "agreement.resume", a => a.Resume(caller.AgencyId, request.Reason, time.GetUtcNow()), ct)).WithName("ResumeAgreement")
            .ChangesItem<AgreementResponse>("Resume a suspended agreement", "Either agency's administrators, with a reason.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        agreements.MapPost("/{id:guid}/end", (Guid id, StatusChangeRequest request, Principal caller, AgreementStore store, AgencyDirectory agencies, TimeProvider time, CancellationToken ct) =>
            ChangeAsync(id, caller, store, agencies, "agreement.end", a => a.End(caller.AgencyId, request.Reason, time.GetUtcNow()), ct)).WithName("EndAgreement")
            .ChangesItem<AgreementResponse>("End an agreement", "Either agency's administrators, with a reason; an ended agreement cannot be resumed.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IEnumerable<AgreementResponse>> ListAsync(Principal caller, AgreementStore store, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var responses = new List<AgreementResponse>();
        foreach (var agreement in await store.ListAsync(caller, cancellationToken))
        {
            responses.Add(await ToResponseAsync(agreement, agencies, cancellationToken));
        }

        return responses;
    }

    private static async Task<IResult> GetAsync(Guid id, Principal caller, AgreementStore store, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var agreement = await store.ReadAsync(caller, id, cancellationToken);
        return agreement is null ? ProblemResponses.NotFound($"agreement {id}") : Results.Ok(await ToResponseAsync(agreement, agencies, cancellationToken));
    }

    private static async Task<IResult> ProposeAsync(
        AgreementRequest request, Principal caller, AgreementStore store, AccountService accounts, AgencyDirectory agencies, TimeProvider time, CancellationToken cancellationToken)
    {
        var decision = AccessPolicy.CanManageAgreements(caller);
        if (!decision.IsAllowed)
        {
            return ProblemResponses.Forbidden(decision.Reason!);
        }

        var partnerCode = Guard.Text(request.Partner, "partner", 32);
        var partner = await accounts.FindAgencyAsync(partnerCode, cancellationToken)
            ?? throw new DomainValidationException("partner", $"no agency {partnerCode} is registered on this node");
        var agreement = SharingAgreement.Propose(
            caller.AgencyId,
            partner.Id,
            [.. (request.ThreatDomains ?? []).Select((d, i) => RecordVocabulary.ThreatDomains.Parse(d, $"threatDomains[{i}]"))],
            Marking.ClassificationNames.Parse(request.HighestClassification, "highestClassification"),
            [.. (request.HandlingCodes ?? []).Select((h, i) => Marking.HandlingNames.Parse(h, $"handlingCodes[{i}]"))],
            request.ValidFrom ?? throw new DomainValidationException("validFrom", "is required (a date such as 2027-01-01)"),
            request.ValidUntil ?? throw new DomainValidationException("validUntil", "is required (a date such as 2028-01-01)"),
            caller.UserId,
            time.GetUtcNow());
        await store.AddAsync(caller, agreement, cancellationToken);
        return Results.Created($"/api/v1/agreements/{agreement.Id}", await ToResponseAsync(agreement, agencies, cancellationToken));
    }

    private static async Task<IResult> ChangeAsync(
        Guid id, Principal caller, AgreementStore store, AgencyDirectory agencies, string action, Action<SharingAgreement> change, CancellationToken cancellationToken)
    {
        var agreement = await store.FindAsync(caller, id, cancellationToken);
        if (agreement is null)
        {
            return ProblemResponses.NotFound($"agreement {id}");
        }

        var decision = AccessPolicy.CanManageAgreements(caller);
        if (!decision.IsAllowed)
        {
            return ProblemResponses.Forbidden(decision.Reason!);
        }

        change(agreement);
        await store.SaveAsync(caller, agreement, action, cancellationToken);
        return Results.Ok(await ToResponseAsync(agreement, agencies, cancellationToken));
    }

    private static async Task<AgreementResponse> ToResponseAsync(SharingAgreement a, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        new(a.Id,
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

public sealed record AgreementRequest(string? Partner, IReadOnlyList<string>? ThreatDomains, string? HighestClassification, IReadOnlyList<string>? HandlingCodes, DateOnly? ValidFrom, DateOnly? ValidUntil);

public sealed record StatusChangeRequest(string? Reason);

public sealed record AgreementResponse(
    Guid Id,
    Contracts.AgencyRef Proposer,
    Contracts.AgencyRef Partner,
    string Status,
    IReadOnlyList<string> ThreatDomains,
    string HighestClassification,
    IReadOnlyList<string> HandlingCodes,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    DateTimeOffset ProposedAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? StatusChangedAt,
    string? StatusReason);
