using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Releases;

/// <summary>
/// The agency's releases, those awaiting a second person's approval first, with approve and refuse: the four-eyes
/// rule itself (not the author, a legal reviewer cleared for the record) is <c>AccessPolicy.CanDecideRelease</c>'s.
/// </summary>
public sealed class IndexModel(ReleaseService releases, RecordService records, AgencyDirectory agencies, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public IReadOnlyList<ReleaseRow> Rows { get; private set; } = [];

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, approve: true, cancellationToken);

    public Task<IActionResult> OnPostRefuseAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, approve: false, cancellationToken);

    private Task<IActionResult> DecideAsync(Guid id, bool approve, CancellationToken cancellationToken) =>
        DecideAsync(
            () => releases.DecideAsync(Caller, id, approve, ReasonOrNone(Reason), cancellationToken),
            () => LoadAsync(cancellationToken),
            () => Message = approve ? T["Release.Approved"] : T["Release.Refused"],
            "/releases");

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var caller = Caller;
        var all = await releases.ListAsync(caller, null, null, cancellationToken);
        var rows = new List<ReleaseRow>();
        foreach (var release in all.OrderBy(r => r.Status == ReleaseStatus.AwaitingApproval ? 0 : 1).ThenByDescending(r => r.RequestedAt))
        {
            // The store shows releases of records the caller may read; the title comes from the same audited read as the record page.
            var record = (await records.ReadAsync(caller, release.RecordId.Value, cancellationToken)).Value?.Record;
            rows.Add(new ReleaseRow(release, record, (await agencies.GetAsync(release.RecipientAgencyId, cancellationToken)).Code));
        }

        Rows = rows;
    }
}

public sealed record ReleaseRow(Release Release, Record? Record, string Recipient);
