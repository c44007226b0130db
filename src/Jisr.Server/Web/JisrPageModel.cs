using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Jisr.Server.Web;

/// <summary>
/// What every page of the interface shares: the signed-in caller as the policy sees them, the interface's texts,
/// and one way to show a service's refusal (the same 404/403/409 as the API, as a page a person can read).
/// </summary>
public abstract class JisrPageModel(IStringLocalizer<SharedResource> texts) : PageModel
{
    protected IStringLocalizer<SharedResource> T { get; } = texts;

    protected Principal Caller => ClaimsMapping.FromClaims(User);

    /// <summary>The refusal as a page with its status: not found (also for what the caller may not see), denied (a translated explanation, the policy's English reason beneath), or not in a state that allows it.</summary>
    protected IActionResult Refused(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var (status, title, explanation) = refusal.Kind switch
        {
            RefusalKind.NotFound => (StatusCodes.Status404NotFound, T["Refused.NotFound"].Value, T["Refused.NotFoundWhy"].Value),
            RefusalKind.Forbidden => (StatusCodes.Status403Forbidden, T["Refused.Forbidden"].Value, T["Refused.ForbiddenWhy"].Value),
            RefusalKind.Conflict => (StatusCodes.Status409Conflict, T["Refused.Conflict"].Value, T["Refused.ConflictWhy"].Value),
        };

        // The policy's reason is English free text: the page leads with a message in the user's language and keeps
        // the reason below it, marked as English, for whoever must explain or contest the refusal.
        var view = new ViewDataDictionary<RefusalView>(MetadataProvider, ModelState) { Model = new RefusalView(title, explanation, refusal.Kind == RefusalKind.NotFound ? null : refusal.Detail) };
        view["Title"] = title;
        return new ViewResult { ViewName = "Refused", ViewData = view, StatusCode = status };
    }

    /// <summary>
    /// A decision on an item of a list page (approve, refuse, clear, suspend...) taken by a service: a validation error
    /// shows the list again with the message, a refusal its page, and success runs <paramref name="done"/> (which sets
    /// the page's message) and goes back to the list <paramref name="list"/>.
    /// </summary>
    protected async Task<IActionResult> DecideAsync<TItem>(Func<Task<Outcome<TItem>>> decide, Func<Task> reload, Action done, string list)
    {
        ArgumentNullException.ThrowIfNull(decide);
        ArgumentNullException.ThrowIfNull(reload);
        ArgumentNullException.ThrowIfNull(done);
        Outcome<TItem> outcome;
        try
        {
            outcome = await decide();
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error);
            await reload();
            return Page();
        }

        if (outcome.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        done();
        return LocalRedirect(list);
    }

    /// <summary>
    /// The declared purpose trimmed, as the API takes it from X-Jisr-Purpose; null, with the message beside the form's
    /// Purpose field, when it is blank or not acceptable (the same check as the API's).
    /// </summary>
    protected string? DeclaredPurpose(string? purpose)
    {
        var trimmed = purpose?.Trim() ?? string.Empty;
        if (Endpoints.Purpose.WhyNotValid(trimmed) is null)
        {
            return trimmed;
        }

        ModelState.AddModelError("Purpose", T["Search.PurposeRequired"]);
        return null;
    }

    /// <summary>A search form's required text: false, with the message beside <paramref name="field"/>, when it is blank.</summary>
    protected bool Required(string? value, string field)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        ModelState.AddModelError(field, T["Validation.Required"]);
        return false;
    }

    /// <summary>A free-text reason as the services take it: blank means none.</summary>
    protected static string? ReasonOrNone(string? reason) => string.IsNullOrWhiteSpace(reason) ? null : reason;

    /// <summary>A domain validation failure shown beside its field (<paramref name="fieldOf"/> maps the service's field name to the form's).</summary>
    protected void AddValidationError(DomainValidationException error, Func<string, string>? fieldOf = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var field = fieldOf?.Invoke(error.Field) ?? string.Empty;
        ModelState.AddModelError(field, $"{T["Validation.Invalid"]} ({error.Field}: {ValidationReasons.Of(T, error)})");
    }
}

/// <summary>A refusal as a page: its title and explanation in the user's language, and the service's reason in English (none for "not found").</summary>
public sealed record RefusalView(string Title, string Explanation, string? Detail);
