using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Records;

/// <summary>
/// The records the caller may read, newest first, a page at a time (the store's list and its cursor), narrowed by
/// threat domain, classification, originator and creation date. The filter is applied by the store after the read
/// rule and named in the list's audit entry; the next page's link carries it along.
/// </summary>
public sealed class IndexModel(RecordService records, AgencyDirectory agencies, AccountService accounts, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Domain { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Classification { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Originator { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    public IReadOnlyList<RecordRow> Rows { get; private set; } = [];

    public IReadOnlyList<string> AgencyCodes { get; private set; } = [];

    public string? Next { get; private set; }

    public bool Filtered { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var known = await accounts.ListAgenciesAsync(cancellationToken);
        AgencyCodes = [.. known.Select(a => a.Code).Order(StringComparer.Ordinal)];
        var filter = new RecordFilter();
        if (!string.IsNullOrEmpty(Domain))
        {
            filter = RecordVocabulary.ThreatDomains.TryParse(Domain, out var domain) ? filter with { ThreatDomain = domain } : Invalid(filter, nameof(Domain));
        }

        if (!string.IsNullOrEmpty(Classification))
        {
            filter = Marking.ClassificationNames.TryParse(Classification, out var classification) ? filter with { Classification = classification } : Invalid(filter, nameof(Classification));
        }

        if (!string.IsNullOrEmpty(Originator))
        {
            filter = known.FirstOrDefault(a => string.Equals(a.Code, Originator, StringComparison.OrdinalIgnoreCase)) is { } agency
                ? filter with { Originator = agency.Id }
                : Invalid(filter, nameof(Originator));
        }

        if (From is { } from && To is { } to && to < from)
        {
            ModelState.AddModelError(nameof(To), T["Records.FilterToBeforeFrom"]);
        }

        filter = filter with { CreatedFrom = From, CreatedTo = To };
        Filtered = !filter.IsEmpty;
        if (!ModelState.IsValid)
        {
            // A filter the person mistyped in the address shows the message, never the whole list in its place.
            return Page();
        }

        Page<RecordHeader> page;
        try
        {
            page = await records.ListAsync(Caller, filter, Cursor, PageSize, cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error);
            return Page();
        }

        Rows = await RecordRow.ForAsync(page.Items, agencies, cancellationToken);
        Next = page.Next;
        return Page();
    }

    /// <summary>The address of another page of the same filtered list (the first when <paramref name="cursor"/> is null).</summary>
    public string PageLink(string? cursor)
    {
        var query = new Dictionary<string, string?>
        {
            ["domain"] = Domain,
            ["classification"] = Classification,
            ["originator"] = Originator,
            ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["cursor"] = cursor,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/records", query.Where(p => !string.IsNullOrEmpty(p.Value)));
    }

    private RecordFilter Invalid(RecordFilter filter, string field)
    {
        ModelState.AddModelError(field, T["Records.FilterUnknown"]);
        return filter;
    }
}
