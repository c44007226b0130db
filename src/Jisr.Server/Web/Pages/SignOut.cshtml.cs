using Jisr.Server.Application;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

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
