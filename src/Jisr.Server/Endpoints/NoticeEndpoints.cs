using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Notices;
using Jisr.Domain.Records;
using Jisr.Policy;
using Jisr.Server.Contracts;
using Jisr.Server.Errors;
using Jisr.Storage.Accounts;
using Jisr.Storage.Notices;
using Jisr.Storage.Records;
using Jisr.Storage.Sharing;

namespace Jisr.Server.Endpoints;

/// <summary>
/// <c>/api/v1/notices</c>: typed alerts about a person or an event, issued to selected partner agencies. Every new or
/// changed notice passes the neutrality screen; a flagged one is held until the issuer's legal reviewer clears or
/// refuses it. Recipients see a notice once issued, and see its cancellation.
/// </summary>
public static class NoticeEndpoints
{
    public static RouteGroupBuilder MapNoticeEndpoints(this RouteGroupBuilder api)
    {
        var notices = api.MapGroup("/notices").WithTags("Notices");
        notices.MapGet("/", ListAsync).WithName("ListNotices").ListsItems<IEnumerable<NoticeResponse>>("List the notices your agency issued or received");
        notices.MapGet("/{id:guid}", GetAsync).WithName("GetNotice").ReadsItem<NoticeResponse>("Read a notice");
        notices.MapPost("/", CreateAsync).WithName("CreateNotice")
            .CreatesItem<NoticeResponse>("Issue a notice", "About a person or an event of your agency, to named partners or all partners whose agreement in force covers its threat domain. A notice the neutrality screen flags is held for your legal reviewer.")
            .Problems(StatusCodes.Status403Forbidden);
        notices.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateNotice")
            .ChangesItem<NoticeResponse>("Change a notice", "It passes the neutrality screen again.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        notices.MapPost("/{id:guid}/cancel", (Guid id, StatusChangeRequest request, Principal caller, NoticeStore store, AgencyDirectory agencies, TimeProvider time, CancellationToken ct) =>
            ChangeAsync(id, caller, store, agencies, "notice.cancel", n => AccessPolicy.CanIssueNotices(caller, n.IssuerAgencyId), n => n.Cancel(request.Reason, time.GetUtcNow()), ct)).WithName("CancelNotice")
            .ChangesItem<NoticeResponse>("Cancel a notice", "The issuer, with a reason; recipients see the cancellation.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        notices.MapPost("/{id:guid}/clear", (Guid id, StatusChangeRequest request, Principal caller, NoticeStore store, AgencyDirectory agencies, TimeProvider time, CancellationToken ct) =>
            ChangeAsync(id, caller, store, agencies, "notice.clear", n => AccessPolicy.CanReviewNotice(caller, n), n => n.Clear(request.Reason, time.GetUtcNow()), ct)).WithName("ClearNotice")
            .ChangesItem<NoticeResponse>("Clear a held notice", "The issuer's legal reviewers, with a reason: the notice is issued.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        notices.MapPost("/{id:guid}/refuse", (Guid id, StatusChangeRequest request, Principal caller, NoticeStore store, AgencyDirectory agencies, TimeProvider time, CancellationToken ct) =>
            ChangeAsync(id, caller, store, agencies, "notice.refuse", n => AccessPolicy.CanReviewNotice(caller, n), n => n.Refuse(request.Reason, time.GetUtcNow()), ct)).WithName("RefuseNotice")
            .ChangesItem<NoticeResponse>("Refuse a held notice", "The issuer's legal reviewers, with a reason: the notice is not issued.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IEnumerable<NoticeResponse>> ListAsync(Principal caller, NoticeStore store, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var responses = new List<NoticeResponse>();
        foreach (var notice in await store.ListAsync(caller, cancellationToken))
        {
            responses.Add(await ToResponseAsync(notice, caller, agencies, cancellationToken));
        }

        return responses;
    }

    private static async Task<IResult> GetAsync(Guid id, Principal caller, NoticeStore store, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var notice = await store.ReadAsync(caller, id, cancellationToken);
        return notice is null ? ProblemResponses.NotFound($"notice {id}") : Results.Ok(await ToResponseAsync(notice, caller, agencies, cancellationToken));
    }

    private static async Task<IResult> CreateAsync(
        NoticeRequest request, Principal caller, NoticeStore store, RecordStore records, AccountService accounts, AgreementStore agreements, AgencyDirectory agencies, TimeProvider time, CancellationToken cancellationToken)
    {
        var decision = AccessPolicy.CanIssueNotices(caller, caller.AgencyId);
        if (!decision.IsAllowed)
        {
            return ProblemResponses.Forbidden(decision.Reason!);
        }

        var color = Notice.Colors.Parse(request.Color, "color");
        var subjectId = request.Subject ?? throw new DomainValidationException("subject", "a notice needs a subject: the id of a person or an event of your agency");
        var subjects = await records.ReadableEntitiesByIdAsync(caller, [subjectId], cancellationToken);
        if (!subjects.TryGetValue(subjectId, out var subject) || subject.Type is not (EntityType.Person or EntityType.Event))
        {
            throw new DomainValidationException("subject", "must be the id of a person or an event of your agency");
        }

        var domain = RecordVocabulary.ThreatDomains.Parse(request.ThreatDomain, "threatDomain");
        var now = time.GetUtcNow();
        var inForce = await agreements.InForceAsync(caller, AccessPolicy.Today(now), cancellationToken);
        var recipientIds = new List<Guid>();
        if (request.AllPartners == true)
        {
            // "All partners" is resolved now: the agencies whose agreement in force with the issuer covers the threat domain.
            recipientIds.AddRange(inForce.Select(a => a.Counterpart(caller.AgencyId)).Distinct()
                .Where(partner => AccessPolicy.CanSendNotice(caller.AgencyId, partner, domain, inForce, now).IsAllowed));
            Guard.That(recipientIds.Count > 0, "allPartners", $"no partner agency has an agreement in force with yours that covers {RecordVocabulary.ThreatDomains[domain]}");
        }

        var codes = request.Recipients ?? [];
        for (var i = 0; i < codes.Count; i++)
        {
            var agency = await accounts.FindAgencyAsync(codes[i] ?? string.Empty, cancellationToken)
                ?? throw new DomainValidationException($"recipients[{i}]", $"no agency '{codes[i]}' is registered on this node");
            var sendable = AccessPolicy.CanSendNotice(caller.AgencyId, agency.Id, domain, inForce, now);
            Guard.That(sendable.IsAllowed, $"recipients[{i}]", $"{agency.Code} {sendable.Reason}");
            recipientIds.Add(agency.Id);
        }

        var notice = Notice.Create(
            caller.AgencyId, caller.UserId, color, subjectId, request.Title, request.Summary, request.Offence, domain, recipientIds,
            NeutralityScreen.Screen(domain, request.Offence, request.Title, request.Summary), now);
        await store.AddAsync(caller, notice, cancellationToken);
        return Results.Created($"/api/v1/notices/{notice.Id}", await ToResponseAsync(notice, caller, agencies, cancellationToken));
    }

    /// <summary>An update reaches the notice's recipients again: each must still be a partner whose agreement covers the threat domain.</summary>
    private static async Task<IResult> UpdateAsync(
        Guid id, NoticeRequest request, Principal caller, NoticeStore store, AgreementStore agreements, AgencyDirectory agencies, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var inForce = await agreements.InForceAsync(caller, AccessPolicy.Today(now), cancellationToken);
        return await ChangeAsync(id, caller, store, agencies, "notice.update", n => AccessPolicy.CanIssueNotices(caller, n.IssuerAgencyId), n =>
        {
            var domain = RecordVocabulary.ThreatDomains.Parse(request.ThreatDomain, "threatDomain");
            foreach (var recipient in n.Recipients)
            {
                var sendable = AccessPolicy.CanSendNotice(caller.AgencyId, recipient.AgencyId, domain, inForce, now);
                Guard.That(sendable.IsAllowed, "threatDomain", $"a recipient of this notice {sendable.Reason}; cancel it and issue a new one to the partners that may receive it");
            }

            n.Update(request.Title, request.Summary, request.Offence, domain, NeutralityScreen.Screen(domain, request.Offence, request.Title, request.Summary), now);
        }, cancellationToken);
    }

    private static async Task<IResult> ChangeAsync(
        Guid id, Principal caller, NoticeStore store, AgencyDirectory agencies, string action, Func<Notice, PolicyDecision> allowed, Action<Notice> change, CancellationToken cancellationToken)
    {
        var notice = await store.FindAsync(caller, id, cancellationToken);
        if (notice is null)
        {
            return ProblemResponses.NotFound($"notice {id}");
        }

        var decision = allowed(notice);
        if (!decision.IsAllowed)
        {
            return ProblemResponses.Forbidden(decision.Reason!);
        }

        change(notice);
        await store.SaveAsync(caller, notice, action, cancellationToken);
        return Results.Ok(await ToResponseAsync(notice, caller, agencies, cancellationToken));
    }

    /// <summary>Recipients see the notice; the screening flags, the reviewer's reason and the recipient list are the issuer's own.</summary>
    private static async Task<NoticeResponse> ToResponseAsync(Notice n, Principal caller, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var issuer = n.IssuerAgencyId == caller.AgencyId;
        var recipients = new List<string>();
        if (issuer)
        {
            foreach (var r in n.Recipients)
            {
                recipients.Add((await agencies.GetAsync(r.AgencyId, cancellationToken)).Code);
            }
        }

        return new NoticeResponse(
            n.Id, await agencies.GetAsync(n.IssuerAgencyId, cancellationToken), Notice.Colors[n.Color], n.SubjectEntityId, n.Title, n.Summary, n.Offence,
            RecordVocabulary.ThreatDomains[n.ThreatDomain], Notice.Statuses[n.Status],
            issuer ? n.ScreeningFlags : null, issuer ? recipients : null, issuer || n.Status == NoticeStatus.Cancelled ? n.DecisionReason : null,
            n.CreatedAt, n.UpdatedAt);
    }
}

/// <summary>A notice: <c>recipients</c> lists agency codes, and/or <c>allPartners</c> sends it to every agency with an agreement in force.</summary>
public sealed record NoticeRequest(string? Color, Guid? Subject, string? Title, string? Summary, string? Offence, string? ThreatDomain, IReadOnlyList<string?>? Recipients, bool? AllPartners = null);

public sealed record NoticeResponse(
    Guid Id,
    AgencyRef Issuer,
    string Color,
    Guid Subject,
    string Title,
    string Summary,
    string Offence,
    string ThreatDomain,
    string Status,
    IReadOnlyList<string>? ScreeningFlags,
    IReadOnlyList<string>? Recipients,
    string? DecisionReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
