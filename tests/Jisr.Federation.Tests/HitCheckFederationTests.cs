using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Users;
using Jisr.Exchange.HitCheck;
using Jisr.Server.Federation;
using Jisr.Server.HitCheck;
using Jisr.Storage;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Federation.Tests;

/// <summary>
/// Hit/no-hit between two real nodes: ES-CNP publishes a filter of what it holds under its agreement with MA-DGST;
/// MA-DGST checks names and identifiers against it at home and learns hit (and whom to ask) or no-hit; a suspension
/// stops hits at once; bad filters are refused with the reason and audited on both sides.
/// </summary>
public sealed class HitCheckFederationTests : IAsyncLifetime
{
    private const string PurposeHeader = "X-Jisr-Purpose";
    private AgencyNode _morocco = null!;
    private AgencyNode _spain = null!;
    private TestUser _analyst = null!;
    private TestUser _spanishAnalyst = null!;
    private Guid _agreement;

    public async Task InitializeAsync()
    {
        _morocco = await AgencyNode.StartAsync("MA-DGST", "MA");
        _spain = await AgencyNode.StartAsync("ES-CNP", "ES");
        await _morocco.PeerWithAsync(_spain);
        await _spain.PeerWithAsync(_morocco);
        _analyst = await _morocco.Node.AddUserAsync(_morocco.Agency, "analyst.ma", [Role.Analyst]);
        _spanishAnalyst = await _spain.Node.AddUserAsync(_spain.Agency, "analyst.es", [Role.Analyst]);
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
    public async Task AHit_NamesThePartnerAndTheQueryParts_ASuspensionStopsHitsAtOnce_AndBothNodesAudit()
    {
        await HoldAsync(_spanishAnalyst, "RESTRICTED", ["Youssef El Idrissi"]);
        await HoldAsync(_spanishAnalyst, "SECRET", ["Karim Benali Tazi"]); // above the agreement: never in the filter
        await PublishAndWaitAsync(1);

        var hit = await CheckAsync(new { name = "يوسف الإدريسي" });
        Assert.Equal("hit", hit["result"]!.GetValue<string>());
        var partner = Assert.Single(hit["hits"]!.AsArray())!;
        Assert.Equal("ES-CNP", partner["agencyCode"]!.GetValue<string>());
        Assert.Equal(_agreement, partner["agreementId"]!.GetValue<Guid>());
        Assert.NotEmpty(partner["parts"]!.AsArray());
        Assert.Equal("hit", partner["strength"]!.GetValue<string>());

        // One part of the held name only ("Karim Idrissi" / Youssef El Idrissi): a possible hit, marked as such.
        var possible = await CheckAsync(new { name = "Karim Idrissi" });
        Assert.Equal("possible-hit", possible["result"]!.GetValue<string>());
        var weak = Assert.Single(possible["hits"]!.AsArray())!;
        Assert.Equal("possible", weak["strength"]!.GetValue<string>());
        Assert.Equal(["idrissi"], weak["parts"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("hit", (await CheckAsync(new { identifier = "passport:MA:AB123456" }))["result"]!.GetValue<string>());
        Assert.Equal("hit", (await CheckAsync(new { identifier = "phone:+212661234567" }))["result"]!.GetValue<string>());
        Assert.Equal("no-hit", (await CheckAsync(new { name = "Karim Benali Tazi" }))["result"]!.GetValue<string>());
        Assert.Equal("no-hit", (await CheckAsync(new { name = "Khalid Ouazzani" }))["result"]!.GetValue<string>());

        // No purpose: refused before anything is read; a user of another role: 403.
        Assert.Equal(HttpStatusCode.BadRequest, (await _analyst.Client.PostAsJsonAsync("/api/v1/hits/check", new { name = "Youssef El Idrissi" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(_morocco.Administrator, new { name = "Youssef El Idrissi" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(_analyst, new { name = "Youssef El Idrissi", identifier = "phone:+212661234567" })).StatusCode);

        // Both sides audit: ES-CNP what it published, MA-DGST what it took and every check with its purpose.
        await using (var spainDb = _spain.Node.Database.Open())
        {
            Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.HitFilterPublish && e.TargetId == _agreement.ToString()));
        }

        await using (var moroccoDb = _morocco.Node.Database.Open())
        {
            Assert.True(await moroccoDb.AuditLog.AnyAsync(e => e.Action == AuditActions.HitFilterReceive));
            Assert.True(await moroccoDb.AuditLog.CountAsync(e => e.Action == AuditActions.HitCheck && e.Purpose == "enquête 2026/114" && e.Outcome == AuditOutcomes.Success) >= 5);
        }

        // ES-CNP suspends: the agreement changes on MA-DGST, and from then on no hit, whatever the filter held.
        Assert.Equal(HttpStatusCode.OK, (await _spain.Administrator.Client.PostAsJsonAsync($"/api/v1/agreements/{_agreement}/suspend", new { reason = "review" })).StatusCode);
        await Eventually.HoldsAsync(async () => (await _morocco.AgreementAsync(_agreement))!["status"]!.GetValue<string>() == "suspended", "the suspension reaches MA-DGST");
        var afterSuspension = await CheckAsync(new { name = "Youssef El Idrissi" });
        Assert.Equal("no-hit", afterSuspension["result"]!.GetValue<string>());
        Assert.Equal(0, afterSuspension["filtersChecked"]!.GetValue<int>());
        Assert.Equal("no-hit", (await CheckAsync(new { name = "Karim Idrissi" }))["result"]!.GetValue<string>()); // possible hits stop too

        // Resumed: the old filter stays unused; a new one (a new key) is published and hits again.
        Assert.Equal(HttpStatusCode.OK, (await _spain.Administrator.Client.PostAsJsonAsync($"/api/v1/agreements/{_agreement}/resume", new { reason = "done" })).StatusCode);
        await Eventually.HoldsAsync(async () => (await _morocco.AgreementAsync(_agreement))!["status"]!.GetValue<string>() == "in-force", "the resumption reaches MA-DGST");
        // (The node republishes by itself on the resumption within seconds, so the new filter may be there already.)
        var resumed = await CheckAsync(new { name = "Youssef El Idrissi" });
        Assert.True(resumed["filtersChecked"]!.GetValue<int>() == 0 || await ReceivedSinceResumptionAsync(), resumed.ToJsonString());
        await PublishAndWaitAsync(1, after: 1);
        Assert.Equal("hit", (await CheckAsync(new { name = "Youssef El Idrissi" }))["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task TransliteratedNames_SplitAcrossTheTwoNodes_Hit()
    {
        var pairs = Pairs("dev.tsv").Concat(Pairs("un-dev.tsv")).ToList();
        foreach (var chunk in pairs.Select(p => p.B).Chunk(400))
        {
            await HoldAsync(_spanishAnalyst, "RESTRICTED", chunk);
        }

        await PublishAndWaitAsync(1);
        var actor = new AuditEvent(AuditActions.HitCheck, ActorName: "test");
        var found = new Dictionary<string, (int Hits, int Total)>();
        foreach (var (file, a, _) in pairs)
        {
            // A scope per check, as each request has: one context for thousands of checks would track every entry saved.
            await using var scope = _morocco.Node.App.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<HitCheckService>().CheckAsync(actor, [_morocco.Agency.Id], HitQuery.ForName(a), "recall test", CancellationToken.None);
            var (hits, total) = found.GetValueOrDefault(file);
            found[file] = (hits + (result.Result == "hit" ? 1 : 0), total + 1);
        }

        foreach (var (file, (hits, total)) in found)
        {
            Assert.True(hits >= 0.98 * total, $"{file}: {hits} of {total} same-person names written the other way hit on ES-CNP");
        }
    }

    [Fact]
    public async Task BadFilters_AreRefusedWithTheReason_AndAuditedOnBothNodes()
    {
        // ES-CNP holds nothing yet: its node publishes by itself within seconds of a record, and only forged filters are sent here.
        var good = HitFilter.Build(new HitKey(new byte[32]), _agreement, HitFilterMessage.EpochOf(DateTimeOffset.UtcNow), ["Youssef El Idrissi"], []).ToBytes();
        var salt = Convert.ToBase64String(new byte[16]);
        var epoch = HitFilterMessage.EpochOf(DateTimeOffset.UtcNow);
        await SendFromSpainAsync(new HitFilterMessage(_agreement, _spain.Agency.Id.Value, _morocco.Agency.Id.Value, epoch, salt, DateTimeOffset.UtcNow, Convert.ToBase64String(good[..40])));
        await SendFromSpainAsync(new HitFilterMessage(_agreement, _spain.Agency.Id.Value, _morocco.Agency.Id.Value, epoch, salt, DateTimeOffset.UtcNow, Convert.ToBase64String(good)));
        var old = HitFilter.Build(new HitKey(new byte[32]), _agreement, epoch - 5, ["Youssef El Idrissi"], []).ToBytes();
        await SendFromSpainAsync(new HitFilterMessage(_agreement, _spain.Agency.Id.Value, _morocco.Agency.Id.Value, epoch - 5, salt, DateTimeOffset.UtcNow, Convert.ToBase64String(old)));

        await Eventually.HoldsAsync(
            async () => (await _spain.MessagesAsync()).Count(m => m!["type"]!.GetValue<string>() == HitFilterMessage.Type && m["status"]!.GetValue<string>() == "rejected") == 3,
            () => $"three filters rejected by MA-DGST: {_spain.MessagesAsync().GetAwaiter().GetResult().ToJsonString()}");
        await using (var moroccoDb = _morocco.Node.Database.Open())
        {
            var refusals = await moroccoDb.AuditLog.Where(e => e.Action == AuditActions.FederationReceive && e.Outcome == AuditOutcomes.Refused).Select(e => e.Detail!).ToListAsync();
            Assert.Contains(refusals, d => d.Contains("truncated", StringComparison.Ordinal) || d.Contains("at least", StringComparison.Ordinal));
            Assert.Contains(refusals, d => d.Contains("another key", StringComparison.Ordinal));
            Assert.Contains(refusals, d => d.Contains("rotated-out key", StringComparison.Ordinal));
            Assert.False(await moroccoDb.Set<Jisr.Storage.HitCheck.ReceivedHitFilter>().AnyAsync());
        }

        await using (var spainDb = _spain.Node.Database.Open())
        {
            Assert.True(await spainDb.AuditLog.CountAsync(e => e.Action == AuditActions.FederationDelivered && e.Detail!.Contains(HitFilterMessage.Type)) >= 3);
        }

        Assert.Equal("no-hit", (await CheckAsync(new { name = "Youssef El Idrissi" }))["result"]!.GetValue<string>());

        // From a revoked peer nothing is taken, even a good filter: MA-DGST revokes ES-CNP, ES-CNP publishes.
        var peers = await _morocco.Operator.Client.GetFromJsonAsync<JsonArray>("/api/v1/federation/peers");
        var spainPeer = peers!.Single()!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await _morocco.Operator.Client.PostAsync($"/api/v1/federation/peers/{spainPeer}/revoke", null)).StatusCode);
        await HoldAsync(_spanishAnalyst, "RESTRICTED", ["Youssef El Idrissi"]);
        await Publish(_spain);
        await Eventually.HoldsAsync(
            async () => (await _spain.MessagesAsync()).Any(m => m!["type"]!.GetValue<string>() == HitFilterMessage.Type && m["status"]!.GetValue<string>() == "pending" && m["lastError"]?.GetValue<string>() is { } e && e.Contains("revoked", StringComparison.Ordinal)),
            "the revoked peer's filter is refused");
        Assert.Equal("no-hit", (await CheckAsync(new { name = "Youssef El Idrissi" }))["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task AFilterOfAnotherKeyScheme_StoredBeforeAnUpgrade_IsSkipped_AndOneSentInIt_IsRefused()
    {
        await HoldAsync(_spanishAnalyst, "RESTRICTED", ["Youssef El Idrissi"]);
        await PublishAndWaitAsync(1);

        // The filter MA-DGST holds, as a node of key scheme 2 would have stored it before the upgrade: never looked up
        // with this node's keys (no hit, no error), and not counted as a filter checked.
        await using (var db = _morocco.Node.Database.Open())
        {
            foreach (var stored in await db.Set<Jisr.Storage.HitCheck.ReceivedHitFilter>().Where(f => f.AgreementId == _agreement).ToListAsync())
            {
                var bytes = stored.Filter.ToArray();
                bytes[5] = 2;
                stored.Filter = bytes;
            }

            await db.SaveChangesAsync();
        }

        var skipped = await CheckAsync(new { name = "Youssef El Idrissi" });
        Assert.Equal("no-hit", skipped["result"]!.GetValue<string>());
        Assert.Equal(0, skipped["filtersChecked"]!.GetValue<int>());

        // A partner still on scheme 2 sends its filter: refused on receipt, naming both schemes.
        var epoch = HitFilterMessage.EpochOf(DateTimeOffset.UtcNow);
        var old = HitFilter.Build(new HitKey(new byte[32]), _agreement, epoch, ["Youssef El Idrissi"], []).ToBytes();
        old[5] = 2;
        await SendFromSpainAsync(new HitFilterMessage(_agreement, _spain.Agency.Id.Value, _morocco.Agency.Id.Value, epoch, Convert.ToBase64String(new byte[16]), DateTimeOffset.UtcNow, Convert.ToBase64String(old)));
        await Eventually.HoldsAsync(
            async () => (await _spain.MessagesAsync()).Any(m => m!["type"]!.GetValue<string>() == HitFilterMessage.Type && m["lastError"]?.GetValue<string>() is { } e && e.Contains("key scheme 2", StringComparison.Ordinal)),
            () => $"the scheme-2 filter is refused; ES-CNP's messages: {_spain.MessagesAsync().GetAwaiter().GetResult().ToJsonString()}");
    }

    private static IEnumerable<(string File, string A, string B)> Pairs(string file) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "names", file)).Skip(1)
            .Select(l => l.Split('\t')).Where(c => c[2] == "1").Select(c => (file, c[0], c[1]));

    private async Task<JsonObject> CheckAsync(object body)
    {
        var response = await Post(_analyst, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<HttpResponseMessage> Post(TestUser user, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hits/check") { Content = JsonContent.Create(body) };
        request.Headers.Add(PurposeHeader, Uri.EscapeDataString("enquête 2026/114"));
        return await user.Client.SendAsync(request);
    }

    private static async Task<int> Publish(AgencyNode node)
    {
        var response = await node.Operator.Client.PostAsync("/api/v1/hits/filters/publish", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["published"]!.GetValue<int>();
    }

    /// <summary>ES-CNP publishes now; waits until MA-DGST has taken <paramref name="count"/> more filters than <paramref name="after"/>.</summary>
    /// <summary>
    /// Publishes now and waits until MA-DGST took <paramref name="after"/> + <paramref name="count"/> filters. The node
    /// also publishes by itself within seconds of a change, so the call may find nothing left to send.
    /// </summary>
    private async Task PublishAndWaitAsync(int count, int after = 0)
    {
        Assert.InRange(await Publish(_spain), 0, count);
        await Eventually.HoldsAsync(
            async () =>
            {
                await using var db = _morocco.Node.Database.Open();
                return await db.AuditLog.CountAsync(e => e.Action == AuditActions.HitFilterReceive) >= after + count && await FilterTakenAsync(_spain, _morocco, _agreement);
            },
            () => $"MA-DGST takes the filter; ES-CNP's messages: {_spain.MessagesAsync().GetAwaiter().GetResult().ToJsonString()}",
            seconds: 60);
    }

    /// <summary>
    /// Whether every filter <paramref name="from"/> published was taken (acknowledged) and <paramref name="to"/> holds one
    /// under the agreement: the last one published is there, not an older one still on its way. (Publication times do
    /// not tell: a test node's clock may stand still.)
    /// </summary>
    internal static async Task<bool> FilterTakenAsync(AgencyNode from, AgencyNode to, Guid agreement)
    {
        await using var fromDb = from.Node.Database.Open();
        var filters = await fromDb.Set<Jisr.Storage.Federation.OutboxMessage>().AsNoTracking().Where(m => m.Type == HitFilterMessage.Type).Select(m => m.Status).ToListAsync();
        await using var toDb = to.Node.Database.Open();
        return filters.Count > 0 && filters.All(s => s == Jisr.Storage.Federation.DeliveryStatuses.Delivered)
            && await toDb.Set<Jisr.Storage.HitCheck.ReceivedHitFilter>().AsNoTracking().AnyAsync(f => f.AgreementId == agreement);
    }

    /// <summary>Whether MA-DGST took a filter after the agreement's last change of state.</summary>
    private async Task<bool> ReceivedSinceResumptionAsync()
    {
        await using var db = _morocco.Node.Database.Open();
        var changed = (await db.Agreements.AsNoTracking().FirstAsync(a => a.Id == new Jisr.Domain.Common.AgreementId(_agreement))).StatusChangedAt;
        return (await db.Set<Jisr.Storage.HitCheck.ReceivedHitFilter>().AsNoTracking().Where(f => f.AgreementId == _agreement).Select(f => f.ReceivedAt).ToListAsync()).Any(r => r >= changed);
    }

    /// <summary>A record of <paramref name="user"/>'s agency naming these persons (and the request's usual passport and phone).</summary>
    private static async Task HoldAsync(TestUser user, string classification, IReadOnlyList<string> persons)
    {
        var record = RecordRequests.Valid(title: "Suivi", classification: classification);
        var entities = record["entities"]!.AsArray();
        for (var i = 0; i < persons.Count; i++)
        {
            entities.Add(new JsonObject { ["ref"] = $"x{i}", ["type"] = "person", ["names"] = new JsonArray(persons[i]) });
        }

        var response = await user.Client.PostAsJsonAsync("/api/v1/records", record);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A filter message written by ES-CNP's node exactly as its publisher would, but with what the test gives.</summary>
    private async Task SendFromSpainAsync(HitFilterMessage message)
    {
        await using var scope = _spain.Node.App.Services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<FederationOutbox>();
        var staged = await outbox.StageForAsync(_morocco.Agency.Id, HitFilterMessage.Type, message, new AuditEvent("", ActorName: "test"), CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<AuditLog>().SaveWithAuditAsync(scope.ServiceProvider.GetRequiredService<JisrDbContext>(), [staged!], CancellationToken.None);
        outbox.Notify();
    }
}
