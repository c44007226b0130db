using Jisr.Server.HitCheck;
using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Hits;

/// <summary>
/// Hit/no-hit: a name or an identifier checked against the filters partners published to the caller's agency, with a
/// declared purpose, through the same <see cref="HitCheckService"/> as the API (the policy decides who may, the check is
/// audited); from a hit, a formal request to that partner through <see cref="HitRequestService.OpenAsync"/>, which checks again.
/// </summary>
public sealed class CheckModel(HitCheckService checks, HitRequestService requests, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    /// <summary>What the query is: <c>name</c> or <c>identifier</c> (<c>KIND:VALUE</c>).</summary>
    [BindProperty]
    public string Kind { get; set; } = "name";

    [BindProperty]
    public string? Value { get; set; }

    [BindProperty]
    public string? Purpose { get; set; }

    /// <summary>The partner to ask after a hit: its agency code and the agreement, as <c>CODE AGREEMENT-ID</c>.</summary>
    [BindProperty]
    public string? Partner { get; set; }

    [BindProperty]
    public string? LegalBasis { get; set; }

    [BindProperty]
    public string Handling { get; set; } = "H0";

    [BindProperty]
    public string Urgency { get; set; } = "routine";

    [TempData]
    public string? Message { get; set; }

    public HitCheckResponse? Result { get; private set; }

    /// <summary>The partners a request may go to (from the hit just shown, or the one a failed request named), as value and label.</summary>
    public IReadOnlyList<(string Value, string Label)> Partners { get; private set; } = [];

    public IActionResult OnGet() =>
        Refusal.Of(AccessPolicy.CanCheckHits(Caller), "hit check") is { } refused ? Refused(refused) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var given = Required(Value, nameof(Value));
        if (DeclaredPurpose(Purpose) is not { } purpose || !given)
        {
            return Page();
        }

        Outcome<HitCheckResponse> outcome;
        try
        {
            outcome = await checks.CheckAsync(Caller, Query(), purpose, cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, FieldOf);
            return Page();
        }

        if (outcome.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Result = outcome.Value!;
        Partners = [.. Result.Hits.Select(h => ($"{h.AgencyCode} {h.AgreementId:D}", $"{h.AgencyCode} · {h.AgencyName}"))];
        Partner = Partners.FirstOrDefault().Value;
        return Page();
    }

    public async Task<IActionResult> OnPostRequestAsync(CancellationToken cancellationToken)
    {
        var parts = (Partner ?? string.Empty).Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Guid? agreement = parts.Length == 2 && Guid.TryParse(parts[1], out var id) ? id : null;
        Partners = parts.Length == 0 ? [] : [(Partner!, parts[0])];
        var given = Required(Value, nameof(Value)) & Required(parts.Length == 0 ? null : parts[0], nameof(Partner)) & Required(LegalBasis, nameof(LegalBasis));
        if (DeclaredPurpose(Purpose) is not { } purpose || !given)
        {
            return Page();
        }

        Outcome<HitRequestResponse> outcome;
        try
        {
            var query = Query();
            outcome = await requests.OpenAsync(Caller, new HitRequestBody(parts[0], agreement, query.Name, query.Identifier, LegalBasis, Handling, Urgency), purpose, cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, FieldOf);
            return Page();
        }

        if (outcome.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Message = T["Hits.RequestOpened"];
        return LocalRedirect("/hits/requests");
    }

    private HitCheckRequest Query() => Kind == "identifier" ? new HitCheckRequest(null, Value) : new HitCheckRequest(Value, null);

    private static string FieldOf(string field) => field switch
    {
        "name" or "identifier" => nameof(Value),
        "purpose" => nameof(Purpose),
        "agency" or "agreement" => nameof(Partner),
        "legalBasis" => nameof(LegalBasis),
        "handling" => nameof(Handling),
        "urgency" => nameof(Urgency),
        _ => string.Empty,
    };
}
