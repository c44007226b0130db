using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class LanguageAndAccessibilityTests(WebWorld world)
{
    /// <summary>The main pages, with what the page's heading reads in each language.</summary>
    private static readonly (string Path, string Name, Dictionary<string, string> Heading)[] MainPages =
    [
        ("/", "home", new() { ["en"] = "What waits for me", ["fr"] = "Ce qui m'attend", ["ar"] = "ما ينتظرني" }),
        ("/records", "records", new() { ["en"] = "Records", ["fr"] = "Dossiers", ["ar"] = "السجلات" }),
        ("/records/new", "record-form", new() { ["en"] = "New record", ["fr"] = "Nouveau dossier", ["ar"] = "سجل جديد" }),
        ("/search", "search", new() { ["en"] = "Search the records", ["fr"] = "Rechercher dans les dossiers", ["ar"] = "البحث في السجلات" }),
        ("/persons", "persons", new() { ["en"] = "Persons", ["fr"] = "Personnes", ["ar"] = "الأشخاص" }),
        ("/releases", "releases", new() { ["en"] = "Releases", ["fr"] = "Communications", ["ar"] = "الإرسالات" }),
        ("/notices", "notices", new() { ["en"] = "Notices", ["fr"] = "Notices", ["ar"] = "النشرات" }),
        ("/hits", "hit-check", new() { ["en"] = "Check a name or an identifier with partners", ["fr"] = "Vérifier un nom ou un identifiant auprès des partenaires", ["ar"] = "التحقق من اسم أو معرّف لدى الشركاء" }),
        ("/hits/requests", "hit-requests", new() { ["en"] = "Hit requests", ["fr"] = "Demandes après concordance", ["ar"] = "طلبات ما بعد التطابق" }),
    ];

    [Fact]
    public async Task The_language_switch_turns_every_label_to_Arabic_right_to_left_and_to_French()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync("/records");
        Assert.Equal("ltr", await page.GetAttributeAsync("html", "dir"));

        await page.GetByRole(AriaRole.Button, new() { Name = "العربية" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        Assert.Equal("ar", await page.GetAttributeAsync("html", "lang"));
        Assert.EndsWith("/records", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "القائمة الرئيسية" })).ToContainTextAsync("السجلات");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "تسجيل الخروج" })).ToBeVisibleAsync();

        // Right to left for real: the menu starts at the right edge of the screen.
        var brand = await page.Locator(".brand").BoundingBoxAsync();
        Assert.True(brand!.X > 1366 / 2, $"the name of the application sits at x={brand.X} in Arabic");

        // The Arabic font is served by the node itself and used for the Arabic text.
        Assert.True(await page.EvaluateAsync<bool>("async () => { await document.fonts.ready; return document.fonts.check('16px \"Noto Sans Arabic\"', 'جسر'); }"));

        await page.GotoAsync("/records/new");
        await Assertions.Expect(page.GetByLabel("العنوان", new() { Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "إنشاء السجل" }).ClickAsync();
        await Assertions.Expect(page.Locator("#title-error")).ToHaveTextAsync("هذا الحقل مطلوب.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Français" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "ltr");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Nouveau dossier");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_main_pages_in_three_languages_have_no_serious_accessibility_violation_and_are_photographed()
    {
        var failures = new List<string>();
        foreach (var (language, locale) in new[] { ("en", "en-GB"), ("fr", "fr-FR"), ("ar", "ar-MA") })
        {
            // The browser's own language chooses the interface's until the person picks another.
            var page = await world.NewPageAsync(locale);
            await WebWorld.SignInAsync(page, world.Analyst);
            foreach (var (path, name, heading) in MainPages)
            {
                await page.GotoAsync(path);
                await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(heading[language]);
                Assert.Equal(language == "ar" ? "rtl" : "ltr", await page.GetAttributeAsync("html", "dir"));
                await WebWorld.ScreenshotAsync(page, $"{name}-{language}");
                if (language != "fr")
                {
                    var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
                    failures.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                        .Select(v => $"{path} ({language}): {v.Id} {v.Help}: {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}"));
                }
            }

            await page.Context.CloseAsync();
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_legal_reviewers_and_administrators_pages_have_no_serious_accessibility_violation()
    {
        var failures = new List<string>();
        foreach (var (user, paths) in new[] { (world.Reviewer, new[] { "/review", "/declassifications", "/audit", "/consents" }), (world.Admin, new[] { "/admin", "/admin/grants", "/agreements", "/account" }) })
        {
            var page = await world.NewPageAsync("ar-MA");
            await WebWorld.SignInAsync(page, user);
            foreach (var path in paths)
            {
                var response = await page.GotoAsync(path);
                Assert.Equal(200, response!.Status);
                var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
                failures.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                    .Select(v => $"{path}: {v.Id} {v.Help}: {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}"));
                await WebWorld.ScreenshotAsync(page, path.Trim('/') + "-ar");
            }

            await page.Context.CloseAsync();
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task On_a_390_pixel_phone_the_pages_fit_the_screen_and_the_keyboard_reaches_everything_with_a_visible_focus()
    {
        var page = await world.NewPageAsync("ar-MA", 390, 844);
        await WebWorld.SignInAsync(page, world.Analyst);
        foreach (var path in new[] { "/", "/records", "/records/new", $"/records/{world.PartnerCopy}", "/notices" })
        {
            await page.GotoAsync(path);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than a 390-px phone");
        }

        await page.GotoAsync("/");
        await WebWorld.ScreenshotAsync(page, "home-ar-phone");

        // The first Tab reaches the skip link; every focused element shows an outline.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip", await page.EvaluateAsync<string>("() => document.activeElement.className"));
        for (var i = 0; i < 6; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
            Assert.NotEqual("none", outline);
        }

        await page.Context.CloseAsync();
    }
}
