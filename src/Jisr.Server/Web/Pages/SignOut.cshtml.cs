using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages;

/// <summary>Signing out ends every session of the account (as the API's logout does), then clears this browser's cookie. POST only.</summary>
public sealed class SignOutModel(OwnAccountService account, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public IActionResult OnGet() => NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await account.SignOutAsync(Caller, cancellationToken);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/sign-in");
    }
}
