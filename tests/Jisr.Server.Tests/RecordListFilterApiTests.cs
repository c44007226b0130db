using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>
/// <c>GET /api/v1/records</c> narrowed by threat domain, classification, originator and creation dates: the same
/// store filter as the web list (after the read rule), paged, audited with the filter; a bad filter answers 400.
/// </summary>
public sealed class RecordListFilterApiTests : IAsyncLifetime
{
    private TestNode _node = null!;
    private TestUser _analyst = null!;
    private TestUser _stranger = null!;
    private TestUser _reviewer = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync();
        var own = await _node.AddAgencyAsync("MA-FLT");
        var other = await _node.AddAgencyAsync("TN-FLT", "TN");
        _analyst = await _node.AddUserAsync(own, "analyst.flt", [Role.Analyst], Classification.Secret);
        _reviewer = await _node.AddUserAsync(own, "dpo.flt", [Role.LegalReviewer], Classification.Secret);
        _stranger = await _node.AddUserAsync(other, "analyst.other", [Role.Analyst], Classification.Secret);
        await CreateAsync(_analyst, "terror-confidential", "terrorism", "CONFIDENTIAL");
        await CreateAsync(_analyst, "drugs-restricted", "drug-trafficking", "RESTRICTED");
        await CreateAsync(_analyst, "drugs-confidential", "drug-trafficking", "CONFIDENTIAL");

        // The other agency's record of the same domain is never listed, filter or not.
        await CreateAsync(_stranger, "foreign-drugs", "drug-trafficking", "CONFIDENTIAL");
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("", "terror-confidential,drugs-restricted,drugs-confidential")]
    [InlineData("threatDomain=drug-trafficking", "drugs-restricted,drugs-confidential")]
    [InlineData("classification=CONFIDENTIAL", "terror-confidential,drugs-confidential")]
    [InlineData("threatDomain=drug-trafficking&classification=CONFIDENTIAL", "drugs-confidential")]
    [InlineData("originator=MA-FLT", "terror-confidential,drugs-restricted,drugs-confidential")]
    [InlineData("originator=TN-FLT", "")]
    [InlineData("createdFrom={today}&createdTo={today}", "terror-confidential,drugs-restricted,drugs-confidential")]
    [InlineData("createdFrom={tomorrow}", "")]
    [InlineData("createdTo={yesterday}", "")]
    public async Task A_filter_narrows_the_list_to_what_the_caller_may_read(string query, string expected)
    {
        var titles = await ListAllAsync(_analyst, Dates(query));
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(), titles.Order());
    }

    [Fact]
    public async Task A_filtered_list_pages_with_its_cursor_and_is_audited_with_its_filter()
    {
        // One a page: the cursor carries on within the filter (the request repeats it).
        var titles = await ListAllAsync(_analyst, "threatDomain=drug-trafficking", limit: 1);
        Assert.Equal(["drugs-confidential", "drugs-restricted"], titles);

        var audit = await _reviewer.Client.GetFromJsonAsync<JsonArray>("/api/v1/audit?action=record.list");
        Assert.Contains(audit!, e => e!.ToJsonString().Contains("1 records; domain=drug-trafficking", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("threatDomain=piracy-on-land", "threatDomain")]
    [InlineData("classification=TOP-SECRET", "classification")]
    [InlineData("originator=XX-NONE", "originator")]
    [InlineData("createdFrom=30/11/2026", "createdFrom")]
    [InlineData("createdFrom=2026-12-02&createdTo=2026-12-01", "createdTo")]
    public async Task A_bad_filter_is_a_problem_naming_the_parameter_not_the_whole_list(string query, string parameter)
    {
        var response = await _analyst.Client.GetAsync("/api/v1/records?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains(parameter, problem!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_carries_its_stable_code_beside_the_english_detail()
    {
        var response = await _analyst.Client.GetAsync("/api/v1/records?classification=TRES-SECRET");
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("not-one-of", problem["code"]!.GetValue<string>());
        Assert.StartsWith("classification: 'TRES-SECRET' is not one of", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task CreateAsync(TestUser user, string title, string domain, string classification)
    {
        var request = RecordRequests.Valid(title, classification: classification);
        request["threatDomains"] = new JsonArray(domain);
        var created = await user.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private static async Task<List<string>> ListAllAsync(TestUser user, string query, int limit = 50)
    {
        var titles = new List<string>();
        string? cursor = null;
        do
        {
            var address = $"/api/v1/records?limit={limit}" + (query.Length > 0 ? "&" + query : string.Empty) + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = (await user.Client.GetFromJsonAsync<JsonObject>(address))!;
            titles.AddRange(page["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()));
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);
        return titles;
    }

    private static string Dates(string query)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return query
            .Replace("{today}", Iso(today), StringComparison.Ordinal)
            .Replace("{tomorrow}", Iso(today.AddDays(1)), StringComparison.Ordinal)
            .Replace("{yesterday}", Iso(today.AddDays(-1)), StringComparison.Ordinal);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
