using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Account;

/// <summary>The caller's own API tokens: listed without their secrets, issued (the secret shown once), revoked.</summary>
public sealed class IndexModel(OwnAccountService account, TimeProvider time, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    [BindProperty]
    public string? TokenName { get; set; }

    /// <summary>A token just issued: shown in this answer only (never stored in a cookie or TempData).</summary>
    public string? IssuedSecret { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostIssueAsync(CancellationToken cancellationToken)
    {
        try
        {
            IssuedSecret = (await account.IssueTokenAsync(Caller, new TokenRequest(TokenName, null), cancellationToken)).Secret;
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, field => field == "name" ? nameof(TokenName) : string.Empty);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        var revoked = await account.RevokeTokenAsync(Caller, id, cancellationToken);
        if (revoked.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Message = T["Account.Revoked"];
        return LocalRedirect("/account");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        Tokens = await account.ListTokensAsync(Caller, cancellationToken);
    }
}
