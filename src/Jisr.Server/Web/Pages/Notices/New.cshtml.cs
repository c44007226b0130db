using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Notices;

/// <summary>A notice about a person, screened for political, military, religious or racial character by the same <see cref="NoticeService.IssueAsync"/> as the API.</summary>
public sealed class NewModel(NoticeService notices, EntityService entities, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    [BindProperty(SupportsGet = true)]
    public Guid Subject { get; set; }

    public string SubjectLabel { get; private set; } = string.Empty;

    [BindProperty]
    public string Color { get; set; } = "blue";

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Summary { get; set; }

    [BindProperty]
    public string? Offence { get; set; }

    [BindProperty]
    public string ThreatDomain { get; set; } = "terrorism";

    [BindProperty]
    public string? Recipients { get; set; }

    [BindProperty]
    public bool AllPartners { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadSubjectAsync(cancellationToken) is { } refused ? Refused(refused) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await LoadSubjectAsync(cancellationToken) is { } refused)
        {
            return Refused(refused);
        }

        var codes = (Recipients ?? string.Empty).Split([',', ' ', '،'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Outcome<Notice> outcome;
        try
        {
            outcome = await notices.IssueAsync(Caller, new NoticeRequest(Color, Subject, Title, Summary?.ReplaceLineEndings("\n"), Offence, ThreatDomain, codes, AllPartners), cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, field => field switch
            {
                "title" => nameof(Title),
                "summary" => nameof(Summary),
                "offence" => nameof(Offence),
                "allPartners" => nameof(Recipients),
                _ when field.StartsWith("recipients", StringComparison.Ordinal) => nameof(Recipients),
                _ => string.Empty,
            });
            return Page();
        }

        if (outcome.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Message = outcome.Value!.Status == NoticeStatus.HeldForReview ? T["Notices.Held"] : T["Notices.Issued"];
        return LocalRedirect("/notices");
    }

    private async Task<Refusal?> LoadSubjectAsync(CancellationToken cancellationToken)
    {
        var subject = await entities.ReadAsync(Caller, Subject, cancellationToken);
        if (subject.Refusal is { } refusal)
        {
            return refusal;
        }

        SubjectLabel = subject.Value!.Label;
        return null;
    }
}
