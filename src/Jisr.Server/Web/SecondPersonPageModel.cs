using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web;

/// <summary>
/// A list whose items a second person approves or refuses with a reason (releases, declassifications): the handlers,
/// the reason field and the message after a decision live here; a page supplies the decision (its service, where the
/// policy decides who may), how it loads its list, and its texts.
/// </summary>
/// <typeparam name="TItem">What a decision returns.</typeparam>
public abstract class SecondPersonPageModel<TItem>(IStringLocalizer<SharedResource> texts, string list, string approvedText, string refusedText)
    : JisrPageModel(texts)
{
    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken cancellationToken) => DecideAndShowAsync(id, approve: true, cancellationToken);

    public Task<IActionResult> OnPostRefuseAsync(Guid id, CancellationToken cancellationToken) => DecideAndShowAsync(id, approve: false, cancellationToken);

    /// <summary>The decision through the page's application service.</summary>
    protected abstract Task<Outcome<TItem>> DecideItemAsync(Guid id, bool approve, string? reason, CancellationToken cancellationToken);

    /// <summary>Loads what the page lists.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    private Task<IActionResult> DecideAndShowAsync(Guid id, bool approve, CancellationToken cancellationToken) =>
        DecideAsync(
            () => DecideItemAsync(id, approve, ReasonOrNone(Reason), cancellationToken),
            () => LoadAsync(cancellationToken),
            () => Message = approve ? T[approvedText] : T[refusedText],
            list);
}
