using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Admin;

/// <summary>
/// Administrators: the agency's users (create with roles and clearance, disable, enable, revoke their API tokens)
/// and the node's agencies, through <see cref="AccountAdministration"/>, which asks the policy for each change.
/// </summary>
public sealed class IndexModel(AccountAdministration administration, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public IReadOnlyList<JisrUser> Users { get; private set; } = [];

    public IReadOnlyList<Agency> Agencies { get; private set; } = [];

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public List<string> Roles { get; set; } = [];

    [BindProperty]
    public string Clearance { get; set; } = "RESTRICTED";

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? AgencyCode { get; set; }

    [BindProperty]
    public string? AgencyName { get; set; }

    [BindProperty]
    public string? AgencyCountry { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is { } refused ? Refused(refused) : Page();

    public Task<IActionResult> OnPostCreateUserAsync(CancellationToken cancellationToken) =>
        ChangeAsync(() => administration.CreateUserAsync(Caller, new UserRequest(UserName?.Trim(), DisplayName, Roles, Clearance, string.IsNullOrEmpty(Password) ? null : Password), cancellationToken),
            T["Admin.UserCreated"], field => field switch { "userName" => nameof(UserName), "displayName" => nameof(DisplayName), "password" => nameof(Password), _ when field.StartsWith("roles", StringComparison.Ordinal) => nameof(Roles), _ => string.Empty }, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(() => administration.SetDisabledAsync(Caller, id, disabled: true, cancellationToken), T["Admin.Disabled"], null, cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(() => administration.SetDisabledAsync(Caller, id, disabled: false, cancellationToken), T["Admin.Enabled"], null, cancellationToken);

    public Task<IActionResult> OnPostRevokeTokensAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(() => administration.RevokeTokensAsync(Caller, id, cancellationToken), T["Admin.TokensRevoked"], null, cancellationToken);

    public Task<IActionResult> OnPostCreateAgencyAsync(CancellationToken cancellationToken) =>
        ChangeAsync(() => administration.CreateAgencyAsync(Caller, new AgencyRequest(AgencyCode?.Trim(), AgencyName, AgencyCountry?.Trim()), cancellationToken),
            T["Admin.AgencyCreated"], field => field switch { "code" => nameof(AgencyCode), "name" => nameof(AgencyName), "country" => nameof(AgencyCountry), _ => string.Empty }, cancellationToken);

    private async Task<IActionResult> ChangeAsync<T>(Func<Task<Outcome<T>>> change, string done, Func<string, string>? fieldOf, CancellationToken cancellationToken)
    {
        Outcome<T> outcome;
        try
        {
            outcome = await change();
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, fieldOf);
            Password = null;
            return await LoadAsync(cancellationToken) is { } refused ? Refused(refused) : Page();
        }

        if (outcome.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Message = done;
        return LocalRedirect("/admin");
    }

    private async Task<Refusal?> LoadAsync(CancellationToken cancellationToken)
    {
        var users = await administration.ListUsersAsync(Caller, cancellationToken);
        if (users.Refusal is { } refusal)
        {
            return refusal;
        }

        Users = [.. users.Value!.OrderBy(u => u.UserName, StringComparer.Ordinal)];
        Agencies = await administration.ListAgenciesAsync(cancellationToken);
        return null;
    }
}
