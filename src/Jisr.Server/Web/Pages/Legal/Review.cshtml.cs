using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Legal;

/// <summary>The legal reviewer's queue: records due for review, each extended (with the next date) or deleted, always with a reason (<see cref="ReviewService"/>).</summary>
public sealed class ReviewModel(ReviewService reviews, AgencyDirectory agencies, TimeProvider time, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public IReadOnlyList<RecordRow> Due { get; private set; } = [];

    public DateOnly NextReview { get; private set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public DateOnly? ReviewDate { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is { } refused ? Refused(refused) : Page();

    public Task<IActionResult> OnPostExtendAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, "extend", cancellationToken);

    public Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, "delete", cancellationToken);

    private async Task<IActionResult> DecideAsync(Guid id, string decision, CancellationToken cancellationToken)
    {
        Outcome<RecordReview> outcome;
        try
        {
            outcome = await reviews.ReviewAsync(Caller, id, new ReviewRequest(decision, Reason, decision == "extend" ? ReviewDate : null, null), cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error);
            return await LoadAsync(cancellationToken) is { } refused ? Refused(refused) : Page();
        }

        if (outcome.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Message = outcome.Value!.Decision == ReviewDecision.Delete ? T["Review.Deleted"] : T["Review.Extended"];
        return LocalRedirect("/review");
    }

    private async Task<Refusal?> LoadAsync(CancellationToken cancellationToken)
    {
        NextReview = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddYears(1);
        var queue = await reviews.QueueAsync(Caller, null, 100, cancellationToken);
        if (queue.Refusal is { } refusal)
        {
            return refusal;
        }

        Due = await RecordRow.ForAsync(queue.Value!.Items, agencies, cancellationToken);
        return null;
    }
}
