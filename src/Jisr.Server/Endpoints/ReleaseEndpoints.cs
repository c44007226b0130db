using Jisr.Domain.Common;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Policy;
using Jisr.Server.Contracts;
using Jisr.Server.Errors;
using Jisr.Storage.Accounts;
using Jisr.Storage.Records;
using Jisr.Storage.Sharing;

namespace Jisr.Server.Endpoints;

/// <summary>
/// Releases and the third-party rule. <c>POST /records/{id}/releases</c> releases a record to a partner agency
/// under a sharing agreement in force; sensitive markings wait for a second person (<c>/releases/{id}/approve</c>,
/// <c>/refuse</c>). A received record passes on to a third agency only after its originator grants consent
/// (<c>POST /records/{id}/consents</c>, <c>/consents/{id}/grant</c>, <c>/refuse</c>). Every decision is the policy's.
/// </summary>
public static class ReleaseEndpoints
{
    public static RouteGroupBuilder MapReleaseEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/records/{id:guid}/releases", ReleaseAsync).WithTags("Releases").WithName("ReleaseRecord")
            .CreatesItem<ReleaseResponse>("Release a record to a partner agency", "Under a sharing agreement in force that covers the record. CONFIDENTIAL and SECRET, TLP:AMBER+STRICT and TLP:RED records wait for a legal reviewer's approval; the others go at once.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        var releases = api.MapGroup("/releases").WithTags("Releases");
        releases.MapGet("/", ListAsync).WithName("ListReleases")
            .ListsItems<IEnumerable<ReleaseResponse>>("List your agency's releases")
            .QueryParameter("status", "Only releases in this status, e.g. awaiting-approval.")
            .QueryParameter("record", "Only releases of this record.")
            .Problems(StatusCodes.Status400BadRequest);
        releases.MapGet("/{id:guid}", GetAsync).WithName("GetRelease").ReadsItem<ReleaseResponse>("Read a release");
        releases.MapPost("/{id:guid}/approve", (Guid id, StatusChangeRequest request, Principal caller, ReleaseStore store, RecordStore records, AgencyDirectory agencies, TimeProvider time, CancellationToken ct) =>
            DecideAsync(id, caller, store, records, agencies, time, (r, now) => r.Approve(caller.UserId, request.Reason, now), ct)).WithName("ApproveRelease")
            .ChangesItem<ReleaseResponse>("Approve a release awaiting approval", "A legal reviewer of the releasing agency who is not the requester: the terms are checked again and the copy is sent.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        releases.MapPost("/{id:guid}/refuse", (Guid id, StatusChangeRequest request, Principal caller, ReleaseStore store, RecordStore records, AgencyDirectory agencies, TimeProvider time, CancellationToken ct) =>
            DecideAsync(id, caller, store, records, agencies, time, (r, now) => r.Refuse(caller.UserId, request.Reason, now), ct)).WithName("RefuseRelease")
            .ChangesItem<ReleaseResponse>("Refuse a release awaiting approval", "A legal reviewer of the releasing agency who is not the requester, with a reason.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);

        api.MapPost("/records/{id:guid}/consents", RequestConsentAsync).WithTags("Consents").WithName("RequestConsent")
            .CreatesItem<ConsentResponse>("Ask a received record's originator for consent to pass it on", "Names the third agency the record would be released to.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        var consents = api.MapGroup("/consents").WithTags("Consents");
        consents.MapGet("/", ListConsentsAsync).WithName("ListConsents")
            .ListsItems<IEnumerable<ConsentResponse>>("List consent requests", "Those your agency asked, and those it must decide as originator.");
        consents.MapGet("/{id:guid}", GetConsentAsync).WithName("GetConsent").ReadsItem<ConsentResponse>("Read a consent request");
        consents.MapPost("/{id:guid}/grant", (Guid id, StatusChangeRequest request, Principal caller, ReleaseStore store, AgencyDirectory agencies, TimeProvider time, CancellationToken ct) =>
            DecideConsentAsync(id, caller, store, agencies, "consent.grant", c => c.Grant(caller.UserId, request.Reason, time.GetUtcNow()), ct)).WithName("GrantConsent")
            .ChangesItem<ConsentResponse>("Grant a consent request", "The originator's legal reviewers or liaison officers.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        consents.MapPost("/{id:guid}/refuse", (Guid id, StatusChangeRequest request, Principal caller, ReleaseStore store, AgencyDirectory agencies, TimeProvider time, CancellationToken ct) =>
            DecideConsentAsync(id, caller, store, agencies, "consent.refuse", c => c.Refuse(caller.UserId, request.Reason, time.GetUtcNow()), ct)).WithName("RefuseConsent")
            .ChangesItem<ConsentResponse>("Refuse a consent request", "The originator's legal reviewers or liaison officers, with a reason.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> ReleaseAsync(
        Guid id, ReleaseRequest request, Principal caller, ReleaseStore store, RecordStore records, AgreementStore agreements, AccountService accounts, AgencyDirectory agencies, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = await records.FindForUpdateAsync(caller, id, cancellationToken);
        if (record is null)
        {
            return ProblemResponses.NotFound($"record {id}");
        }

        var recipient = await PartnerAsync(request.Agency, caller, accounts, cancellationToken);
        var inForce = await agreements.InForceWithAsync(caller, recipient, AccessPolicy.Today(now), cancellationToken);
        SharingAgreement? agreement;
        if (request.Agreement is { } agreementId)
        {
            agreement = inForce.FirstOrDefault(a => a.Id == agreementId);
        }
        else
        {
            // No agreement named: the first one in force that covers the record (or any, so the refusal says what is missing).
            agreement = inForce.FirstOrDefault(a => a.WhyNotCovering(record.Marking, [.. record.ThreatDomains]) is null) ?? inForce.FirstOrDefault();
        }

        var consented = record.Provenance is not null && await store.ConsentGrantedAsync(record.Id, recipient, cancellationToken);
        var decision = AccessPolicy.CanRelease(caller, record, recipient, agreement, consented, now);
        if (decision.Outcome == PolicyOutcome.NotVisible)
        {
            return ProblemResponses.NotFound($"record {id}");
        }

        if (!decision.IsAllowed)
        {
            return ProblemResponses.Forbidden(decision.Reason!);
        }

        if (await store.IsReleasedOrPendingAsync(record.Id, recipient, cancellationToken))
        {
            return ProblemResponses.Conflict($"this record is already released (or awaiting approval) to {(await agencies.GetAsync(recipient, cancellationToken)).Code}");
        }

        var recipientUsers = await RecipientUsersAsync(request.Recipients, recipient, accounts);
        var release = Release.Request(record, recipient, agreement!, caller.UserId, recipientUsers, request.Note, now);
        await store.RequestAsync(caller, release, record, agreement!, cancellationToken);
        return Results.Created($"/api/v1/releases/{release.Id}", await ToResponseAsync(release, agencies, cancellationToken));
    }

    private static async Task<IEnumerable<ReleaseResponse>> ListAsync(string? status, Guid? record, Principal caller, ReleaseStore store, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        ReleaseStatus? wanted = string.IsNullOrEmpty(status) ? null : Release.StatusNames.Parse(status, "status");
        var responses = new List<ReleaseResponse>();
        foreach (var release in await store.ListAsync(caller, wanted, record, cancellationToken))
        {
            responses.Add(await ToResponseAsync(release, agencies, cancellationToken));
        }

        return responses;
    }

    private static async Task<IResult> GetAsync(Guid id, Principal caller, ReleaseStore store, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var release = await store.ReadAsync(caller, id, cancellationToken);
        return release is null ? ProblemResponses.NotFound($"release {id}") : Results.Ok(await ToResponseAsync(release, agencies, cancellationToken));
    }

    /// <summary>
    /// Four-eyes decision. Approval checks the release terms again (the agreement may have been suspended, the
    /// consent may be gone since the request) and sends the copy.
    /// </summary>
    private static async Task<IResult> DecideAsync(
        Guid id, Principal caller, ReleaseStore store, RecordStore records, AgencyDirectory agencies, TimeProvider time, Action<Release, DateTimeOffset> decide, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var release = await store.FindAsync(caller, id, cancellationToken);
        if (release is null)
        {
            return ProblemResponses.NotFound($"release {id}");
        }

        var record = await records.FindForUpdateAsync(caller, release.RecordId, cancellationToken);
        var decision = AccessPolicy.CanDecideRelease(caller, release, record, now);
        if (!decision.IsAllowed)
        {
            return decision.Outcome == PolicyOutcome.NotVisible ? ProblemResponses.NotFound($"release {id}") : ProblemResponses.Forbidden(decision.Reason!);
        }

        decide(release, now);
        SharingAgreement? agreement = null;
        if (release.Status == ReleaseStatus.Released)
        {
            agreement = await store.FindAgreementAsync(release.AgreementId, cancellationToken);
            var consented = record!.Provenance is not null && await store.ConsentGrantedAsync(record.Id, release.RecipientAgencyId, cancellationToken);
            var terms = AccessPolicy.ReleaseTerms(record, release.ReleasingAgencyId, release.RecipientAgencyId, agreement, consented, now);
            if (!terms.IsAllowed)
            {
                return ProblemResponses.Forbidden($"the release can no longer be approved: {terms.Reason}");
            }
        }

        await store.DecideAsync(caller, release, record!, agreement, cancellationToken);
        return Results.Ok(await ToResponseAsync(release, agencies, cancellationToken));
    }

    private static async Task<IResult> RequestConsentAsync(
        Guid id, ConsentRequestBody request, Principal caller, ReleaseStore store, RecordStore records, AccountService accounts, AgencyDirectory agencies, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = await records.FindForUpdateAsync(caller, id, cancellationToken);
        var decision = record is null ? PolicyDecision.NotVisible : AccessPolicy.CanRequestConsent(caller, record, now);
        if (!decision.IsAllowed)
        {
            return decision.Outcome == PolicyOutcome.NotVisible ? ProblemResponses.NotFound($"record {id}") : ProblemResponses.Forbidden(decision.Reason!);
        }

        var target = await PartnerAsync(request.Agency, caller, accounts, cancellationToken);
        var consent = ConsentRequest.Request(record!, target, caller.UserId, request.Note, now);
        if (await store.ConsentOpenOrGrantedAsync(record!.Id, target, cancellationToken))
        {
            return ProblemResponses.Conflict("consent to pass this record on to that agency is already requested or granted");
        }

        await store.AddConsentAsync(caller, consent, cancellationToken);
        return Results.Created($"/api/v1/consents/{consent.Id}", await ToResponseAsync(consent, agencies, cancellationToken));
    }

    private static async Task<IEnumerable<ConsentResponse>> ListConsentsAsync(Principal caller, ReleaseStore store, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var responses = new List<ConsentResponse>();
        foreach (var consent in await store.ListConsentsAsync(caller, cancellationToken))
        {
            responses.Add(await ToResponseAsync(consent, agencies, cancellationToken));
        }

        return responses;
    }

    private static async Task<IResult> GetConsentAsync(Guid id, Principal caller, ReleaseStore store, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var consent = await store.ReadConsentAsync(caller, id, cancellationToken);
        return consent is null ? ProblemResponses.NotFound($"consent request {id}") : Results.Ok(await ToResponseAsync(consent, agencies, cancellationToken));
    }

    private static async Task<IResult> DecideConsentAsync(
        Guid id, Principal caller, ReleaseStore store, AgencyDirectory agencies, string action, Action<ConsentRequest> decide, CancellationToken cancellationToken)
    {
        var consent = await store.FindConsentAsync(caller, id, cancellationToken);
        if (consent is null)
        {
            return ProblemResponses.NotFound($"consent request {id}");
        }

        var decision = AccessPolicy.CanDecideConsent(caller, consent);
        if (!decision.IsAllowed)
        {
            return ProblemResponses.Forbidden(decision.Reason!);
        }

        decide(consent);
        await store.SaveConsentAsync(caller, consent, action, cancellationToken);
        return Results.Ok(await ToResponseAsync(consent, agencies, cancellationToken));
    }

    /// <summary>The partner agency named by code: registered on this node and not the caller's own.</summary>
    private static async Task<Guid> PartnerAsync(string? code, Principal caller, AccountService accounts, CancellationToken cancellationToken)
    {
        var agencyCode = Guard.Text(code, "agency", 32);
        var agency = await accounts.FindAgencyAsync(agencyCode, cancellationToken)
            ?? throw new DomainValidationException("agency", $"no agency '{agencyCode}' is registered on this node");
        Guard.That(agency.Id != caller.AgencyId, "agency", "is your own agency: records are released to partner agencies");
        return agency.Id;
    }

    /// <summary>A TLP:RED release names who may see the copy: users of the recipient agency, by user name.</summary>
    private static async Task<List<Guid>> RecipientUsersAsync(IReadOnlyList<string?>? names, Guid recipientAgencyId, AccountService accounts)
    {
        var ids = new List<Guid>();
        var list = names ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var name = Guard.Text(list[i], $"recipients[{i}]", AccountService.MaxUserNameLength);
            var user = await accounts.FindUserAsync(name);
            if (user is null || user.AgencyId != recipientAgencyId)
            {
                throw new DomainValidationException($"recipients[{i}]", $"no user '{name}' in the recipient agency");
            }

            ids.Add(user.Id);
        }

        return ids;
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

/// <summary>
/// A release: <c>agency</c> is the partner's code; <c>agreement</c> is optional (default: an agreement in force that
/// covers the record); <c>recipients</c> (user names of the partner) only and always for TLP:RED records.
/// </summary>
public sealed record ReleaseRequest(string? Agency, Guid? Agreement = null, IReadOnlyList<string?>? Recipients = null, string? Note = null);

public sealed record ReleaseResponse(
    Guid Id,
    Guid Record,
    AgencyRef ReleasingAgency,
    AgencyRef Recipient,
    Guid Agreement,
    string Status,
    bool RequiresApproval,
    Guid RequestedBy,
    DateTimeOffset RequestedAt,
    string? Note,
    Guid? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionReason,
    Guid? Copy,
    IReadOnlyList<Guid> Recipients);

/// <summary>A consent request: <c>agency</c> is the third agency the record would be passed on to.</summary>
public sealed record ConsentRequestBody(string? Agency, string? Note = null);

public sealed record ConsentResponse(
    Guid Id,
    Guid Record,
    Guid OriginalRecord,
    AgencyRef Originator,
    AgencyRef Requester,
    AgencyRef Target,
    string Status,
    Guid RequestedBy,
    DateTimeOffset RequestedAt,
    string? Note,
    Guid? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionReason);
