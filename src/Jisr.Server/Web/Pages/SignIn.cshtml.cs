using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Jisr.Server.Web.Pages;

/// <summary>
/// Sign-in with the account's password and, where the account has a second factor, the authenticator's code: the
/// same <see cref="OwnAccountService.SignInAsync"/> as the API (throttle and audit), then a new session cookie.
/// </summary>
/// <remarks>
/// Posting the form goes through the API login's per-client limiter (<see cref="SignInLimits.ClientPolicy"/>, the same
/// partition per address, the same numbers); showing the form does not count.
/// </remarks>
[EnableRateLimiting(SignInLimits.ClientPolicy)]
public sealed class SignInModel(OwnAccountService account, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set when the per-client limiter refused the last attempt (see <see cref="TooManyAddress"/>).</summary>
    [BindProperty(SupportsGet = true)]
    public bool TooMany { get; set; }

    /// <summary>Where a refused attempt is sent: this page, with the message and the same return address.</summary>
    public static string TooManyAddress(string? returnUrl) =>
        "/sign-in?tooMany=true" + (string.IsNullOrEmpty(returnUrl) ? string.Empty : "&returnUrl=" + Uri.EscapeDataString(returnUrl));

    public void OnGet()
    {
        if (TooMany)
        {
            ModelState.AddModelError(string.Empty, T["SignIn.TooMany"]);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(UserName))
        {
            ModelState.AddModelError(nameof(UserName), T["Validation.Required"]);
        }

        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), T["Validation.Required"]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        Jisr.Storage.Accounts.SignInResult result;
        try
        {
            result = await account.SignInAsync(new LoginRequest(UserName, Password, string.IsNullOrWhiteSpace(Code) ? null : Code.Trim()), cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error);
            return Page();
        }

        Password = null;
        switch (result.Outcome)
        {
            case SignInOutcome.Succeeded:
                // A new cookie for a new session: whatever session cookie the browser had before is replaced (no fixation).
                await HttpContext.SignInAsync(
                    CookieAuthenticationDefaults.AuthenticationScheme,
                    ClaimsMapping.ToClaims(result.Principal!, CookieAuthenticationDefaults.AuthenticationScheme, result.SessionStamp));
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && !ReturnUrl!.StartsWith("/sign-in", StringComparison.Ordinal) ? ReturnUrl : "/");
            case SignInOutcome.SecondFactorRequired:
                ModelState.AddModelError(nameof(Code), T["SignIn.CodeRequired"]);
                break;
            case SignInOutcome.SecondFactorNotSetUp:
                ModelState.AddModelError(string.Empty, T["SignIn.SecondFactorNotSetUp"]);
                break;
            case SignInOutcome.TooManyAttempts:
                // The account name's failures, not this client's: said apart from the per-client refusal, with the
                // wait. An unknown name is held alike, so the message tells nobody whether the account exists.
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                ModelState.AddModelError(string.Empty, T["SignIn.AccountLocked", Display.Number((int)Math.Ceiling(account.SignInWindow.TotalMinutes))]);
                break;
            default:
                // One message for an unknown name, a wrong password or a wrong code: no hint which user names exist.
                ModelState.AddModelError(string.Empty, T["SignIn.Failed"]);
                break;
        }

        return Page();
    }
}
