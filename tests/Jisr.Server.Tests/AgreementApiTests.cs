using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Agencies;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>Three agencies with an administrator and an analyst each.</summary>
public sealed class AgreementFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public Agency Police { get; private set; } = null!;

    public TestUser PoliceAdmin { get; private set; } = null!;

    public TestUser PoliceAnalyst { get; private set; } = null!;

    public TestUser PartnerAdmin { get; private set; } = null!;

    public TestUser OutsiderAdmin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await TestNode.StartAsync();
        Police = await Node.AddAgencyAsync("MA-POL");
        var partner = await Node.AddAgencyAsync("ES-POL", "ES");
        var outsider = await Node.AddAgencyAsync("FR-INT", "FR");
        PoliceAdmin = await Node.AddUserAsync(Police, "admin.pol", [Role.Administrator]);
        PoliceAnalyst = await Node.AddUserAsync(Police, "analyst.pol", [Role.Analyst]);
        PartnerAdmin = await Node.AddUserAsync(partner, "admin.es", [Role.Administrator]);
        OutsiderAdmin = await Node.AddUserAsync(outsider, "admin.fr", [Role.Administrator]);
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

public sealed class AgreementApiTests(AgreementFixture fixture) : IClassFixture<AgreementFixture>
{
    private static JsonObject Proposal(string partner = "ES-POL", int startInDays = 1) => new()
    {
        ["partner"] = partner,
        ["threatDomains"] = new JsonArray("drug-trafficking", "migrant-smuggling"),
        ["highestClassification"] = "CONFIDENTIAL",
        ["handlingCodes"] = new JsonArray("H0", "H1"),
        ["validFrom"] = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(startInDays)).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["validUntil"] = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(2)).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task<Guid> ProposeAsync()
    {
        var response = await fixture.PoliceAdmin.Client.PostAsJsonAsync("/api/v1/agreements", Proposal());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("proposed", body!["status"]!.GetValue<string>());
        return body["id"]!.GetValue<Guid>();
    }

    private static async Task<(HttpStatusCode Status, JsonObject? Body)> PostAsync(TestUser user, string path, object? body = null)
    {
        var response = await user.Client.PostAsJsonAsync(path, body ?? new { reason = "review of the partnership" });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonObject>());
    }

    [Fact]
    public async Task Agreement_Lifecycle_ProposeAcceptSuspendResumeEnd()
    {
        var id = await ProposeAsync();

        var accepted = await PostAsync(fixture.PartnerAdmin, $"/api/v1/agreements/{id}/accept", new { });
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal("in-force", accepted.Body!["status"]!.GetValue<string>());

        var suspended = await PostAsync(fixture.PoliceAdmin, $"/api/v1/agreements/{id}/suspend");
        Assert.Equal("suspended", suspended.Body!["status"]!.GetValue<string>());
        Assert.Equal("review of the partnership", suspended.Body["statusReason"]!.GetValue<string>());

        // A suspension is the suspending party's safeguard: the partner cannot lift it.
        var liftedByThePartner = await PostAsync(fixture.PartnerAdmin, $"/api/v1/agreements/{id}/resume");
        Assert.Equal(HttpStatusCode.Forbidden, liftedByThePartner.Status);
        Assert.Contains("suspended this agreement", liftedByThePartner.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var resumed = await PostAsync(fixture.PoliceAdmin, $"/api/v1/agreements/{id}/resume");
        Assert.Equal("in-force", resumed.Body!["status"]!.GetValue<string>());

        var ended = await PostAsync(fixture.PartnerAdmin, $"/api/v1/agreements/{id}/end");
        Assert.Equal("ended", ended.Body!["status"]!.GetValue<string>());

        await using var db = fixture.Node.Database.Open();
        var actions = db.AuditLog.Where(e => e.TargetId == id.ToString("D")).OrderBy(e => e.Sequence).Select(e => e.Action).ToList();
        Assert.Equal(["agreement.propose", "agreement.accept", "agreement.suspend", "agreement.resume", "agreement.end"], actions);
    }

    [Fact]
    public async Task Accept_ByTheProposer_IsRefused_AndAcceptingTwiceIsRefused()
    {
        var id = await ProposeAsync();

        // Not allowed to this party (the policy: 403); accepting twice is the agreement's state (409).
        var self = await PostAsync(fixture.PoliceAdmin, $"/api/v1/agreements/{id}/accept", new { });
        Assert.Equal(HttpStatusCode.Forbidden, self.Status);
        Assert.Contains("cannot accept", self.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(fixture.PartnerAdmin, $"/api/v1/agreements/{id}/accept", new { })).Status);
        var twice = await PostAsync(fixture.PartnerAdmin, $"/api/v1/agreements/{id}/accept", new { });
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
    }

    [Fact]
    public async Task Agreement_IsInvisibleToAThirdAgency()
    {
        var id = await ProposeAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await fixture.OutsiderAdmin.Client.GetAsync($"/api/v1/agreements/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(fixture.OutsiderAdmin, $"/api/v1/agreements/{id}/accept", new { })).Status);
        var list = await fixture.OutsiderAdmin.Client.GetFromJsonAsync<JsonArray>("/api/v1/agreements");
        Assert.DoesNotContain(list!, a => a!["id"]!.GetValue<Guid>() == id);
    }

    [Fact]
    public async Task Agreement_IsForAdministrators()
    {
        var response = await fixture.PoliceAnalyst.Client.PostAsJsonAsync("/api/v1/agreements", Proposal());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("MA-POL", 1, "partner")]
    [InlineData("XX-NONE", 1, "partner")]
    [InlineData("ES-POL", -3, "validFrom")]
    public async Task Propose_WithBadInput_IsRefusedNamingTheField_AndWritesNothing(string partner, int startInDays, string field)
    {
        await using var before = fixture.Node.Database.Open();
        var count = before.Agreements.Count();

        var response = await fixture.PoliceAdmin.Client.PostAsJsonAsync("/api/v1/agreements", Proposal(partner, startInDays));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(problem!["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        await using var after = fixture.Node.Database.Open();
        Assert.Equal(count, after.Agreements.Count());
    }

    [Fact]
    public async Task Suspend_WithoutAReason_IsRefused()
    {
        var id = await ProposeAsync();
        await PostAsync(fixture.PartnerAdmin, $"/api/v1/agreements/{id}/accept", new { });

        var response = await PostAsync(fixture.PoliceAdmin, $"/api/v1/agreements/{id}/suspend", new { reason = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.True(response.Body!["errors"]!.AsObject().ContainsKey("reason"));
    }
}
