using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class LargePasteTests(WebWorld world)
{
    [Fact]
    public async Task Five_megabytes_pasted_into_the_text_are_refused_beside_the_field_with_the_text_kept_and_a_long_report_under_the_limit_goes_through_whole()
    {
        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        var title = "collage " + Guid.NewGuid().ToString("N")[..8];
        var lines = (5 * 1024 * 1024 / Encoding.UTF8.GetByteCount(Line)) + 1;
        var huge = string.Concat(Enumerable.Repeat(Line, lines));
        Assert.True(Encoding.UTF8.GetByteCount(huge) >= 5 * 1024 * 1024);
        await FillAsync(page, title);

        // The same text made in the page (5 MB need not cross the wire to the browser to be pasted there).
        await page.GetByLabel("Text", new() { Exact = true }).EvaluateAsync(
            "(el, [line, count]) => { el.value = line.repeat(count); el.dispatchEvent(new Event('input', { bubbles: true })); }", new object[] { Line, lines });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the record" }).ClickAsync();

        // Refused by the record's own limit (the API's), said beside the field at once; nothing was cut, nothing lost.
        await Assertions.Expect(page.Locator("#body-error")).ToHaveTextAsync("This text is too long: at most 200000 characters.");
        await Assertions.Expect(page.GetByLabel("Text", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.EndsWith("/records/new", page.Url, StringComparison.Ordinal);
        Assert.Equal(huge.Length, await page.EvaluateAsync<int>("() => document.querySelector('#Form_Body').value.length"));
        Assert.Equal(title, await page.GetByLabel("Title", new() { Exact = true }).InputValueAsync());

        // Sent anyway (no script, or a hand-made request), the server refuses it the same way, beside the field, with the text sent back.
        // The form's fields as the page holds them (its token and one-time key), the text appended here rather than read back.
        var fields = await page.EvaluateAsync<Dictionary<string, string>>(
            "() => { const f = Object.fromEntries(new FormData(document.querySelector('main form'))); delete f['Form.Body']; return f; }");
        var form = page.Context.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Append(name, value);
        }

        form.Append("Form.Body", huge);

        var sent = await page.Context.APIRequest.PostAsync("/records/new", new() { Multipart = form, MaxRedirects = 0, Timeout = 120_000 });
        Assert.Equal(200, sent.Status);
        var html = await sent.TextAsync();
        Assert.Contains("This text is too long: at most 200000 characters.", html, StringComparison.Ordinal);
        Assert.Contains(huge, System.Net.WebUtility.HtmlDecode(html).ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var mine = await world.Analyst.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200");
        Assert.DoesNotContain(mine!["items"]!.AsArray(), r => r!["title"]!.GetValue<string>() == title);

        // Cut to the limit (its line breaks sent as CR LF count once), the same form goes through and the record holds every character.
        var whole = huge[..200_000];
        await SetTextAsync(page, whole);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the record" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/records/[0-9a-f-]{36}$"));
        var read = await world.Analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{page.Url[^36..]}");
        Assert.Equal(whole, read!["body"]!.GetValue<string>());
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Puts the text in as a paste leaves it: the field's value and an input event (inserting 5 MB keystroke-like takes
    /// Chromium minutes of bidi layout). The field sets no maxlength, which would have cut a real paste silently.
    /// </summary>
    private static async Task SetTextAsync(IPage page, string text)
    {
        var field = page.GetByLabel("Text", new() { Exact = true });
        Assert.Null(await field.GetAttributeAsync("maxlength"));
        await field.EvaluateAsync("(el, text) => { el.value = text; el.dispatchEvent(new Event('input', { bubbles: true })); }", text);
    }

    private static async Task FillAsync(IPage page, string title)
    {
        await page.GotoAsync("/records/new");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        Assert.Null(await page.GetByLabel("Text", new() { Exact = true }).GetAttributeAsync("maxlength"));
        await page.GetByLabel("Legal basis").FillAsync("Code de procédure pénale");
        await page.GetByLabel("Purpose", new() { Exact = true }).FillAsync("Prévention");
        await page.GetByLabel("Organised crime").CheckAsync();
    }

    /// <summary>A line of mixed Arabic and Latin text, as a pasted report would hold.</summary>
    private const string Line = "تقرير ميداني عن شحنة مراقبة في الميناء، rapport de terrain n° 2026/114.\n";
}
