using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Server.Tests;

public sealed class ReviewFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public TestUser Analyst { get; private set; } = null!;

    public TestUser Reviewer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await TestNode.StartAsync();
        var agency = await Node.AddAgencyAsync("MA-REV");
        Analyst = await Node.AddUserAsync(agency, "analyst.rev", [Role.Analyst]);
        Reviewer = await Node.AddUserAsync(agency, "dpo.rev", [Role.LegalReviewer]);
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

public sealed class ReviewApiTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    private static string Date(int days) => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(days)).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<Guid> CreateDueRecordAsync()
    {
        var request = RecordRequests.Valid(title: "due " + Guid.NewGuid().ToString("N"));
        request["reviewDate"] = Date(-1);
        var response = await fixture.Analyst.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private async Task<List<Guid>> QueueAsync()
    {
        var page = await fixture.Reviewer.Client.GetFromJsonAsync<JsonObject>("/api/v1/review-queue?limit=200");
        return [.. page!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>())];
    }

    [Fact]
    public async Task Queue_ShowsDueRecordsToLegalReviewersOnly()
    {
        var id = await CreateDueRecordAsync();

        Assert.Contains(id, await QueueAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Analyst.Client.GetAsync("/api/v1/review-queue")).StatusCode);
    }

    [Fact]
    public async Task Extend_MovesTheReviewDate_AndRecordsTheReason()
    {
        var id = await CreateDueRecordAsync();

        var response = await fixture.Reviewer.Client.PostAsJsonAsync($"/api/v1/records/{id}/review", new { decision = "extend", reviewDate = Date(180), reason = "enquête en cours, dossier 2026/114" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(id, await QueueAsync());
        var audit = await fixture.Reviewer.Client.GetFromJsonAsync<JsonArray>($"/api/v1/audit?action=record.review.extend&target={id}");
        Assert.Contains("dossier 2026/114", Assert.Single(audit!)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_RemovesTheRecord_WithTheReasonInTheAudit()
    {
        var id = await CreateDueRecordAsync();

        var response = await fixture.Reviewer.Client.PostAsJsonAsync($"/api/v1/records/{id}/review", new { decision = "delete", reason = "no longer necessary for the purpose" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Analyst.Client.GetAsync($"/api/v1/records/{id}")).StatusCode);
        var audit = await fixture.Reviewer.Client.GetFromJsonAsync<JsonArray>($"/api/v1/audit?action=record.delete&target={id}");
        Assert.Contains("no longer necessary", Assert.Single(audit!)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("extend", -5, "a reason", "reviewDate")]
    [InlineData("extend", 30, "", "reason")]
    [InlineData("archive", 30, "a reason", "decision")]
    public async Task Review_WithBadInput_IsRefusedNamingTheField(string decision, int days, string reason, string field)
    {
        var id = await CreateDueRecordAsync();

        var response = await fixture.Reviewer.Client.PostAsJsonAsync($"/api/v1/records/{id}/review", new { decision, reviewDate = Date(days), reason });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey(field));
        Assert.Contains(id, await QueueAsync());
    }

    [Fact]
    public async Task Review_ByAnAnalyst_IsForbidden()
    {
        var id = await CreateDueRecordAsync();

        var response = await fixture.Analyst.Client.PostAsJsonAsync($"/api/v1/records/{id}/review", new { decision = "delete", reason = "x" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Audit_ShowsWhoSearchedForWhatAndWhy()
    {
        using var search = new HttpRequestMessage(HttpMethod.Get, "/api/v1/records/search?q=Tanger");
        search.Headers.Add("X-Jisr-Purpose", "enquete 2026/55");
        await fixture.Analyst.Client.SendAsync(search);

        var audit = await fixture.Reviewer.Client.GetFromJsonAsync<JsonArray>("/api/v1/audit?action=search");

        Assert.Contains(audit!, e => e!["purpose"]?.GetValue<string>() == "enquete 2026/55" && e["actor"]!.GetValue<string>() == "analyst.rev"
            && e["detail"]!.GetValue<string>().Contains("q=Tanger", StringComparison.Ordinal));
    }
}
