using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages;

/// <summary>The language switch: remembers the choice in a cookie and goes back to the page it came from (a local path only).</summary>
public sealed class LanguageModel(IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public IActionResult OnGet() => NotFound();

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        if (culture is not null && WebInterface.Cultures.Contains(culture))
        {
            Response.Cookies.Append(
                WebInterface.CultureCookie,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, Secure = Request.IsHttps, SameSite = SameSiteMode.Lax, IsEssential = true });
        }

        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
