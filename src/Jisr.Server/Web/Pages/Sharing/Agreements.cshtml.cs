using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Sharing;

/// <summary>Sharing agreements: proposed to a partner, accepted by it, suspended, resumed or ended with a reason (<see cref="AgreementService"/>; administrators decide).</summary>
public sealed class AgreementsModel(AgreementService agreements, AgencyDirectory agencies, TimeProvider time, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public IReadOnlyList<SharingAgreement> Agreements { get; private set; } = [];

    public IReadOnlyDictionary<AgencyId, string> Codes { get; private set; } = new Dictionary<AgencyId, string>();

    [BindProperty]
    public string? Partner { get; set; }

    [BindProperty]
    public List<string> ThreatDomains { get; set; } = [];

    [BindProperty]
    public string HighestClassification { get; set; } = "RESTRICTED";

    [BindProperty]
    public List<string> HandlingCodes { get; set; } = ["H0"];

    [BindProperty]
    public DateOnly? ValidFrom { get; set; }

    [BindProperty]
    public DateOnly? ValidUntil { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        ValidFrom = today;
        ValidUntil = today.AddYears(1);
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostProposeAsync(CancellationToken cancellationToken)
    {
        Outcome<SharingAgreement> outcome;
        try
        {
            outcome = await agreements.ProposeAsync(Caller, new AgreementRequest(Partner?.Trim(), ThreatDomains, HighestClassification, HandlingCodes, ValidFrom, ValidUntil), cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, field => field switch
            {
                "partner" => nameof(Partner),
                "validFrom" => nameof(ValidFrom),
                "validUntil" => nameof(ValidUntil),
                _ when field.StartsWith("threatDomains", StringComparison.Ordinal) => nameof(ThreatDomains),
                _ when field.StartsWith("handlingCodes", StringComparison.Ordinal) => nameof(HandlingCodes),
                _ => string.Empty,
            });
            await LoadAsync(cancellationToken);
            return Page();
        }

        if (outcome.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Message = T["Agreements.Proposed"];
        return LocalRedirect("/agreements");
    }

    public async Task<IActionResult> OnPostChangeAsync(Guid id, string? action, CancellationToken cancellationToken)
    {
        if (!SharingAgreement.ActionNames.TryParse(action, out var change))
        {
            return BadRequest();
        }

        return await DecideAsync(
            () => agreements.ChangeAsync(Caller, id, change, ReasonOrNone(Reason), cancellationToken),
            () => LoadAsync(cancellationToken),
            () => Message = T["Agreements.Changed"],
            "/agreements");
    }

    /// <summary>The actions the agreement's state allows (the policy then decides who may take them).</summary>
    public static IEnumerable<AgreementAction> ActionsFor(SharingAgreement agreement) =>
        Enum.GetValues<AgreementAction>().Where(a => SharingAgreement.Transitions.Allows(agreement.Status, a));

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Agreements = [.. (await agreements.ListAsync(Caller, cancellationToken)).OrderByDescending(a => a.ProposedAt)];
        var codes = new Dictionary<AgencyId, string>();
        foreach (var agency in Agreements.SelectMany(a => new[] { a.ProposerAgencyId, a.PartnerAgencyId }).Distinct())
        {
            codes[agency] = (await agencies.GetAsync(agency, cancellationToken)).Code;
        }

        Codes = codes;
    }
}
