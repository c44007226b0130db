namespace Jisr.Server.Endpoints;

/// <summary><c>/api/v1/notices</c>: typed alerts about a person or an event, issued to selected partner agencies (see <see cref="NoticeService"/>).</summary>
public static class NoticeEndpoints
{
    public static RouteGroupBuilder MapNoticeEndpoints(this RouteGroupBuilder api)
    {
        var notices = api.MapGroup("/notices").WithTags("Notices");
        notices.MapGet("/", ListAsync).WithName("ListNotices").ListsItems<IEnumerable<NoticeResponse>>("List the notices your agency issued or received");
        notices.MapGet("/{id:guid}", (Guid id, Principal caller, NoticeService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.ReadAsync(caller, id, ct).OkAsync(n => ToResponseAsync(n, caller, agencies, ct))).WithName("GetNotice").ReadsItem<NoticeResponse>("Read a notice");
        notices.MapPost("/", (NoticeRequest request, Principal caller, NoticeService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.IssueAsync(caller, request, ct).CreatedAsync(n => $"/api/v1/notices/{n.Id}", n => ToResponseAsync(n, caller, agencies, ct))).WithName("CreateNotice")
            .CreatesItem<NoticeResponse>("Issue a notice", "About a person or an event of your agency, to named partners or all partners whose agreement in force covers its threat domain. A notice the neutrality screen flags is held for your legal reviewer.")
            .Problems(StatusCodes.Status403Forbidden);
        notices.MapPut("/{id:guid}", (Guid id, NoticeRequest request, Principal caller, NoticeService service, AgencyDirectory agencies, CancellationToken ct) =>
            service.UpdateAsync(caller, id, request, ct).OkAsync(n => ToResponseAsync(n, caller, agencies, ct))).WithName("UpdateNotice")
            .ChangesItem<NoticeResponse>("Change a notice", "It passes the neutrality screen again.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        foreach (var (path, change, summary, description) in StatusChanges)
        {
            notices.MapPost($"/{{id:guid}}/{path}", (Guid id, StatusChangeRequest request, Principal caller, NoticeService service, AgencyDirectory agencies, CancellationToken ct) =>
                service.ChangeStatusAsync(caller, id, change, request.Reason, ct).OkAsync(n => ToResponseAsync(n, caller, agencies, ct))).WithName($"{change}Notice")
                .ChangesItem<NoticeResponse>(summary, description)
                .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        }

        return api;
    }

    /// <summary>The status changes a notice has, each its own operation: path, change, summary, description.</summary>
    private static readonly (string Path, NoticeChange Change, string Summary, string Description)[] StatusChanges =
    [
        ("cancel", NoticeChange.Cancel, "Cancel a notice", "The issuer, with a reason; recipients see the cancellation."),
        ("clear", NoticeChange.Clear, "Clear a held notice", "The issuer's legal reviewers, with a reason: the notice is issued."),
        ("refuse", NoticeChange.Refuse, "Refuse a held notice", "The issuer's legal reviewers, with a reason: the notice is not issued."),
    ];

    private static Task<IEnumerable<NoticeResponse>> ListAsync(Principal caller, NoticeService service, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        service.ListAsync(caller, cancellationToken).EachAsync(notice => ToResponseAsync(notice, caller, agencies, cancellationToken));

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
            n.Id.Value, await agencies.GetAsync(n.IssuerAgencyId, cancellationToken), Notice.Colors[n.Color], n.SubjectEntityId.Value, n.Title, n.Summary, n.Offence,
            RecordVocabulary.ThreatDomains[n.ThreatDomain], Notice.Statuses[n.Status],
            issuer ? n.ScreeningFlags : null, issuer ? recipients : null, issuer || n.Status == NoticeStatus.Cancelled ? n.DecisionReason : null,
            n.CreatedAt, n.UpdatedAt);
    }
}
