using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Federation.Tests;

/// <summary>
/// Releases between two sovereign nodes: the record travels as a signed STIX 2.1 bundle and becomes a read-only copy
/// with its provenance on the partner's node; four-eyes holds it back until approved; a suspension hides the copy on
/// the partner's node, and so does the agreement's expiry by the partner's own clock, with no message at all.
/// </summary>
public sealed class ReleaseFederationTests : IAsyncLifetime
{
    private readonly AdjustableClock _spainClock = new(DateTimeOffset.UtcNow);
    private AgencyNode _morocco = null!;
    private AgencyNode _spain = null!;
    private TestUser _analyst = null!;
    private TestUser _reviewer = null!;
    private TestUser _partnerAnalyst = null!;
    private Guid _agreement;

    public async Task InitializeAsync()
    {
        _morocco = await AgencyNode.StartAsync("MA-DGST", "MA");
        _spain = await AgencyNode.StartAsync("ES-CNP", "ES", _spainClock);
        await _morocco.PeerWithAsync(_spain);
        await _spain.PeerWithAsync(_morocco);
        _analyst = await _morocco.Node.AddUserAsync(_morocco.Agency, "analyst.ma", [Role.Analyst]);
        _reviewer = await _morocco.Node.AddUserAsync(_morocco.Agency, "dpo.ma", [Role.LegalReviewer]);
        _partnerAnalyst = await _spain.Node.AddUserAsync(_spain.Agency, "analyst.es", [Role.Analyst]);
        var proposed = await _morocco.Administrator.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = "ES-CNP",
            threatDomains = new[] { "drug-trafficking", "organised-crime" },
            highestClassification = "CONFIDENTIAL",
            handlingCodes = new[] { "H1", "H2" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30),
        });
        _agreement = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => await _spain.AgreementAsync(_agreement) is not null, "the proposal reaches ES-CNP");
        Assert.Equal(HttpStatusCode.OK, (await _spain.Administrator.Client.PostAsync($"/api/v1/agreements/{_agreement}/accept", null)).StatusCode);
        await Eventually.HoldsAsync(async () => (await _morocco.AgreementAsync(_agreement))!["status"]!.GetValue<string>() == "in-force", "the acceptance reaches MA-DGST");
    }

    public async Task DisposeAsync()
    {
        await _morocco.Node.DisposeAsync();
        await _spain.Node.DisposeAsync();
    }

    [Fact]
    public async Task AReleasedRecord_BecomesAReadOnlyCopyWithProvenance_OnThePartnersNode()
    {
        var record = await CreateAsync("RESTRICTED", "Cargaison suivie à Algésiras");
        var released = await ReleaseAsync(record);
        Assert.Equal("released", released["status"]!.GetValue<string>());
        var copy = released["copy"]!.GetValue<Guid>();

        var seen = await CopyOnSpainAsync(copy);
        Assert.Equal("Cargaison suivie à Algésiras", seen["title"]!.GetValue<string>());
        Assert.Equal("RESTRICTED", seen["marking"]!["classification"]!.GetValue<string>());
        Assert.Equal("H1", seen["marking"]!["handling"]!.GetValue<string>());
        Assert.Equal("MA-DGST", seen["originator"]!["code"]!.GetValue<string>());
        Assert.Equal(record, seen["provenance"]!["originalRecord"]!.GetValue<Guid>());
        Assert.Equal(released["id"]!.GetValue<Guid>(), seen["provenance"]!["release"]!.GetValue<Guid>());
        Assert.Contains(seen["entities"]!.AsArray(), e => e!.ToJsonString().Contains("Youssef El Idrissi", StringComparison.Ordinal));

        // Read-only: the partner cannot change or delete what it received.
        Assert.True((await _partnerAnalyst.Client.DeleteAsync($"/api/v1/records/{copy}")).StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound);

        // Both nodes audited the release with the same payload digest: MA-DGST sent it, ES-CNP received it.
        var digest = (await _morocco.MessagesAsync()).Single(m => m!["type"]!.GetValue<string>() == "release.deliver")!["payloadDigest"]!.GetValue<string>();
        await using var spainDb = _spain.Node.Database.Open();
        Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.ReleaseReceive && e.TargetId == copy.ToString()));
        Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.FederationReceive && e.Detail!.Contains(digest)));
        await using var moroccoDb = _morocco.Node.Database.Open();
        Assert.True(await moroccoDb.AuditLog.AnyAsync(e => e.Action == AuditActions.FederationSend && e.Detail!.Contains(digest)));
        Assert.False(await moroccoDb.Records.AnyAsync(r => r.Id == new Domain.Common.RecordId(copy)), "the copy is held on the partner's node only");
    }

    [Fact]
    public async Task AConfidentialRelease_WaitsForTheSecondPerson_ThenReachesThePartner()
    {
        var record = await CreateAsync("CONFIDENTIAL", "Réseau de passeurs");
        var requested = await ReleaseAsync(record);
        Assert.Equal("awaiting-approval", requested["status"]!.GetValue<string>());
        await Task.Delay(500);
        Assert.DoesNotContain(await _morocco.MessagesAsync(), m => m!["type"]!.GetValue<string>() == "release.deliver");

        var approved = await _reviewer.Client.PostAsJsonAsync($"/api/v1/releases/{requested["id"]}/approve", new { reason = "checked" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var copy = (await approved.Content.ReadFromJsonAsync<JsonObject>())!["copy"]!.GetValue<Guid>();

        Assert.Equal("CONFIDENTIAL", (await CopyOnSpainAsync(copy))["marking"]!["classification"]!.GetValue<string>());
    }

    [Fact]
    public async Task ASuspension_HidesTheCopyOnThePartnersNode_AndTheAgreementsExpiryByThePartnersOwnClock_Too()
    {
        var copy = (await ReleaseAsync(await CreateAsync("RESTRICTED", "Suivi maritime")))["copy"]!.GetValue<Guid>();
        await CopyOnSpainAsync(copy);

        Assert.Equal(HttpStatusCode.OK, (await _morocco.Administrator.Client.PostAsJsonAsync($"/api/v1/agreements/{_agreement}/suspend", new { reason = "review" })).StatusCode);
        await Eventually.HoldsAsync(async () => (await _partnerAnalyst.Client.GetAsync($"/api/v1/records/{copy}")).StatusCode == HttpStatusCode.NotFound, "the suspension hides the copy on ES-CNP");
        Assert.Equal(HttpStatusCode.OK, (await _morocco.Administrator.Client.PostAsJsonAsync($"/api/v1/agreements/{_agreement}/resume", new { reason = "done" })).StatusCode);
        await CopyOnSpainAsync(copy);

        // MA-DGST's node is down: no message can arrive, and ES-CNP's own clock passes the agreement's last day.
        await _morocco.Node.StopAsync();
        _spainClock.Advance(TimeSpan.FromDays(32));
        Assert.Equal(HttpStatusCode.NotFound, (await _partnerAnalyst.Client.GetAsync($"/api/v1/records/{copy}")).StatusCode);
        await _morocco.Node.StartAgainAsync();
    }

    [Fact]
    public async Task ARecall_RemovesTheCopyOnThePartnersNode_AndThePartnerAcknowledgesIt()
    {
        var record = await CreateAsync("RESTRICTED", "Filature à Ceuta");
        var released = await ReleaseAsync(record);
        var copy = released["copy"]!.GetValue<Guid>();
        await CopyOnSpainAsync(copy);

        // The analyst who asked may not recall; the agency's legal reviewer may.
        Assert.Equal(HttpStatusCode.Forbidden, (await _analyst.Client.PostAsJsonAsync($"/api/v1/releases/{released["id"]}/recall", new { reason = "x" })).StatusCode);
        var recalled = await _reviewer.Client.PostAsJsonAsync($"/api/v1/releases/{released["id"]}/recall", new { reason = "source compromised" });
        Assert.Equal(HttpStatusCode.OK, recalled.StatusCode);
        Assert.Equal("recalled", (await recalled.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());

        await Eventually.HoldsAsync(async () => (await _partnerAnalyst.Client.GetAsync($"/api/v1/records/{copy}")).StatusCode == HttpStatusCode.NotFound, "the copy is gone on ES-CNP");
        await Eventually.HoldsAsync(
            async () => (await _morocco.MessagesAsync()).Any(m => m!["type"]!.GetValue<string>() == "release.recall" && m["status"]!.GetValue<string>() == "delivered"),
            "ES-CNP acknowledged the recall");
        await using (var spainDb = _spain.Node.Database.Open())
        {
            Assert.False(await spainDb.Records.AnyAsync(r => r.Id == new Domain.Common.RecordId(copy)));
            Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.ReleaseRecall && e.TargetId == copy.ToString()));
        }

        // A recalled release is closed: the record may be released again, as a new release with a new copy.
        var again = await ReleaseAsync(record);
        await CopyOnSpainAsync(again["copy"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task ARecordAboveWhatTheAgreementAllows_IsRefusedByTheSender_AndNothingTravels()
    {
        var record = await CreateAsync("SECRET", "Source humaine");
        var refused = await _analyst.Client.PostAsJsonAsync($"/api/v1/records/{record}/releases", new { agency = "ES-CNP" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(await _morocco.MessagesAsync(), m => m!["type"]!.GetValue<string>() == "release.deliver");
    }

    private async Task<Guid> CreateAsync(string classification, string title)
    {
        var response = await _analyst.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: title, classification: classification));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private async Task<JsonObject> ReleaseAsync(Guid record)
    {
        var response = await _analyst.Client.PostAsJsonAsync($"/api/v1/records/{record}/releases", new { agency = "ES-CNP" });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<JsonObject> CopyOnSpainAsync(Guid copy)
    {
        await Eventually.HoldsAsync(
            async () => (await _partnerAnalyst.Client.GetAsync($"/api/v1/records/{copy}")).IsSuccessStatusCode,
            () => $"copy {copy} readable on ES-CNP; messages sent: {_morocco.MessagesAsync().GetAwaiter().GetResult().ToJsonString()}");
        return (await _partnerAnalyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{copy}"))!;
    }
}
