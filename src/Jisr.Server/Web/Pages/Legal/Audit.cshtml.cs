using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Legal;

/// <summary>The agency's audit trail for legal reviewers and administrators: who read or searched what, and why; reading it is itself audited.</summary>
public sealed class AuditModel(AuditTrailService trail, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Target { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Outcome<List<AuditEntry>> read;
        try
        {
            read = await trail.ReadAsync(Caller, new AuditQuery(Before, PageSize, string.IsNullOrWhiteSpace(Action) ? null : Action.Trim(), string.IsNullOrWhiteSpace(Target) ? null : Target.Trim()), cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, field => field == "action" ? nameof(Action) : field == "target" ? nameof(Target) : string.Empty);
            return Page();
        }

        if (read.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Entries = read.Value!;
        return Page();
    }
}
