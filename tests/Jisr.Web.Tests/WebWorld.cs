using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

/// <summary>
/// One real node (Kestrel, SQLite) and one headless Chromium (Debian's /usr/bin/chromium, never a downloaded build)
/// for all the browser tests: two agencies under an agreement, an analyst and a legal reviewer (with a second factor)
/// who sign in with passwords, and a partner who released one record to us and kept another.
/// </summary>
public sealed class WebWorld : IAsyncLifetime
{
    public const string Password = "Correct-horse-battery-9";
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// The longest any single wait of a browser test lasts before it fails. CI runs the test projects side by side on
    /// two cores: a first sign-in that waited 20 s for its redirect failed there once while the CLI tests ran beside it.
    /// </summary>
    public const float WaitLimitMs = 45_000;

    private IPlaywright _playwright = null!;

    public TestNode Node { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public TestUser Analyst { get; private set; } = null!;

    public TestUser Reviewer { get; private set; } = null!;

    public TestUser PartnerAnalyst { get; private set; } = null!;

    public TestUser Admin { get; private set; } = null!;

    /// <summary>A second administrator of the analyst's agency, for grants that need two.</summary>
    public TestUser SecondAdmin { get; private set; } = null!;

    public Guid PartnerCopy { get; private set; }

    public Guid PartnerUnreleased { get; private set; }

    public const string PartnerCopyTitle = "Saisie de résine de cannabis au port de Radès";

    public const string PartnerUnreleasedTitle = "Source humaine Sfax, rapport interne";

    /// <summary>Screenshots land here, under the test output.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>
    /// Every browser test signs in from 127.0.0.1, many times a minute: the per-client limit is raised here (the
    /// per-account failure limit is kept). <see cref="SignInTests"/> proves the default-sized limit on a node of its own.
    /// </summary>
    public static readonly Jisr.Server.Auth.SignInLimits GenerousLimits = new() { PerClient = 10_000 };

    public async Task InitializeAsync()
    {
        Node = await TestNode.StartAsync(signInLimits: GenerousLimits);
        var own = await Node.AddAgencyAsync("MA-DGSN");
        var partner = await Node.AddAgencyAsync("TN-DGSN", "TN");
        Analyst = await Node.AddUserAsync(own, "analyst.ma", [Role.Analyst], Classification.Secret, Password);
        Reviewer = await Node.AddUserAsync(own, "dpo.ma", [Role.LegalReviewer], Classification.Secret, Password);
        var ownAdmin = await Node.AddUserAsync(own, "admin.ma", [Role.Administrator], Classification.Secret, Password);
        Admin = ownAdmin;
        SecondAdmin = await Node.AddUserAsync(own, "admin2.ma", [Role.Administrator], Classification.Secret, Password);
        PartnerAnalyst = await Node.AddUserAsync(partner, "analyst.tn", [Role.Analyst]);
        var partnerAdmin = await Node.AddUserAsync(partner, "admin.tn", [Role.Administrator]);

        var proposal = new JsonObject
        {
            ["partner"] = partner.Code,
            ["threatDomains"] = new JsonArray("drug-trafficking", "organised-crime", "terrorism"),
            ["highestClassification"] = "CONFIDENTIAL",
            ["handlingCodes"] = new JsonArray("H0", "H1"),
            ["validFrom"] = Today().ToString("O", CultureInfo.InvariantCulture),
            ["validUntil"] = Today().AddYears(1).ToString("O", CultureInfo.InvariantCulture),
        };
        var proposed = await ownAdmin.Client.PostAsJsonAsync("/api/v1/agreements", proposal);
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var agreement = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await partnerAdmin.Client.PostAsJsonAsync($"/api/v1/agreements/{agreement}/accept", new { })).StatusCode);

        var released = await CreateAsync(PartnerAnalyst, PartnerCopyTitle);
        var release = await PartnerAnalyst.Client.PostAsJsonAsync($"/api/v1/records/{released}/releases", new { agency = own.Code });
        Assert.Equal(HttpStatusCode.Created, release.StatusCode);
        PartnerCopy = (await release.Content.ReadFromJsonAsync<JsonObject>())!["copy"]!.GetValue<Guid>();
        PartnerUnreleased = await CreateAsync(PartnerAnalyst, PartnerUnreleasedTitle);

        Assertions.SetDefaultExpectTimeout(WaitLimitMs);
        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,

            // Tests run as root in CI containers, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Node.DisposeAsync();
    }

    /// <summary>
    /// A second node over this world's database (its own memory, caches and background work, as a second process
    /// behind a load balancer or the same node after a restart would have); the data-protection key ring is in the
    /// database, so a browser's session and form tokens hold on both.
    /// </summary>
    public async Task<Microsoft.AspNetCore.Builder.WebApplication> StartSecondNodeAsync() =>
        await Jisr.Server.JisrNode.StartAsync(
            new Jisr.Server.NodeOptions(Node.Database.Location, "http://127.0.0.1:0") { SignInLimits = GenerousLimits },
            builder => builder.Logging.AddFilter("Jisr.Requests", LogLevel.Warning));

    /// <summary>A fresh browser context (its own cookies) at a laptop's screen size, English unless told.</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-GB", int width = 1366, int height = 768, Uri? node = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (node ?? Node.BaseAddress).ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        // One wait for everything on a machine shared by many builds: actions and web-first assertions alike (the
        // assertions' own default is 5 s). Tests wait for what they need explicitly (an address, a text, a value),
        // never for a fixed time, so this is only the bound of a wait, not a delay.
        context.SetDefaultTimeout(WaitLimitMs);
        context.SetDefaultNavigationTimeout(WaitLimitMs);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the sign-in page, with the authenticator's code where the account has a second factor.</summary>
    public static async Task SignInAsync(IPage page, TestUser user)
    {
        // By the fields' ids, so that it signs in whatever the browser's language.
        await page.GotoAsync("/sign-in");
        await page.Locator("#UserName").FillAsync(user.UserName);
        await page.Locator("#Password").FillAsync(Password);
        if (user.SecondFactorKey is { } key)
        {
            await page.Locator("#Code").FillAsync(Totp.Code(key));
        }

        await page.Locator("main form button[type=submit]").ClickAsync();
        // Signed in means the signed-in header shows (the sign-in page has none), on a page that is no longer the sign-in
        // page. No navigation or load-state wait: when the new page had already loaded before the wait began,
        // Playwright's WaitForURL fell back to a load-state wait that never ended (CI, stops 23 and 26).
        await Assertions.Expect(page.Locator("header .session .who")).ToBeVisibleAsync();
        Assert.DoesNotContain("/sign-in", page.Url, StringComparison.Ordinal);
    }

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    private static DateOnly Today() => DateOnly.FromDateTime(DateTime.UtcNow);

    private static async Task<Guid> CreateAsync(TestUser user, string title)
    {
        var request = RecordRequests.Valid(title, "Deux conteneurs contrôlés, 1,2 tonne saisie.");
        request["marking"] = new JsonObject { ["classification"] = "RESTRICTED", ["tlp"] = "AMBER", ["handling"] = "H0" };
        var created = await user.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebWorld>
{
    public const string Name = "web";
}
