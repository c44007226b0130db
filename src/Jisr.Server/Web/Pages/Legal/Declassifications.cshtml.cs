using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Legal;

/// <summary>
/// Changes that lower a record's marking (or widen its TLP:RED recipients), held for a legal reviewer: each shows the
/// marking now and the one proposed, and is approved (the change is applied) or refused with a reason, through
/// <see cref="DeclassificationService"/>, where the policy decides who may (a legal reviewer who did not ask for it).
/// </summary>
public sealed class DeclassificationsModel(DeclassificationService declassifications, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public IReadOnlyList<Declassification> Pending { get; private set; } = [];

    public IReadOnlyList<Declassification> Decided { get; private set; } = [];

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, approve: true, cancellationToken);

    public Task<IActionResult> OnPostRefuseAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, approve: false, cancellationToken);

    /// <summary>The title the change proposes (the record's own is read on its page, with its own audit entry).</summary>
    public static string ProposedTitle(Declassification declassification) => DeclassificationService.Proposed(declassification).Title ?? string.Empty;

    private Task<IActionResult> DecideAsync(Guid id, bool approve, CancellationToken cancellationToken) =>
        DecideAsync(
            () => declassifications.DecideAsync(Caller, id, approve, ReasonOrNone(Reason), cancellationToken),
            () => LoadAsync(cancellationToken),
            () => Message = approve ? T["Declassifications.Approved"] : T["Declassifications.RefusedDone"],
            "/declassifications");

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var all = await declassifications.ListAsync(Caller, null, null, cancellationToken);
        Pending = [.. all.Where(d => d.Status == DeclassificationStatus.Pending).OrderBy(d => d.RequestedAt)];
        Decided = [.. all.Where(d => d.Status != DeclassificationStatus.Pending).OrderByDescending(d => d.DecidedAt).Take(50)];
    }
}
