using Jisr.Server.Application.Fusion;
using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Fusion;

/// <summary>
/// Proposed matches between persons the caller may read (the API's <see cref="FusionService"/>, with a declared
/// purpose that is audited), each with its score and evidence, and the analyst's confirm or reject, which later
/// proposals respect. <c>?person=ID</c> keeps the proposals about one person.
/// </summary>
public sealed class IndexModel(FusionService fusion, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    [BindProperty(SupportsGet = true)]
    public string? Purpose { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? Person { get; set; }

    [TempData]
    public string? Message { get; set; }

    public IReadOnlyList<FusionProposal>? Proposals { get; private set; }

    public int Total { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Purpose is null)
        {
            return Page();
        }

        return DeclaredPurpose(Purpose) is { } purpose ? await LoadAsync(purpose, cancellationToken) ?? Page() : Page();
    }

    public async Task<IActionResult> OnPostJudgeAsync(Guid a, Guid b, string? decision, int version, CancellationToken cancellationToken)
    {
        if (DeclaredPurpose(Purpose) is not { } purpose)
        {
            return Page();
        }

        return await DecideAsync(
            () => fusion.JudgeAsync(Caller, a, b, decision, null, version, cancellationToken),
            async () => await LoadAsync(purpose, cancellationToken),
            () => Message = decision == "confirmed" ? T["Fusion.ConfirmedMessage"] : T["Fusion.RejectedMessage"],
            $"/fusion?purpose={Uri.EscapeDataString(purpose)}{(Person is { } one ? $"&person={one}" : "")}");
    }

    /// <summary>The proposals, or the refusal's page (a field officer may not resolve entities).</summary>
    private async Task<IActionResult?> LoadAsync(string purpose, CancellationToken cancellationToken)
    {
        var found = await fusion.ProposalsAsync(Caller, null, Person is null ? 100 : FusionService.MaxLimit, purpose, cancellationToken);
        if (found.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        var items = found.Value!.Items;
        Proposals = Person is { } id ? [.. items.Where(p => p.A.Id.Value == id || p.B.Id.Value == id)] : items;
        Total = Person is null ? found.Value.Total : Proposals.Count;
        return null;
    }
}
