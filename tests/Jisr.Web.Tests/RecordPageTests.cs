using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jisr.Testing;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class RecordPageTests(WebWorld world)
{
    /// <summary>Fills the new-record form (in English) and submits it; returns the new record's id from the address it lands on.</summary>
    internal static async Task<Guid> CreateAsync(IPage page, string title, string body, string classification = "RESTRICTED", string? personNames = null)
    {
        await page.GotoAsync("/records/new");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Language of the text").SelectOptionAsync("ar");
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync(body);
        await page.GetByLabel("Classification").SelectOptionAsync(classification);
        await page.GetByLabel("Handling code").SelectOptionAsync("H0");
        await page.GetByLabel("Drug trafficking").CheckAsync();
        await page.GetByLabel("Legal basis").FillAsync("قانون المسطرة الجنائية، المادة 82");
        await page.GetByLabel("Purpose", new() { Exact = true }).FillAsync("مكافحة الاتجار بالمخدرات");
        if (personNames is not null)
        {
            await page.GetByLabel("Names").FillAsync(personNames);
            await page.GetByLabel("Date of birth").FillAsync("1988-06");
            await page.GetByLabel("Nationality").FillAsync("MA");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Create the record" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/records/[0-9a-f-]{36}$"));
        return Guid.Parse(page.Url[^36..]);
    }

    [Fact]
    public async Task An_analyst_creates_a_record_in_Arabic_with_a_person_and_sees_it_as_written()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        const string title = "رصد شحنة حشيش في ميناء طنجة المتوسط";
        const string body = "تمت مراقبة شاحنتين قرب الرصيف رقم 3.\nالسائق معروف لدى المصالح.";
        var id = await CreateAsync(page, title, body, personNames: "عبد الرحيم بن عمر\nAbderrahim Ben Omar");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Assertions.Expect(page.Locator(".body-text")).ToHaveTextAsync(body);
        await Assertions.Expect(page.Locator(".banner")).ToContainTextAsync("RESTRICTED");
        await Assertions.Expect(page.Locator(".banner")).ToContainTextAsync("use for law enforcement purposes only");
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("B2: usually reliable, probably true");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "عبد الرحيم بن عمر" })).ToBeVisibleAsync();

        // The API, with the analyst's token, reads the same record: the page wrote through the same service.
        var read = await world.Analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{id}");
        Assert.Equal(title, read!["title"]!.GetValue<string>());
        Assert.Equal(body, read["body"]!.GetValue<string>());
        await WebWorld.ScreenshotAsync(page, "record-en");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_record_written_in_the_browser_holds_other_entities_linked_to_its_person()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        var title = "Société écran à Casablanca " + Guid.NewGuid().ToString("N")[..6];
        await page.GotoAsync("/records/new");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Transferts vers une société de transport.");
        await page.GetByLabel("Legal basis").FillAsync("Loi 43-05");
        await page.GetByLabel("Purpose", new() { Exact = true }).FillAsync("Blanchiment");
        await page.GetByLabel("Organised crime").CheckAsync();
        await page.GetByLabel("Names").FillAsync("Hamid Berrada\nحميد برادة");
        await page.GetByLabel("Nationality").FillAsync("MA");
        await page.GetByLabel("Identifier number").FillAsync("ZX998877");
        await page.GetByLabel("Entity 1: type").SelectOptionAsync("organisation");
        await page.GetByLabel("Entity 1: name or number").FillAsync("شركة النور للنقل");
        await page.GetByLabel("Entity 1: country (two letters)").FillAsync("MA");
        await page.GetByLabel("Entity 1: link to the person").SelectOptionAsync("member-of");
        await page.GetByLabel("Entity 2: type").SelectOptionAsync("vehicle");
        await page.GetByLabel("Entity 2: name or number").FillAsync("12345-A-6");
        await page.GetByLabel("Entity 2: link to the person").SelectOptionAsync("owns");
        await page.GetByLabel("Entity 3: type").SelectOptionAsync("phone");
        await page.GetByLabel("Entity 3: name or number").FillAsync("+212 6 00 11 22 33");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the record" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/records/[0-9a-f-]{36}$"));

        var entities = page.Locator("section[aria-labelledby=entities]");
        await Assertions.Expect(entities).ToContainTextAsync("Organisation: شركة النور للنقل");
        await Assertions.Expect(entities).ToContainTextAsync("12345-A-6");
        await Assertions.Expect(entities).ToContainTextAsync("Phone:");
        await Assertions.Expect(entities).ToContainTextAsync("member of");
        await Assertions.Expect(entities).ToContainTextAsync("owns");

        var read = await world.Analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{page.Url[^36..]}");
        Assert.Equal(["organisation", "person", "phone", "vehicle"], read!["entities"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(2, read["links"]!.AsArray().Count);

        // The person's passport is on their page, its kind in the reader's language.
        await page.GetByRole(AriaRole.Link, new() { Name = "Hamid Berrada" }).ClickAsync();
        await Assertions.Expect(page.Locator("section[aria-labelledby=identity]")).ToContainTextAsync("ZX998877");
        await page.GetByRole(AriaRole.Button, new() { Name = "العربية" }).ClickAsync();
        await Assertions.Expect(page.Locator("section[aria-labelledby=identity] dt", new() { HasText = "جواز السفر" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_partners_released_copy_shows_its_provenance_and_an_unreleased_record_stays_invisible()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        var copies = page.Locator("section[aria-labelledby=copies]");
        await Assertions.Expect(copies).ToContainTextAsync(WebWorld.PartnerCopyTitle);
        await copies.GetByRole(AriaRole.Link, new() { Name = WebWorld.PartnerCopyTitle }).ClickAsync();

        var provenance = page.Locator("section[aria-labelledby=provenance]");
        await Assertions.Expect(provenance).ToContainTextAsync("Released by");
        await Assertions.Expect(provenance).ToContainTextAsync("TN-DGSN");
        Assert.EndsWith(world.PartnerCopy.ToString(), page.Url, StringComparison.Ordinal);

        await page.GotoAsync("/records");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync(WebWorld.PartnerCopyTitle);
        Assert.DoesNotContain(WebWorld.PartnerUnreleasedTitle, await page.ContentAsync(), StringComparison.Ordinal);

        // Asked for by its address, the partner's own record is "not found", exactly like one that does not exist.
        var hidden = await page.GotoAsync($"/records/{world.PartnerUnreleased}");
        Assert.Equal(404, hidden!.Status);
        var missing = await page.GotoAsync($"/records/{Guid.NewGuid()}");
        Assert.Equal(404, missing!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Not found (or not visible to you)");
        Assert.DoesNotContain(WebWorld.PartnerUnreleasedTitle, await page.ContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_confidential_release_waits_for_the_legal_reviewer_who_approves_it()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        var title = "Réseau de convoyeurs Tanger–Algésiras " + Guid.NewGuid().ToString("N")[..6];
        var id = await CreateAsync(page, title, "Trois véhicules identifiés.", "CONFIDENTIAL");
        await page.GetByLabel("Partner agency (code)").FillAsync("TN-DGSN");
        await page.GetByRole(AriaRole.Button, new() { Name = "Release", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The release waits for a second person's approval.");
        await Assertions.Expect(page.Locator("section[aria-labelledby=releases] table")).ToContainTextAsync("awaiting approval");

        // The author may not approve their own release: the policy's reason is shown.
        await page.GotoAsync("/releases");
        await page.Locator("tr", new() { HasText = title }).GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Not allowed");
        await page.Context.CloseAsync();

        var partnerBefore = await world.PartnerAnalyst.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200");
        Assert.DoesNotContain(partnerBefore!["items"]!.AsArray(), r => r!["title"]!.GetValue<string>() == title);

        var reviewer = await world.NewPageAsync();
        await WebWorld.SignInAsync(reviewer, world.Reviewer);
        await Assertions.Expect(reviewer.Locator("section[aria-labelledby=w-releases] .count")).Not.ToHaveTextAsync("0");
        await reviewer.GotoAsync("/releases");
        var row = reviewer.Locator("tr", new() { HasText = title });
        await row.GetByLabel("Reason (kept in the audit log)").FillAsync("Accord bilatéral, enquête conjointe");
        await row.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Status)).ToHaveTextAsync("Approved: the partner holds a copy.");
        await Assertions.Expect(reviewer.Locator("tr", new() { HasText = title })).ToContainTextAsync("released");
        await WebWorld.ScreenshotAsync(reviewer, "releases-en");
        await reviewer.Context.CloseAsync();

        var partnerAfter = await world.PartnerAnalyst.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200");
        var copy = Assert.Single(partnerAfter!["items"]!.AsArray(), r => r!["title"]!.GetValue<string>() == title);
        Assert.Equal(id, copy!["provenance"]!["originalRecord"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Script_and_markup_typed_into_a_form_are_shown_as_text_and_never_run()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        const string title = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">\"'&";
        const string body = "</textarea><svg onload=alert(1)><a href=\"javascript:alert(2)\">x</a>";
        await CreateAsync(page, title, body, personNames: "<b onmouseover=alert(3)>X</b>");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Assertions.Expect(page.Locator(".body-text")).ToHaveTextAsync(body);
        Assert.Equal(0, await page.Locator("main img, main svg, main script, main b").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.pwned === undefined"));
        await page.GotoAsync("/records");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync(title);
        Assert.True(await page.EvaluateAsync<bool>("() => window.pwned === undefined"));
        Assert.Equal(0, dialogs);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_forged_cross_site_post_is_refused_and_changes_nothing()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        var title = "forged " + Guid.NewGuid().ToString("N")[..8];

        // What a hostile page can make the browser send: the session cookie rides along, the antiforgery token cannot.
        var form = page.Context.APIRequest;
        var forged = await form.PostAsync("/records/new", new APIRequestContextOptions
        {
            Form = FormOf(form, ("Form.Title", title), ("Form.Body", "x"), ("Form.Language", "fr"), ("Form.Kind", "field-report"), ("Form.LegalBasis", "x"),
                ("Form.Purpose", "x"), ("Form.ReviewDate", "2030-01-01"), ("Form.RetentionUntil", "2031-01-01"), ("Form.SubmissionKey", Guid.NewGuid().ToString())),
            Headers = new Dictionary<string, string> { ["Origin"] = "https://evil.example" },
            MaxRedirects = 0,
        });
        Assert.Equal(403, forged.Status);
        var api = await form.PostAsync("/api/v1/records", new APIRequestContextOptions { DataObject = RecordRequests.Valid(title).ToJsonString(), Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" } });
        Assert.Equal(403, api.Status);
        var signOut = await form.PostAsync("/sign-out", new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.Equal(403, signOut.Status);

        var mine = await world.Analyst.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200");
        Assert.DoesNotContain(mine!["items"]!.AsArray(), r => r!["title"]!.GetValue<string>() == title);
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_same_form_submitted_twice_creates_one_record()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        var title = "double " + Guid.NewGuid().ToString("N")[..8];
        await page.GotoAsync("/records/new");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Un seul dossier.");
        await page.GetByLabel("Legal basis").FillAsync("Code de procédure pénale");
        await page.GetByLabel("Purpose", new() { Exact = true }).FillAsync("Prévention");
        await page.GetByLabel("Cybercrime").CheckAsync();

        // The form as the browser would send it (with its token and one-time key), sent four times at once, then once more.
        var fields = await page.EvaluateAsync<Dictionary<string, string>>(
            "() => Object.fromEntries(new FormData(document.querySelector('main form')))");
        var send = () => page.Context.APIRequest.PostAsync("/records/new", new APIRequestContextOptions { Form = FormOf(page.Context.APIRequest, [.. fields.Select(f => (f.Key, f.Value))]), MaxRedirects = 0 });
        var answers = await Task.WhenAll(send(), send(), send(), send());
        var third = await send();
        Assert.True(answers[0].Status == 302, $"{answers[0].Status}: {await answers[0].TextAsync()}");
        var locations = answers.Append(third).Select(a => a.Headers["location"]).ToList();
        Assert.All(answers.Append(third), a => Assert.Equal(302, a.Status));
        Assert.Single(locations.Distinct());

        var mine = await world.Analyst.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200");
        Assert.Single(mine!["items"]!.AsArray(), r => r!["title"]!.GetValue<string>() == title);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_same_form_sent_again_to_a_second_node_over_the_same_database_creates_no_second_record()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        var title = "deux nœuds " + Guid.NewGuid().ToString("N")[..8];
        await page.GotoAsync("/records/new");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Envoyé deux fois, à deux nœuds.");
        await page.GetByLabel("Legal basis").FillAsync("Code de procédure pénale");
        await page.GetByLabel("Purpose", new() { Exact = true }).FillAsync("Prévention");
        await page.GetByLabel("Migrant smuggling").CheckAsync();
        var fields = await page.EvaluateAsync<Dictionary<string, string>>(
            "() => Object.fromEntries(new FormData(document.querySelector('main form')))");

        // Sent to this node, then the very same form (token, key, session cookie) to another node over the same
        // database, which has never seen it: the second answers with the first one's record.
        var send = (string address) => page.Context.APIRequest.PostAsync(address, new APIRequestContextOptions { Form = FormOf(page.Context.APIRequest, [.. fields.Select(f => (f.Key, f.Value))]), MaxRedirects = 0 });
        var first = await send("/records/new");
        Assert.Equal(302, first.Status);
        var app = await world.StartSecondNodeAsync();
        try
        {
            var again = await send(new Uri(new Uri(app.Urls.First()), "/records/new").ToString());
            Assert.Equal(302, again.Status);
            Assert.Equal(first.Headers["location"], again.Headers["location"]);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        var mine = await world.Analyst.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200");
        var created = Assert.Single(mine!["items"]!.AsArray(), r => r!["title"]!.GetValue<string>() == title);
        Assert.EndsWith(created!["id"]!.GetValue<Guid>().ToString(), first.Headers["location"], StringComparison.Ordinal);

        // Another form of the same person is another record.
        await page.GotoAsync("/records/new");
        Assert.NotEqual(fields["Form.SubmissionKey"], await page.Locator("input[name='Form.SubmissionKey']").InputValueAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_search_needs_a_purpose_and_finds_what_the_analyst_may_read()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync("/search");
        await page.GetByLabel("Words to search for").FillAsync("Radès");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#Purpose-error")).ToContainTextAsync("Say why you are searching");

        await page.GetByLabel("Purpose of this search").FillAsync("Enquête 2026/114, port de Radès");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync(WebWorld.PartnerCopyTitle);

        var audit = await world.Reviewer.Client.GetFromJsonAsync<JsonArray>("/api/v1/audit?action=search");
        Assert.Contains(audit!, e => e!.ToJsonString().Contains("2026/114, port de Rad", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_author_edits_a_record_keeping_its_person_and_a_lowered_marking_waits_for_a_legal_reviewer()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        var id = await CreateAsync(page, "Rapport initial " + Guid.NewGuid().ToString("N")[..6], "Texte initial.", "CONFIDENTIAL", "Karim Tazi\nكريم التازي");

        await page.GetByRole(AriaRole.Link, new() { Name = "Edit the record" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Classification")).ToHaveValueAsync("CONFIDENTIAL");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Rapport complété");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the changes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Rapport complété");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Karim Tazi" })).ToBeVisibleAsync();

        // Lowering the marking is a declassification: held for a legal reviewer, the record unchanged meanwhile.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit the record" }).ClickAsync();
        await page.GetByLabel("Classification").SelectOptionAsync("RESTRICTED");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the changes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("waits for a legal reviewer");
        await Assertions.Expect(page.Locator(".banner")).ToContainTextAsync("CONFIDENTIAL");
        var read = await world.Analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{id}");
        Assert.Equal("CONFIDENTIAL", read!["marking"]!["classification"]!.GetValue<string>());
        Assert.Single(read["entities"]!.AsArray());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_tlp_red_record_names_its_recipients_in_the_form_and_adding_one_waits_for_a_legal_reviewer()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        var title = "Source rouge " + Guid.NewGuid().ToString("N")[..6];
        await page.GotoAsync("/records/new");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Diffusion nominative.");
        await page.GetByLabel("TLP", new() { Exact = true }).SelectOptionAsync("RED");
        await page.GetByLabel("Recipients (TLP:RED only)").FillAsync("admin.ma\nadmin2.ma");
        await page.GetByLabel("Legal basis").FillAsync("Code de procédure pénale");
        await page.GetByLabel("Purpose", new() { Exact = true }).FillAsync("Prévention");
        await page.GetByLabel("Terrorism", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the record" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/records/[0-9a-f-]{36}$"));
        var id = Guid.Parse(page.Url[^36..]);
        Assert.Equal(2, await RecipientCountAsync(id));

        // The form shows them by name; taking one away is saved at once.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit the record" }).ClickAsync();
        var recipients = page.GetByLabel("Recipients (TLP:RED only)");
        await Assertions.Expect(recipients).ToHaveValueAsync("admin.ma\nadmin2.ma");
        await recipients.FillAsync("admin.ma");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the changes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        Assert.Equal(1, await RecipientCountAsync(id));

        // Adding a reader widens who may see it: held for a legal reviewer, the record unchanged meanwhile.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit the record" }).ClickAsync();
        await page.GetByLabel("Recipients (TLP:RED only)").FillAsync("admin.ma\ndpo.ma");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the changes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("waits for a legal reviewer");
        Assert.Equal(1, await RecipientCountAsync(id));

        // A name that is not a user of the agency is said beside the field.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit the record" }).ClickAsync();
        await page.GetByLabel("Recipients (TLP:RED only)").FillAsync("analyst.tn");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the changes" }).ClickAsync();
        await Assertions.Expect(page.Locator("#recipients-error")).ToContainTextAsync("analyst.tn");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_session_that_ends_in_the_middle_of_a_form_loses_nothing_of_what_was_written()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync("/records/new");
        const string title = "تقرير كُتب قبل انتهاء الجلسة";
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("نص طويل كتبه المحلل.");
        await page.GetByLabel("Terrorism", new() { Exact = true }).CheckAsync();

        // The session ends (here: its cookie is gone) before the form is sent.
        await page.Context.ClearCookiesAsync(new() { Name = "jisr.session" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the record" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/sign-in"));
        await page.Locator("#UserName").FillAsync(world.Analyst.UserName);
        await page.Locator("#Password").FillAsync(WebWorld.Password);
        await page.Locator("main form button[type=submit]").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/records/new$"));
        await Assertions.Expect(page.Locator("#restored")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync(title);
        await Assertions.Expect(page.GetByLabel("Text", new() { Exact = true })).ToHaveValueAsync("نص طويل كتبه المحلل.");
        await Assertions.Expect(page.GetByLabel("Terrorism", new() { Exact = true })).ToBeCheckedAsync();

        // Sent again, it goes through; the next blank form starts empty.
        await page.GetByLabel("Legal basis").FillAsync("Loi 03-03");
        await page.GetByLabel("Purpose", new() { Exact = true }).FillAsync("Prévention");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the record" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/records/[0-9a-f-]{36}$"));
        await page.GotoAsync("/records/new");
        await Assertions.Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync(string.Empty);
        await page.Context.CloseAsync();
    }

    private async Task<int> RecipientCountAsync(Guid record) =>
        (await world.Analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{record}"))!["recipients"]!.AsArray().Count;

    private static IFormData FormOf(IAPIRequestContext request, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Append(name, value);
        }

        return form;
    }
}
