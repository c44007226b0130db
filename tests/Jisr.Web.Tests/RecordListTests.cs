using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jisr.Testing;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class RecordListTests(WebWorld world)
{
    [Fact]
    public async Task The_list_filters_by_domain_classification_originator_and_date_and_pages_through_the_filtered_records()
    {
        var tag = "flt" + Guid.NewGuid().ToString("N")[..6];

        // 26 confidential human-trafficking records (one more than a page), and two that tell "terrorism" from "terrorism-financing".
        var trafficking = Enumerable.Range(0, 26).Select(i => $"{tag} traite {i:00}").ToList();
        foreach (var batch in trafficking.Chunk(6))
        {
            await Task.WhenAll(batch.Select(t => CreateAsync(t, "CONFIDENTIAL", "human-trafficking")));
        }

        await CreateAsync($"{tag} terrorisme", "RESTRICTED", "terrorism");
        await CreateAsync($"{tag} financement", "RESTRICTED", "terrorism-financing");

        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync("/records");
        await page.GetByLabel("Threat domain").SelectOptionAsync("human-trafficking");
        await page.GetByLabel("Classification").SelectOptionAsync("CONFIDENTIAL");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply the filters" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("domain=human-trafficking.*classification=CONFIDENTIAL", RegexOptions.IgnoreCase));

        var rows = page.Locator("main table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(25);
        var seen = (await rows.Locator("td:first-child").AllTextContentsAsync()).Select(t => t.Trim()).ToList();
        await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("cursor="));
        Assert.Contains("domain=human-trafficking", page.Url, StringComparison.OrdinalIgnoreCase);
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        seen.AddRange((await rows.Locator("td:first-child").AllTextContentsAsync()).Select(t => t.Trim()));
        Assert.Equal(trafficking.OrderBy(t => t, StringComparer.Ordinal), seen.OrderBy(t => t, StringComparer.Ordinal));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Next page" })).ToHaveCountAsync(0);

        // A domain matches whole: "terrorism" is not "terrorism-financing".
        await page.GotoAsync("/records?domain=terrorism");
        await Assertions.Expect(page.Locator("main table")).ToContainTextAsync($"{tag} terrorisme");
        await Assertions.Expect(page.Locator("main table")).Not.ToContainTextAsync($"{tag} financement");

        // By originator: the partner's released copy, none of our own records.
        await page.GotoAsync("/records");
        await page.GetByLabel("Originator").SelectOptionAsync("TN-DGSN");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply the filters" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("originator=TN-DGSN", RegexOptions.IgnoreCase));
        await Assertions.Expect(page.Locator("main table")).ToContainTextAsync(WebWorld.PartnerCopyTitle);
        await Assertions.Expect(page.Locator("main table")).Not.ToContainTextAsync(tag);
        Assert.DoesNotContain(WebWorld.PartnerUnreleasedTitle, await page.ContentAsync(), StringComparison.Ordinal);

        // By date: created today is there, from tomorrow nothing; an end before the start is said beside the field.
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GotoAsync($"/records?domain=terrorism&from={today}&to={today}");
        await Assertions.Expect(page.Locator("main table")).ToContainTextAsync($"{tag} terrorisme");
        await page.GotoAsync($"/records?from={tomorrow}");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("No records.");
        await page.GotoAsync($"/records?from={tomorrow}&to={today}");
        await Assertions.Expect(page.Locator("#to-error")).ToHaveTextAsync("The end date comes before the start date.");
        await page.GotoAsync("/records?classification=TOP-SECRET-ISH");
        await Assertions.Expect(page.Locator(".errors")).ToContainTextAsync("Choose a value from the list.");
        await Assertions.Expect(page.Locator("main table")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();

        // The list's audit entry names the filter it was read with.
        var audit = await world.Reviewer.Client.GetFromJsonAsync<JsonArray>("/api/v1/audit?action=record.list");
        Assert.Contains(audit!, e => e!.ToJsonString().Contains("domain=human-trafficking; classification=CONFIDENTIAL", StringComparison.Ordinal));
    }

    private async Task CreateAsync(string title, string classification, string domain)
    {
        var request = RecordRequests.Valid(title, classification: classification);
        request["threatDomains"] = new JsonArray(domain);
        var created = await world.Analyst.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }
}
