using Jisr.Matching.Names;
using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Persons;

/// <summary>
/// Name search in any script: the same <see cref="PersonMatchService"/> as the API (candidates from the name index,
/// only persons the caller may see, the matcher's part-by-part explanation), with a declared purpose that is audited.
/// </summary>
public sealed class IndexModel(PersonMatchService matches, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    [BindProperty(SupportsGet = true)]
    public string? Name { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Purpose { get; set; }

    public PersonMatches? Found { get; private set; }

    /// <summary>The one threshold that decides "match", as the page states it (from the constant, as the API's description does).</summary>
    public string Threshold => NameMatcher.MatchThreshold.ToString("P0", System.Globalization.CultureInfo.CurrentCulture);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Name is null && Purpose is null)
        {
            return;
        }

        var named = Required(Name, nameof(Name));
        if (DeclaredPurpose(Purpose) is not { } purpose || !named)
        {
            return;
        }

        try
        {
            Found = await matches.MatchAsync(Caller, Name, null, purpose, cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, field => field == "name" ? nameof(Name) : string.Empty);
        }
    }
}
