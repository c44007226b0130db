using Jisr.Server.HitCheck;
using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Hits;

/// <summary>
/// Hit requests the caller's agency sent and received, with their state, deadline and whether they are overdue, through
/// the same <see cref="HitRequestService"/> as the API (the policy decides who sees which). The owner's liaison officer
/// answers a received one here: a release of a record (the release path, four-eyes included) or a refusal with a reason.
/// </summary>
public sealed class RequestsModel(HitRequestService requests, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    /// <summary>Only the requests in this state (<c>open</c>, <c>release-pending</c>, <c>released</c>, <c>refused</c>); all when blank.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    /// <summary>How many of the newest are skipped (the page shown: a multiple of <see cref="PageSize"/>).</summary>
    [BindProperty(SupportsGet = true)]
    public int Offset { get; set; }

    /// <summary>Requests per page.</summary>
    public const int PageSize = 50;

    /// <summary>Whether older requests follow this page.</summary>
    public bool HasMore { get; private set; }

    /// <summary>The answer: <c>release</c> or <c>refuse</c>.</summary>
    [BindProperty]
    public string? Decision { get; set; }

    /// <summary>The id of the record to release (with <c>release</c>).</summary>
    [BindProperty]
    public string? Record { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public IReadOnlyList<HitRequestResponse> Rows { get; private set; } = [];

    /// <summary>The request an answer was just refused for, whose form shows the message beside its fields.</summary>
    public Guid? Answering { get; private set; }

    /// <summary>Whether the caller may answer requests to their agency at all (the service decides each one: <see cref="AccessPolicy.CanAnswerHitRequest"/>).</summary>
    public bool Answers => Caller.Has(Role.LiaisonOfficer);

    public static readonly string[] States = ["open", "release-pending", "released", "refused"];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Refusal.Of(AccessPolicy.CanSeeHitRequests(Caller), "hit requests") is { } refused)
        {
            return Refused(refused);
        }

        if (Offset < 0)
        {
            Offset = 0;
        }

        if (Status is not null && !States.Contains(Status, StringComparer.Ordinal))
        {
            ModelState.AddModelError(string.Empty, T["Validation.Invalid"]);
            Status = null;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostReplyAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal.Of(AccessPolicy.CanSeeHitRequests(Caller), "hit requests") is { } refused)
        {
            return Refused(refused);
        }

        Answering = id;
        Guid? record = null;
        if (Decision == "release")
        {
            if (!Required(Record, nameof(Record)))
            {
                await LoadAsync(cancellationToken);
                return Page();
            }

            if (!TypedId.TryParse<RecordId>(Record!.Trim(), out var parsed))
            {
                ModelState.AddModelError(nameof(Record), T["Hits.RecordInvalid"]);
                await LoadAsync(cancellationToken);
                return Page();
            }

            record = parsed.Value;
        }

        Outcome<HitRequestResponse> outcome;
        try
        {
            outcome = await requests.ReplyAsync(Caller, id, new HitReplyBody(Decision, record, ReasonOrNone(Reason)), cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, field => field switch
            {
                "reason" => nameof(Reason),
                "record" => nameof(Record),
                "decision" => nameof(Decision),
                _ => string.Empty,
            });
            await LoadAsync(cancellationToken);
            return Page();
        }

        if (outcome.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Message = outcome.Value!.Status switch
        {
            "release-pending" => T["Hits.ReleasePending"],
            "released" => T["Hits.Released"],
            _ => T["Hits.Refused"],
        };
        return LocalRedirect("/hits/requests");
    }

    /// <summary>The link to the page <paramref name="offset"/>, keeping the state filter.</summary>
    public string PageLink(int offset) =>
        "/hits/requests?" + string.Join('&', new[] { Status is null ? null : $"Status={Uri.EscapeDataString(Status)}", offset > 0 ? $"Offset={offset}" : null }.OfType<string>());

    /// <summary>One page, and one more row to know whether another page follows.</summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var rows = await requests.ListAsync(Caller, Status, cancellationToken, Offset, PageSize + 1);
        HasMore = rows.Count > PageSize;
        Rows = HasMore ? rows.GetRange(0, PageSize) : rows;
    }
}
