using Jisr.Server.Endpoints;
using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Records;

/// <summary>Full-text search: as in the API, no search without a declared purpose, which the audit log keeps with it.</summary>
public sealed class SearchModel(RecordService records, AgencyDirectory agencies, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Purpose { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public IReadOnlyList<RecordRow>? Rows { get; private set; }

    public string? Next { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Q is null && Purpose is null)
        {
            return;
        }

        var named = Required(Q, nameof(Q));
        if (DeclaredPurpose(Purpose) is not { } purpose || !named)
        {
            return;
        }

        try
        {
            var page = await records.SearchAsync(Caller, Q, purpose, Cursor, IndexModel.PageSize, cancellationToken);
            Rows = await RecordRow.ForAsync(page.Items, agencies, cancellationToken);
            Next = page.Next;
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, field => field == "q" ? nameof(Q) : field == "purpose" ? nameof(Purpose) : string.Empty);
        }
    }
}
