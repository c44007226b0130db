using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Jisr.Domain.Records;
using Jisr.Matching.Names;
using Jisr.Policy;
using Jisr.Server.Web;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jisr.Web.Tests;

/// <summary>
/// The interface's texts without a browser: the three resource files name the same texts with the same placeholders,
/// and what the engines write in English (the neutrality screen's findings, how name parts matched) comes out in French
/// and Arabic for every shape they write, so a change of wording in an engine fails here instead of showing English.
/// </summary>
public sealed partial class TranslationTests
{
    private static readonly string WebFolder = Path.Combine(RepositoryRoot(), "src", "Jisr.Server", "Web");

    [Fact]
    public void The_three_resource_files_name_the_same_texts_with_the_same_placeholders()
    {
        var english = Texts("SharedResource.resx");
        foreach (var language in new[] { "fr", "ar" })
        {
            var other = Texts($"SharedResource.{language}.resx");
            Assert.Empty(english.Keys.Except(other.Keys).Select(k => $"{language} lacks {k}"));
            Assert.Empty(other.Keys.Except(english.Keys).Select(k => $"{language} has an extra {k}"));
            foreach (var (key, text) in english)
            {
                Assert.True(Placeholders(text).SetEquals(Placeholders(other[key])), $"{language} {key}: '{other[key]}' does not take the placeholders of '{text}'");
                Assert.False(string.IsNullOrWhiteSpace(other[key]), $"{language} {key} is empty");
            }
        }
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("ar")]
    public void Every_finding_the_neutrality_screen_writes_is_translated_with_its_phrase(string language)
    {
        var flags = NeutralityScreen.Screen(
            ThreatDomain.Terrorism,
            "trahison et apologie",
            "opposant politique, secret militaire, apostasie, origine ethnique");
        Assert.Equal(6, flags.Count);
        var t = Localizer();
        using var _ = InCulture(language);
        foreach (var flag in flags)
        {
            var shown = t.Finding(flag);
            Assert.True(shown.Translated, $"'{flag}' is shown in English in {language}");
            Assert.Null(shown.Lang);
            var phrase = Regex.Match(flag, "\"([^\"]*)\"").Groups[1].Value;
            Assert.Contains(phrase, shown.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("offence", shown.Text, StringComparison.Ordinal);
        }

        // A finding the interface does not know is shown as the engine wrote it, marked English.
        var unknown = t.Finding("new rule: \"x\"");
        Assert.False(unknown.Translated);
        Assert.Equal("en", unknown.Lang);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("ar")]
    public void Every_way_a_name_part_matches_is_explained_in_the_readers_language(string language)
    {
        var parts = NameMatcher.Explain("Karim Djamel Tazi", "K. Jamal Tazi").Parts
            .Concat(NameMatcher.Explain("Youssef Alaoui", "يوسف العلوي").Parts)
            .ToList();
        var kinds = parts.Select(p => Regex.Match(p.How, "^[a-z ]+").Value.Trim()).ToHashSet();
        Assert.Equal(["initial", "same spelling", "spelling variant", "transliteration"], kinds.Order(StringComparer.Ordinal));
        var t = Localizer();
        using var _ = InCulture(language);
        foreach (var part in parts)
        {
            var shown = t.MatchHow(part.How);
            Assert.True(shown.Translated, $"'{part.How}' is shown in English in {language}");
            Assert.NotEqual(part.How.Split(" (")[0], shown.Text.Split(" (")[0]);

            // The compared skeletons stay as they are.
            if (Regex.Match(part.How, @"\((.*)\)") is { Success: true } detail)
            {
                Assert.EndsWith($"({detail.Groups[1].Value})", shown.Text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Identifier_kinds_are_translated_and_an_unknown_kind_is_shown_as_written()
    {
        var t = Localizer();
        using var _ = InCulture("ar");
        Assert.Equal("جواز السفر", t.IdentifierKind("passport").Text);
        var unknown = t.IdentifierKind("library-card");
        Assert.Equal("library-card", unknown.Text);
        Assert.Equal("en", unknown.Lang);
    }

    private static IStringLocalizer Localizer() =>
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance).Create(typeof(SharedResource));

    private static CultureScope InCulture(string language) => new(new CultureInfo(language));

    private static Dictionary<string, string> Texts(string file) =>
        XDocument.Load(Path.Combine(WebFolder, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!, StringComparer.Ordinal);

    private static HashSet<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value)];

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Jisr.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("the tests run outside the repository: Jisr.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();

    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
        private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

        public CultureScope(CultureInfo culture)
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
        }

        public void Dispose()
        {
            CultureInfo.CurrentCulture = _culture;
            CultureInfo.CurrentUICulture = _uiCulture;
        }
    }
}
