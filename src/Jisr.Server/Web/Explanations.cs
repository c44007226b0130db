using System.Text.RegularExpressions;

namespace Jisr.Server.Web;

/// <summary>A text for the page and whether it is in the reader's language (when not, the page marks it English).</summary>
public sealed record ShownText(string Text, bool Translated)
{
    /// <summary>The <c>lang</c> attribute the text needs: none when translated, English when shown as the engine wrote it.</summary>
    public string? Lang => Translated ? null : "en";

    public override string ToString() => Text;
}

/// <summary>
/// The engines' explanations in the reader's language: how a part of a name matched (Jisr.Matching writes "initial",
/// "same spelling", "transliteration (skeletons)", "spelling variant (skeletons)"), the neutrality screen's findings
/// (Jisr.Policy writes "political: "phrase"", "political offence: "phrase"", "expression offence under DOMAIN: "phrase"
/// (...)") and identifier kinds. The engines keep their English (the API and the audit log carry it); the page
/// translates the known shapes and shows anything else as written, marked English.
/// </summary>
public static partial class Explanations
{
    private static readonly string[] Characters = ["political", "military", "religious", "racial"];

    /// <summary>How one part of a name matched, with the compared skeletons kept as they are (they are not words).</summary>
    public static ShownText MatchHow(this IStringLocalizer t, string how)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(how);
        var match = HowPattern().Match(how);
        if (!match.Success)
        {
            return new ShownText(how, false);
        }

        var kind = t[$"MatchHow.{match.Groups["kind"].Value.Replace(' ', '-')}"];
        if (kind.ResourceNotFound)
        {
            return new ShownText(how, false);
        }

        return match.Groups["detail"].Success
            ? new ShownText($"{kind.Value} ({match.Groups["detail"].Value})", true)
            : new ShownText(kind.Value, true);
    }

    /// <summary>One finding of the neutrality screen: the character found and the phrase that was found (quoted as found).</summary>
    public static ShownText Finding(this IStringLocalizer t, string flag)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(flag);
        if (ExpressionPattern().Match(flag) is { Success: true } expression
            && RecordVocabulary.ThreatDomains.TryParse(expression.Groups["domain"].Value, out var domain))
        {
            return new ShownText(t["Finding.expression", t.Domain(domain), expression.Groups["phrase"].Value], true);
        }

        if (FlagPattern().Match(flag) is { Success: true } found)
        {
            var what = found.Groups["what"].Value;
            var key = what == "political offence" ? "Finding.political-offence" : Characters.Contains(what) ? $"Finding.{what}" : null;
            if (key is not null)
            {
                return new ShownText(t[key, found.Groups["phrase"].Value], true);
            }
        }

        return new ShownText(flag, false);
    }

    /// <summary>An identifier's kind (passport, national-id...) in the reader's language; a kind the interface does not know is shown as written.</summary>
    public static ShownText IdentifierKind(this IStringLocalizer t, string? kind)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (string.IsNullOrEmpty(kind))
        {
            return new ShownText(string.Empty, true);
        }

        var name = t[$"IdentifierKind.{kind}"];
        return name.ResourceNotFound ? new ShownText(kind, false) : new ShownText(name.Value, true);
    }

    [GeneratedRegex(@"^(?<kind>initial|same spelling|transliteration|spelling variant)(?: \((?<detail>[^()]*)\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex HowPattern();

    [GeneratedRegex("^(?<what>[a-z ]+): \"(?<phrase>[^\"]*)\"$", RegexOptions.CultureInvariant)]
    private static partial Regex FlagPattern();

    [GeneratedRegex("^expression offence under (?<domain>[a-z-]+): \"(?<phrase>[^\"]*)\" \\(is the notice about violence, or about an opinion\\?\\)$", RegexOptions.CultureInvariant)]
    private static partial Regex ExpressionPattern();
}
