using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Records;

/// <summary>The records the caller may read, newest first, a page at a time (the API's list and its cursor).</summary>
public sealed class IndexModel(RecordService records, AgencyDirectory agencies, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public IReadOnlyList<RecordRow> Rows { get; private set; } = [];

    public string? Next { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var page = await records.ListAsync(Caller, Cursor, PageSize, cancellationToken);
        Rows = await RecordRow.ForAsync(page.Items, agencies, cancellationToken);
        Next = page.Next;
    }
}
