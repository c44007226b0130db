using Jisr.Server.HitCheck;
using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Hits;

/// <summary>
/// What partners found on the caller agency's data: per requester agency and agreement, how many of their checks hit
/// its filter and how many requests followed (and in which state), then the hit notices received, newest first, a page
/// at a time. The same <see cref="HitRequestService"/> as <c>GET /api/v1/hits/requests/tally</c> and
/// <c>GET /api/v1/hits/notices</c>, so the same policy decision (<see cref="AccessPolicy.CanSeeHitNotices"/>) and audit.
/// </summary>
public sealed class NoticesModel(HitRequestService requests, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    /// <summary>Notices per page.</summary>
    public const int PageSize = 50;

    /// <summary>How many of the newest notices are skipped (the page shown: a multiple of <see cref="PageSize"/>).</summary>
    [BindProperty(SupportsGet = true)]
    public int Offset { get; set; }

    /// <summary>Whether older notices follow this page.</summary>
    public bool HasMore { get; private set; }

    public IReadOnlyList<HitRequestTallyResponse> Tally { get; private set; } = [];

    public IReadOnlyList<HitNoticeResponse> Notices { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // Decided once up front so the page is refused as a whole, not half shown; each service call decides again.
        if (Refusal.Of(AccessPolicy.CanSeeHitNotices(Caller), "hit notices") is { } refused)
        {
            return Refused(refused);
        }

        Offset = Math.Max(0, Offset);
        var tally = await requests.TallyAsync(Caller, cancellationToken);
        if (tally.Refusal is { } tallyRefused)
        {
            return Refused(tallyRefused);
        }

        // One more row than shown, to know whether another page follows.
        var notices = await requests.NoticesAsync(Caller, cancellationToken, Offset, PageSize + 1);
        if (notices.Refusal is { } noticesRefused)
        {
            return Refused(noticesRefused);
        }

        Tally = tally.Value!;
        var rows = notices.Value!;
        HasMore = rows.Count > PageSize;
        Notices = HasMore ? rows.GetRange(0, PageSize) : rows;
        return Page();
    }

    /// <summary>The link to the page of notices starting at <paramref name="offset"/>.</summary>
    public static string PageLink(int offset) => offset > 0 ? $"/hits/notices?Offset={offset}" : "/hits/notices";
}
