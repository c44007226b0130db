using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Sharing;

/// <summary>Consent requests under the third-party rule: asked by a holder of a copy, granted or refused by the originator (<see cref="ConsentService"/>).</summary>
public sealed class ConsentsModel(ConsentService consents, AgencyDirectory agencies, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public IReadOnlyList<ConsentRequest> Consents { get; private set; } = [];

    public IReadOnlyDictionary<AgencyId, string> Codes { get; private set; } = new Dictionary<AgencyId, string>();

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostGrantAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, grant: true, cancellationToken);

    public Task<IActionResult> OnPostRefuseAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, grant: false, cancellationToken);

    private Task<IActionResult> DecideAsync(Guid id, bool grant, CancellationToken cancellationToken) =>
        DecideAsync(
            () => consents.DecideAsync(Caller, id, grant, ReasonOrNone(Reason), cancellationToken),
            () => LoadAsync(cancellationToken),
            () => Message = grant ? T["Consents.Granted"] : T["Consents.RefusedDone"],
            "/consents");

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Consents = [.. (await consents.ListAsync(Caller, cancellationToken)).OrderBy(c => c.Status == ConsentStatus.Pending ? 0 : 1).ThenByDescending(c => c.RequestedAt)];
        var codes = new Dictionary<AgencyId, string>();
        foreach (var agency in Consents.SelectMany(c => new[] { c.OriginatorAgencyId, c.RequesterAgencyId, c.TargetAgencyId }).Distinct())
        {
            codes[agency] = (await agencies.GetAsync(agency, cancellationToken)).Code;
        }

        Codes = codes;
    }
}
