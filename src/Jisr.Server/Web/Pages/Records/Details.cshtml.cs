using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Records;

/// <summary>
/// One record as the caller may read it (the read is audited by the store, found or not): marking, grading, text,
/// entities and links, where a received copy came from, and its release history; and the form to release it.
/// </summary>
public sealed class DetailsModel(RecordService records, ReleaseService releases, ConsentService consents, AgencyDirectory agencies, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public Record Record { get; private set; } = null!;

    public RecordOrigin Origin { get; private set; } = null!;

    public IReadOnlyList<EntityResponse> Entities { get; private set; } = [];

    public IReadOnlyList<Release> Releases { get; private set; } = [];

    public IReadOnlyDictionary<AgencyId, string> AgencyCodes { get; private set; } = new Dictionary<AgencyId, string>();

    [BindProperty]
    public string? ReleaseAgency { get; set; }

    [BindProperty]
    public string? ReleaseNote { get; set; }

    [BindProperty]
    public string? ConsentAgency { get; set; }

    [BindProperty]
    public string? ConsentNote { get; set; }

    /// <summary>Shown after a release request: released at once, or waiting for a second person.</summary>
    [TempData]
    public string? Message { get; set; }

    public string EntityLabel(EntityId id) => Entities.FirstOrDefault(e => e.Id == id.Value)?.Label ?? id.Value.ToString();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) is { } refused ? Refused(refused) : Page();

    public async Task<IActionResult> OnPostReleaseAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await releases.RequestAsync(Caller, id, new ReleaseRequest(ReleaseAgency?.Trim(), Note: string.IsNullOrWhiteSpace(ReleaseNote) ? null : ReleaseNote), cancellationToken);
            if (outcome.Refusal is { } refusal)
            {
                return Refused(refusal);
            }

            Message = outcome.Value!.Status == ReleaseStatus.AwaitingApproval ? T["Release.Waiting"] : T["Release.Done"];
            return LocalRedirect($"/records/{id}");
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, field => field == "agency" ? nameof(ReleaseAgency) : string.Empty);
            return await LoadAsync(id, cancellationToken) is { } refused ? Refused(refused) : Page();
        }
    }

    /// <summary>A received copy goes on to a third agency only with its originator's consent: this asks for it.</summary>
    public async Task<IActionResult> OnPostConsentAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await consents.RequestAsync(Caller, id, new ConsentRequestBody(ConsentAgency?.Trim(), string.IsNullOrWhiteSpace(ConsentNote) ? null : ConsentNote), cancellationToken);
            if (outcome.Refusal is { } refusal)
            {
                return Refused(refusal);
            }

            Message = T["Consents.Asked"];
            return LocalRedirect($"/records/{id}");
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, field => field == "agency" ? nameof(ConsentAgency) : string.Empty);
            return await LoadAsync(id, cancellationToken) is { } refused ? Refused(refused) : Page();
        }
    }

    private async Task<Refusal?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var caller = Caller;
        var read = await records.ReadAsync(caller, id, cancellationToken);
        if (read.Refusal is { } refusal)
        {
            return refusal;
        }

        RecordDetails details = read.Value!;
        Record = details.Record;
        Origin = await agencies.OriginOfAsync(Record, cancellationToken);
        Entities = [.. details.Entities.Select(EntityMapping.ToResponse)];
        Releases = await releases.ListAsync(caller, null, id, cancellationToken);
        var codes = new Dictionary<AgencyId, string>();
        foreach (var agencyId in Releases.SelectMany(r => new[] { r.ReleasingAgencyId, r.RecipientAgencyId }).Distinct())
        {
            codes[agencyId] = (await agencies.GetAsync(agencyId, cancellationToken)).Code;
        }

        AgencyCodes = codes;
        return null;
    }
}
