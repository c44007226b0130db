using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Testing;

namespace Jisr.Server.Tests;

public sealed class SubjectAccessApiTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    private async Task<(Guid Record, Guid Person)> CreateAsync()
    {
        var request = RecordRequests.Valid(title: "تقرير عن <script>alert(1)</script>");
        request["entities"]![0]!["names"] = new JsonArray("يوسف الإدريسي", "Youssef <b>El</b> Idrissi");
        var response = await fixture.Analyst.Client.PostAsJsonAsync("/api/v1/records", request);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        var person = body!["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();
        return (body["id"]!.GetValue<Guid>(), person);
    }

    private static HttpRequestMessage Export(Guid person, string format = "json", string? purpose = "demande d'accès DPO-2026-12")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/persons/{person}/subject-access?format={format}");
        if (purpose is not null)
        {
            request.Headers.Add("X-Jisr-Purpose", Uri.EscapeDataString(purpose));
        }

        return request;
    }

    [Fact]
    public async Task Export_HasThePersonTheirRecordsLinksAndAuditEntries()
    {
        var (record, person) = await CreateAsync();
        await fixture.Analyst.Client.GetAsync($"/api/v1/records/{record}");

        using var request = Export(person);
        var response = await fixture.Reviewer.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var export = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(person, export!["person"]!["id"]!.GetValue<Guid>());
        Assert.Contains(export["records"]!.AsArray(), r => r!["id"]!.GetValue<Guid>() == record);
        Assert.Contains(export["links"]!.AsArray(), l => l!["from"]!.GetValue<Guid>() == person);
        var actions = export["auditEntries"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("record.create", actions);
        Assert.Contains("record.read", actions);
    }

    [Fact]
    public async Task HtmlReport_EncodesMarkup_KeepsArabicReadable()
    {
        var (_, person) = await CreateAsync();

        using var request = Export(person, "html");
        var response = await fixture.Reviewer.Client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>El</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("يوسف الإدريسي", html, StringComparison.Ordinal);
        Assert.Contains("dir=\"auto\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_IsForLegalReviewers_WithAPurpose_AndIsAudited()
    {
        var (_, person) = await CreateAsync();

        using var byAnalyst = Export(person);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Analyst.Client.SendAsync(byAnalyst)).StatusCode);
        using var noPurpose = Export(person, purpose: null);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Reviewer.Client.SendAsync(noPurpose)).StatusCode);
        using var unknown = Export(Guid.NewGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Reviewer.Client.SendAsync(unknown)).StatusCode);

        using var ok = Export(person);
        await fixture.Reviewer.Client.SendAsync(ok);
        var audit = await fixture.Reviewer.Client.GetFromJsonAsync<JsonArray>($"/api/v1/audit?action=subject-access.export&target={person}");
        Assert.Contains(audit!, a => a!["purpose"]!.GetValue<string>() == "demande d'accès DPO-2026-12");
    }
}
