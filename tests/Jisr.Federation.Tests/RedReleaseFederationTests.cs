using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Federation.Tests;

/// <summary>
/// TLP:RED releases to another node's agency: the releasing node names the recipients by user name (it does not know
/// that node's users); the recipient's node resolves them among that agency's users, and only they read the copy there.
/// </summary>
public sealed class RedReleaseFederationTests : IAsyncLifetime
{
    private AgencyNode _morocco = null!;
    private AgencyNode _spain = null!;
    private TestUser _analyst = null!;
    private TestUser _reviewer = null!;
    private TestUser _named = null!;
    private TestUser _colleague = null!;

    public async Task InitializeAsync()
    {
        _morocco = await AgencyNode.StartAsync("MA-DGST", "MA");
        _spain = await AgencyNode.StartAsync("ES-CNP", "ES");
        await _morocco.PeerWithAsync(_spain);
        await _spain.PeerWithAsync(_morocco);
        _analyst = await _morocco.Node.AddUserAsync(_morocco.Agency, "analyst.ma", [Role.Analyst]);
        _reviewer = await _morocco.Node.AddUserAsync(_morocco.Agency, "dpo.ma", [Role.LegalReviewer]);
        _named = await _spain.Node.AddUserAsync(_spain.Agency, "named.es", [Role.Analyst]);
        _colleague = await _spain.Node.AddUserAsync(_spain.Agency, "colleague.es", [Role.Analyst]);
        var proposed = await _morocco.Administrator.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = "ES-CNP",
            threatDomains = new[] { "drug-trafficking", "organised-crime" },
            highestClassification = "CONFIDENTIAL",
            handlingCodes = new[] { "H1" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30),
        });
        var agreement = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => await _spain.AgreementAsync(agreement) is not null, "the proposal reaches ES-CNP");
        Assert.Equal(HttpStatusCode.OK, (await _spain.Administrator.Client.PostAsync($"/api/v1/agreements/{agreement}/accept", null)).StatusCode);
        await Eventually.HoldsAsync(async () => (await _morocco.AgreementAsync(agreement))!["status"]!.GetValue<string>() == "in-force", "the acceptance reaches MA-DGST");
    }

    public async Task DisposeAsync()
    {
        await _morocco.Node.DisposeAsync();
        await _spain.Node.DisposeAsync();
    }

    [Fact]
    public async Task ARedRelease_NamingAPartnerNodesUser_IsReadByThatUserOnly_OnThePartnersNode()
    {
        var record = await CreateRedAsync("Source au port de Tanger");

        // Naming nobody is refused at once (a TLP:RED release goes to named people).
        Assert.Equal(HttpStatusCode.BadRequest, (await _analyst.Client.PostAsJsonAsync($"/api/v1/records/{record}/releases", new { agency = "ES-CNP" })).StatusCode);

        var copy = await ReleaseAndApproveAsync(record, "named.es");
        await Eventually.HoldsAsync(async () => (await _named.Client.GetAsync($"/api/v1/records/{copy}")).IsSuccessStatusCode, "the named user reads the copy on ES-CNP");
        var seen = (await _named.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{copy}"))!;
        Assert.Equal("RED", seen["marking"]!["tlp"]!.GetValue<string>());
        Assert.Equal([_named.Id], seen["recipients"]!.AsArray().Select(r => r!.GetValue<Guid>()));

        // Nobody else on ES-CNP: not a colleague of the same agency, not its administrator; not in their lists either.
        Assert.Equal(HttpStatusCode.NotFound, (await _colleague.Client.GetAsync($"/api/v1/records/{copy}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _spain.Administrator.Client.GetAsync($"/api/v1/records/{copy}")).StatusCode);
        Assert.DoesNotContain(copy.ToString(), await (await _colleague.Client.GetAsync("/api/v1/records")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(copy.ToString(), await (await _named.Client.GetAsync("/api/v1/records")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARedRelease_NamingSomeoneWhoIsNotAUserThere_IsRejectedByThePartnersNode_AndNoCopyExists()
    {
        var record = await CreateRedAsync("Informateur à Ceuta");
        var copy = await ReleaseAndApproveAsync(record, "named.es", "nobody.es");

        await Eventually.HoldsAsync(
            async () => (await _morocco.MessagesAsync()).Any(m => m!["type"]!.GetValue<string>() == "release.deliver" && m["status"]!.GetValue<string>() == "rejected"),
            "ES-CNP rejects the release and says so in its signed acknowledgement");
        var rejected = (await _morocco.MessagesAsync()).Single(m => m!["type"]!.GetValue<string>() == "release.deliver")!;
        Assert.Contains("1 of the 2 named recipients are not users of the recipient agency", rejected["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("nobody.es", rejected["lastError"]!.GetValue<string>(), StringComparison.Ordinal);

        await using var spainDb = _spain.Node.Database.Open();
        Assert.False(await spainDb.Records.AnyAsync(r => r.Id == new Domain.Common.RecordId(copy)));
        Assert.Equal(HttpStatusCode.NotFound, (await _named.Client.GetAsync($"/api/v1/records/{copy}")).StatusCode);
    }

    private async Task<Guid> CreateRedAsync(string title)
    {
        var request = RecordRequests.Valid(title: title);
        request["marking"] = new JsonObject { ["classification"] = "RESTRICTED", ["tlp"] = "RED", ["handling"] = "H1" };
        request["recipients"] = new JsonArray("dpo.ma"); // the second person must be able to read what they approve
        var response = await _analyst.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    /// <summary>Releases with four-eyes (TLP:RED always needs the second person); returns the copy's id.</summary>
    private async Task<Guid> ReleaseAndApproveAsync(Guid record, params string[] recipients)
    {
        var requested = await _analyst.Client.PostAsJsonAsync($"/api/v1/records/{record}/releases", new { agency = "ES-CNP", recipients });
        Assert.True(requested.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted, $"{(int)requested.StatusCode} {await requested.Content.ReadAsStringAsync()}");
        var release = (await requested.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("awaiting-approval", release["status"]!.GetValue<string>());
        var approved = await _reviewer.Client.PostAsJsonAsync($"/api/v1/releases/{release["id"]}/approve", new { reason = "checked" });
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        return (await approved.Content.ReadFromJsonAsync<JsonObject>())!["copy"]!.GetValue<Guid>();
    }
}
