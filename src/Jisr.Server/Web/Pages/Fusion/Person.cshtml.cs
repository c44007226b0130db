using Jisr.Server.Application.Fusion;
using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Fusion;

/// <summary>A person as one: every person entity their agency confirmed to be them that the caller may read, with the records behind each.</summary>
public sealed class PersonModel(FusionService fusion, AgencyDirectory agencies, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public ResolvedPerson Person { get; private set; } = null!;

    public IReadOnlyList<(ResolvedPart Part, List<RecordRow> Records)> Parts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await fusion.PersonAsync(Caller, id, cancellationToken);
        if (found.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Person = found.Value!;
        var parts = new List<(ResolvedPart, List<RecordRow>)>();
        foreach (var part in Person.Parts)
        {
            parts.Add((part, await RecordRow.ForAsync(part.Records, agencies, cancellationToken)));
        }

        Parts = parts;
        return Page();
    }
}
