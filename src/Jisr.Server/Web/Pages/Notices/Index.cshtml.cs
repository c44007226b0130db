using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Notices;

/// <summary>
/// The notices the caller's agency issued or received, held ones first with the neutrality screen's findings, and a
/// legal reviewer's clear or refuse (decided by <c>AccessPolicy.CanChangeNotice</c>, audited with the reason).
/// </summary>
public sealed class IndexModel(NoticeService notices, AgencyDirectory agencies, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public IReadOnlyList<Notice> Notices { get; private set; } = [];

    public IReadOnlyDictionary<AgencyId, string> Issuers { get; private set; } = new Dictionary<AgencyId, string>();

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostClearAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, NoticeChange.Clear, cancellationToken);

    public Task<IActionResult> OnPostRefuseAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, NoticeChange.Refuse, cancellationToken);

    private Task<IActionResult> DecideAsync(Guid id, NoticeChange change, CancellationToken cancellationToken) =>
        DecideAsync(
            () => notices.ChangeStatusAsync(Caller, id, change, ReasonOrNone(Reason), cancellationToken),
            () => LoadAsync(cancellationToken),
            () => Message = change == NoticeChange.Clear ? T["Notices.Cleared"] : T["Notices.RefusedDone"],
            "/notices");

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Notices = [.. (await notices.ListAsync(Caller, cancellationToken)).OrderBy(n => n.Status == NoticeStatus.HeldForReview ? 0 : 1).ThenByDescending(n => n.UpdatedAt)];
        var issuers = new Dictionary<AgencyId, string>();
        foreach (var agency in Notices.Select(n => n.IssuerAgencyId).Distinct())
        {
            issuers[agency] = (await agencies.GetAsync(agency, cancellationToken)).Code;
        }

        Issuers = issuers;
    }
}
