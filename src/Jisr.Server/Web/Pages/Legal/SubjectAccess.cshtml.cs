using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Legal;

/// <summary>
/// A data-subject access report a person can read: everything the agency holds about one person (from
/// <see cref="SubjectAccessService"/>, which the policy limits to legal reviewers and audits with its purpose),
/// grouped by record, links named by their entities, in the reviewer's language, printable from the browser.
/// </summary>
public sealed class SubjectAccessModel(SubjectAccessService subjectAccess, RecordService records, AgencyDirectory agencies, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    [BindProperty(SupportsGet = true)]
    public string? Purpose { get; set; }

    public SubjectAccess? Report { get; private set; }

    /// <summary>Each record about the person, with its links spelled out by the names of the entities they join.</summary>
    public IReadOnlyList<ReportRecord> Records { get; private set; } = [];

    public IReadOnlyDictionary<AgencyId, string> AgencyCodes { get; private set; } = new Dictionary<AgencyId, string>();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Purpose is null)
        {
            return Page();
        }

        if (DeclaredPurpose(Purpose) is not { } purpose)
        {
            return Page();
        }

        var caller = Caller;
        var export = await subjectAccess.ExportAsync(caller, id, purpose, cancellationToken);
        if (export.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Report = export.Value!;
        var grouped = new List<ReportRecord>();
        foreach (var record in Report.Records)
        {
            var details = (await records.ReadAsync(caller, record.Id.Value, cancellationToken)).Value;
            var names = details?.Entities.ToDictionary(e => e.Id, e => e.Label) ?? [];
            string Name(EntityId entity) => names.GetValueOrDefault(entity) ?? (entity == Report.Person.Id ? Report.Person.Label : entity.Value.ToString());
            var links = Report.Links.Where(l => l.RecordId == record.Id).DistinctBy(l => (l.FromEntityId, l.ToEntityId, l.Type))
                .Select(l => new ReportLink(Name(l.FromEntityId), Jisr.Domain.Entities.EntityVocabulary.LinkTypes[l.Type], Name(l.ToEntityId), l.ValidFrom?.ToString(), l.ValidTo?.ToString()))
                .ToList();
            grouped.Add(new ReportRecord(record, links));
        }

        Records = grouped;
        var codes = new Dictionary<AgencyId, string>();
        foreach (var agency in Report.Records.Select(r => r.OriginatorAgencyId).Concat(Report.Releases.Select(r => r.RecipientAgencyId)).Distinct())
        {
            codes[agency] = (await agencies.GetAsync(agency, cancellationToken)).Code;
        }

        AgencyCodes = codes;
        return Page();
    }
}

public sealed record ReportRecord(Record Record, IReadOnlyList<ReportLink> Links);

public sealed record ReportLink(string From, string Type, string To, string? ValidFrom, string? ValidTo);
