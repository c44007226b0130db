using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Admin;

/// <summary>
/// Access for the agency's users: an administrator changes a user's roles and clearance (<see cref="AccountAdministration.ChangeAccessAsync"/>);
/// administrator rights, or the legal-reviewer role beside them, wait as a grant until a second administrator approves
/// or refuses it here. The policy decides each step (not on one's own account, not one's own grant, up to one's clearance).
/// </summary>
public sealed class GrantsModel(AccountAdministration administration, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public IReadOnlyList<JisrUser> Users { get; private set; } = [];

    public IReadOnlyList<AccessGrant> Grants { get; private set; } = [];

    /// <summary>The user whose access the form changes.</summary>
    [BindProperty]
    public Guid? Account { get; set; }

    [BindProperty]
    public List<string> Roles { get; set; } = [];

    [BindProperty]
    public string Clearance { get; set; } = "RESTRICTED";

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is { } refused ? Refused(refused) : Page();

    public async Task<IActionResult> OnPostChangeAsync(CancellationToken cancellationToken)
    {
        if (Account is not { } id)
        {
            ModelState.AddModelError(nameof(Account), T["Validation.Required"]);
            return await LoadAsync(cancellationToken) is { } refusedLoad ? Refused(refusedLoad) : Page();
        }

        Outcome<AccessChange> outcome;
        try
        {
            outcome = await administration.ChangeAccessAsync(Caller, id, new UserAccessRequest(Roles, Clearance), cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, field => field.StartsWith("roles", StringComparison.Ordinal) ? nameof(Roles) : field == "clearance" ? nameof(Clearance) : string.Empty);
            return await LoadAsync(cancellationToken) is { } refusedLoad ? Refused(refusedLoad) : Page();
        }

        if (outcome.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Message = outcome.Value!.Grant is null ? T["Grants.Changed"] : T["Grants.Waits"];
        return LocalRedirect("/admin/grants");
    }

    public Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, approve: true, cancellationToken);

    public Task<IActionResult> OnPostRefuseAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, approve: false, cancellationToken);

    /// <summary>A user's name by id, for the grants list (the ids of the agency's own users, all listed on this page).</summary>
    public string UserName(UserId id) => Users.FirstOrDefault(u => u.Id == id.Value)?.UserName ?? id.Value.ToString();

    private Task<IActionResult> DecideAsync(Guid id, bool approve, CancellationToken cancellationToken) =>
        DecideAsync(
            () => administration.DecideGrantAsync(Caller, id, approve, cancellationToken),
            async () => await LoadAsync(cancellationToken),
            () => Message = approve ? T["Grants.Approved"] : T["Grants.RefusedDone"],
            "/admin/grants");

    private async Task<Refusal?> LoadAsync(CancellationToken cancellationToken)
    {
        var users = await administration.ListUsersAsync(Caller, cancellationToken);
        if (users.Refusal is { } refusal)
        {
            return refusal;
        }

        var grants = await administration.ListGrantsAsync(Caller, cancellationToken);
        if (grants.Refusal is { } refused)
        {
            return refused;
        }

        Users = [.. users.Value!.OrderBy(u => u.UserName, StringComparer.Ordinal)];
        Grants = grants.Value!;
        return null;
    }
}
