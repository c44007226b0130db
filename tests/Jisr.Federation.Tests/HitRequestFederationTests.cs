using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
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
/// The whole hit cycle between two real nodes: MA-DGST checks a name against ES-CNP's filter (hit), opens a formal
/// request (signed <c>hitrequest.open</c>), ES-CNP's liaison officers see who asked and why, answer with a release
/// (at once, or through four-eyes) or a refusal, the answer travels back (<c>hitrequest.reply</c>) and the request's state
/// follows on both nodes, every step audited on both; a flood of requests is rate-limited, kept and shown to the owner.
/// </summary>
public abstract partial class HitRequestFederationTestsBase(string provider) : IAsyncLifetime
{
    private const string PurposeHeader = "X-Jisr-Purpose";
    private const string Purpose = "enquête 2026/114";
    private readonly AdjustableClock _spainClock = new(DateTimeOffset.UtcNow);
    private AgencyNode _morocco = null!;
    private AgencyNode _spain = null!;
    private TestUser _analyst = null!;
    private TestUser _spanishAnalyst = null!;
    private TestUser _liaison = null!;
    private TestUser _reviewer = null!;
    private Guid _agreement;

    public async Task InitializeAsync()
    {
        _morocco = await AgencyNode.StartAsync("MA-DGST", "MA", provider: provider);
        _spain = await AgencyNode.StartAsync("ES-CNP", "ES", _spainClock, provider);
        await _morocco.PeerWithAsync(_spain);
        await _spain.PeerWithAsync(_morocco);
        _analyst = await _morocco.Node.AddUserAsync(_morocco.Agency, "analyst.ma", [Role.Analyst]);
        _spanishAnalyst = await _spain.Node.AddUserAsync(_spain.Agency, "analyst.es", [Role.Analyst]);
        _liaison = await _spain.Node.AddUserAsync(_spain.Agency, "liaison.es", [Role.LiaisonOfficer]);
        _reviewer = await _spain.Node.AddUserAsync(_spain.Agency, "dpo.es", [Role.LegalReviewer]);
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
    public async Task Hit_Request_Notify_Decide_Reply_Release_WithTheStateAndAuditOnBothNodes()
    {
        var youssef = await HoldAsync("RESTRICTED", "Youssef El Idrissi");
        var karim = await HoldAsync("CONFIDENTIAL", "Karim Benali Tazi");
        await PublishAndWaitAsync();

        // Bad input: problem details naming what to fix; no hit, no request.
        await ExpectProblemAsync(await OpenAsync(new { agency = "ES-CNP", name = "Youssef El Idrissi", handling = "H1", urgency = "urgent" }), HttpStatusCode.BadRequest, "legalBasis");
        await ExpectProblemAsync(await OpenAsync(new { agency = "ES-CNP", name = "Youssef El Idrissi", legalBasis = "art. 5", handling = "H9" }), HttpStatusCode.BadRequest, "handling");
        await ExpectProblemAsync(await OpenAsync(new { agency = "ES-CNP", name = "Youssef El Idrissi", legalBasis = "art. 5", handling = "H1", urgency = "now!" }), HttpStatusCode.BadRequest, "urgency");
        await ExpectProblemAsync(await OpenAsync(new { agency = "XX-NONE", name = "Youssef El Idrissi", legalBasis = "art. 5", handling = "H1" }), HttpStatusCode.BadRequest, "agency");
        await ExpectProblemAsync(await OpenAsync(new { agency = "ES-CNP", name = "Khalid Ouazzani", legalBasis = "art. 5", handling = "H1" }), HttpStatusCode.Forbidden, "does not hit");
        Assert.Equal(HttpStatusCode.BadRequest, (await _analyst.Client.PostAsJsonAsync("/api/v1/hits/requests", new { agency = "ES-CNP", name = "Youssef El Idrissi", legalBasis = "art. 5", handling = "H1" })).StatusCode);
        await ExpectProblemAsync(await OpenAsync(new { agency = "ES-CNP", name = "Youssef El Idrissi", legalBasis = "art. 5", handling = "H1" }, _morocco.Administrator), HttpStatusCode.Forbidden, "analysts");

        // A hit opens a request: sent here, received there with who asked and why.
        var opened = await OpenOkAsync(new { agency = "ES-CNP", name = "يوسف الإدريسي", legalBasis = "Convention bilatérale 2019, art. 5", handling = "H2", urgency = "urgent" });
        var id = opened["id"]!.GetValue<Guid>();
        Assert.Equal("sent", opened["direction"]!.GetValue<string>());
        Assert.Equal("open", opened["status"]!.GetValue<string>());
        Assert.Equal(3, (opened["deadline"]!.GetValue<DateTimeOffset>() - opened["request"]!["requestedAt"]!.GetValue<DateTimeOffset>()).TotalDays, 3);
        var received = await OnSpainAsync(id, r => r["status"]!.GetValue<string>() == "open");
        Assert.Equal("received", received["direction"]!.GetValue<string>());
        Assert.Equal("MA-DGST", received["requester"]!["code"]!.GetValue<string>());
        Assert.Equal("analyst.ma", received["requestedBy"]!.GetValue<string>());
        Assert.Equal(Purpose, received["request"]!["purpose"]!.GetValue<string>());
        Assert.Equal("Convention bilatérale 2019, art. 5", received["request"]!["legalBasis"]!.GetValue<string>());
        Assert.Equal("يوسف الإدريسي", received["request"]!["query"]!.GetValue<string>());
        Assert.NotEmpty(received["request"]!["hitParts"]!.AsArray());
        Assert.Contains((await _liaison.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/requests?status=open"))!, r => r!["id"]!.GetValue<Guid>() == id);

        // Who may answer: ES-CNP's analysts do not even see it; its legal reviewer sees it but does not answer.
        Assert.Equal(HttpStatusCode.NotFound, (await _spanishAnalyst.Client.GetAsync($"/api/v1/hits/requests/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReplyAsync(_spanishAnalyst, id, new { decision = "refuse", reason = "no" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ReplyAsync(_reviewer, id, new { decision = "refuse", reason = "no" })).StatusCode);
        await ExpectProblemAsync(await ReplyAsync(_liaison, id, new { decision = "maybe" }), HttpStatusCode.BadRequest, "decision");
        await ExpectProblemAsync(await ReplyAsync(_liaison, id, new { decision = "release" }), HttpStatusCode.BadRequest, "record");

        // Released at once (RESTRICTED needs no second person): the copy reaches MA-DGST and the request says so on both nodes.
        var answered = await ReplyOkAsync(id, new { decision = "release", record = youssef, reason = "voir rapport" });
        Assert.Equal("released", answered["status"]!.GetValue<string>());
        Assert.Equal("liaison.es", answered["decidedBy"]!.GetValue<string>());
        var done = await OnMoroccoAsync(id, r => r["status"]!.GetValue<string>() == "released");
        var copy = done["copyRecord"]!.GetValue<Guid>();
        Assert.Equal(answered["release"]!.GetValue<Guid>(), done["release"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.OK, (await _analyst.Client.GetAsync($"/api/v1/records/{copy}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ReplyAsync(_liaison, id, new { decision = "refuse", reason = "changed my mind" })).StatusCode);

        // CONFIDENTIAL: the answer waits for the second person; the approval's outcome follows to MA-DGST.
        var second = (await OpenOkAsync(new { agency = "ES-CNP", name = "Karim Benali Tazi", legalBasis = "art. 5", handling = "H1", urgency = "immediate" }))["id"]!.GetValue<Guid>();
        await OnSpainAsync(second, r => r["status"]!.GetValue<string>() == "open");
        var pending = await ReplyOkAsync(second, new { decision = "release", record = karim });
        Assert.Equal("release-pending", pending["status"]!.GetValue<string>());
        await OnMoroccoAsync(second, r => r["status"]!.GetValue<string>() == "release-pending");
        var release = pending["release"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await _reviewer.Client.PostAsJsonAsync($"/api/v1/releases/{release}/approve", new { reason = "proportionné" })).StatusCode);
        await UpkeepAsync(_spain);
        var approved = await OnMoroccoAsync(second, r => r["status"]!.GetValue<string>() == "released");
        Assert.Equal(HttpStatusCode.OK, (await _analyst.Client.GetAsync($"/api/v1/records/{approved["copyRecord"]!.GetValue<Guid>()}")).StatusCode);

        // A refusal needs a reason, and carries it back.
        var third = (await OpenOkAsync(new { agency = "ES-CNP", identifier = "passport:MA:AB123456", legalBasis = "art. 5", handling = "H1" }))["id"]!.GetValue<Guid>();
        await OnSpainAsync(third, r => r["status"]!.GetValue<string>() == "open");
        await ExpectProblemAsync(await ReplyAsync(_liaison, third, new { decision = "refuse" }), HttpStatusCode.BadRequest, "reason");
        Assert.Equal("refused", (await ReplyOkAsync(third, new { decision = "refuse", reason = "enquête judiciaire en cours" }))["status"]!.GetValue<string>());
        var refused = await OnMoroccoAsync(third, r => r["status"]!.GetValue<string>() == "refused");
        Assert.Equal("enquête judiciaire en cours", refused["reason"]!.GetValue<string>());

        // Both nodes audited every step.
        await using (var moroccoDb = _morocco.Node.Database.Open())
        {
            Assert.Equal(3, await moroccoDb.AuditLog.CountAsync(e => e.Action == AuditActions.HitRequestOpen && e.Purpose == Purpose));
            Assert.True(await moroccoDb.AuditLog.CountAsync(e => e.Action == AuditActions.HitRequestReply) >= 4); // released, pending, released, refused
            Assert.True(await moroccoDb.AuditLog.AnyAsync(e => e.Action == AuditActions.HitCheck && e.Detail!.Contains("Khalid Ouazzani") && e.Detail.Contains("no-hit")));
        }

        await using (var spainDb = _spain.Node.Database.Open())
        {
            Assert.Equal(3, await spainDb.AuditLog.CountAsync(e => e.Action == AuditActions.HitRequestReceive && e.Purpose == Purpose && e.Outcome == AuditOutcomes.Success));
            Assert.True(await spainDb.AuditLog.CountAsync(e => e.Action == AuditActions.HitRequestReply && e.TargetId == second.ToString()) >= 2);
            Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.ReleaseApprove));
        }

        // Reminders: an unanswered immediate request is reminded at half-time and is overdue after its day.
        var fourth = (await OpenOkAsync(new { agency = "ES-CNP", name = "Youssef El Idrissi", legalBasis = "art. 5", handling = "H1", urgency = "immediate" }))["id"]!.GetValue<Guid>();
        await OnSpainAsync(fourth, r => r["status"]!.GetValue<string>() == "open");
        _spainClock.Advance(TimeSpan.FromHours(25));
        await UpkeepAsync(_spain);
        var late = await OnSpainAsync(fourth, r => r["reminders"]!.GetValue<int>() == 1);
        Assert.True(late["overdue"]!.GetValue<bool>());
        await using (var spainDb = _spain.Node.Database.Open())
        {
            Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.HitRequestRemind && e.TargetId == fourth.ToString() && e.Detail!.Contains("overdue")));
        }
    }

    [Fact]
    public async Task AFloodOfRequests_IsRateLimitedPerPeerAndAgreement_KeptAndShownToTheOwner_AndRefusedBackWithTheReason()
    {
        await HoldAsync("RESTRICTED", "Youssef El Idrissi");
        await PublishAndWaitAsync();
        _spain.Node.App.Services.GetRequiredService<HitRequestOptions>().RateLimit = 3;
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await OpenOkAsync(new { agency = "ES-CNP", name = "Youssef El Idrissi", legalBasis = "art. 5", handling = "H1" }))["id"]!.GetValue<Guid>());
        }

        await Eventually.HoldsAsync(async () => (await _liaison.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/requests"))!.Count == 5, "the five requests reach ES-CNP", seconds: 60);
        var tally = Assert.Single((await _liaison.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/requests/tally"))!)!;
        Assert.Equal("MA-DGST", tally["requester"]!["code"]!.GetValue<string>());
        Assert.Equal(5, tally["total"]!.GetValue<int>());
        Assert.Equal(3, tally["open"]!.GetValue<int>());
        Assert.Equal(2, tally["rateLimited"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, (await _spanishAnalyst.Client.GetAsync("/api/v1/hits/requests/tally")).StatusCode);

        // The refusals go back with the reason; the requester keeps all five.
        await UpkeepAsync(_spain);
        foreach (var id in ids.Skip(3))
        {
            var refused = await OnMoroccoAsync(id, r => r["status"]!.GetValue<string>() == "refused");
            Assert.True(refused["rateLimited"]!.GetValue<bool>());
            Assert.Contains("at most 3", refused["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(3, (await _analyst.Client.GetFromJsonAsync<JsonArray>("/api/v1/hits/requests?status=open"))!.Count);
        await using var spainDb = _spain.Node.Database.Open();
        Assert.Equal(2, await spainDb.AuditLog.CountAsync(e => e.Action == AuditActions.HitRequestReceive && e.Outcome == AuditOutcomes.Refused && e.Detail!.Contains("over the rate")));
    }

    [Fact]
    public async Task ForgedMalformedAndStrayMessages_AreRefusedWithTheReason_AuditedOnBothNodes_AndKeepNothing()
    {
        var now = DateTimeOffset.UtcNow;
        HitRequestMessage Request(Guid requester, Guid owner, Guid agreement, string handling = "H1") =>
            new(Guid.NewGuid(), agreement, requester, owner, Guid.NewGuid(), "analyst.es", new("name", "Youssef El Idrissi", ["ysf + drs"], Purpose, "art. 5", handling, "routine", now));
        var spain = _spain.Agency.Id.Value;
        var morocco = _morocco.Agency.Id.Value;
        await SendFromSpainAsync(HitRequestMessage.Type, Request(Guid.NewGuid(), morocco, _agreement)); // a requester ES-CNP's node does not host
        await SendFromSpainAsync(HitRequestMessage.Type, Request(spain, morocco, Guid.NewGuid())); // an agreement unknown there
        await SendFromSpainAsync(HitRequestMessage.Type, Request(spain, morocco, _agreement, handling: "H9")); // malformed
        await SendFromSpainAsync(HitReplyMessage.Type, new HitReplyMessage(Guid.NewGuid(), "refused", null, null, spain, null, "liaison.es", "no", false, now)); // an answer to nothing

        await Eventually.HoldsAsync(
            async () => (await _spain.MessagesAsync()).Count(m => m!["type"]!.GetValue<string>().StartsWith("hitrequest.", StringComparison.Ordinal) && m["status"]!.GetValue<string>() == "rejected") == 4,
            () => $"four messages rejected by MA-DGST: {_spain.MessagesAsync().GetAwaiter().GetResult().ToJsonString()}",
            seconds: 60);
        await using (var moroccoDb = _morocco.Node.Database.Open())
        {
            var refusals = await moroccoDb.AuditLog.Where(e => e.Action == AuditActions.FederationReceive && e.Outcome == AuditOutcomes.Refused).Select(e => e.Detail!).ToListAsync();
            Assert.True(refusals.Any(d => d.Contains("requester is not hosted by the sending node", StringComparison.Ordinal)), string.Join("\n", refusals));
            Assert.True(refusals.Any(d => d.Contains("no agreement between the requester and the owner", StringComparison.Ordinal)), string.Join("\n", refusals));
            Assert.True(refusals.Any(d => d.Contains("handling", StringComparison.Ordinal)), string.Join("\n", refusals));
            Assert.True(refusals.Any(d => d.Contains("no such hit request here", StringComparison.Ordinal)), string.Join("\n", refusals));
            Assert.False(await moroccoDb.Set<Jisr.Domain.Sharing.HitRequest>().AnyAsync());
        }

        await using var spainDb = _spain.Node.Database.Open();
        Assert.True(await spainDb.AuditLog.CountAsync(e => e.Action == AuditActions.FederationDelivered && e.Detail!.Contains("hitrequest.")) >= 4);
    }

    /// <summary>A message written by ES-CNP's node through its outbox exactly as its services would, but with what the test gives.</summary>
    private async Task SendFromSpainAsync<T>(string type, T message)
    {
        await using var scope = _spain.Node.App.Services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<FederationOutbox>();
        var staged = await outbox.StageForAsync(_morocco.Agency.Id, type, message, new AuditEvent("", ActorName: "test"), CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<AuditLog>().SaveWithAuditAsync(scope.ServiceProvider.GetRequiredService<JisrDbContext>(), [staged!], CancellationToken.None);
        outbox.Notify();
    }

    private async Task<Guid> HoldAsync(string classification, string person, params string[] threatDomains)
    {
        var record = RecordRequests.Valid(title: "Suivi", classification: classification);
        if (threatDomains.Length > 0)
        {
            record["threatDomains"] = new JsonArray([.. threatDomains.Select(d => JsonValue.Create(d))]);
        }

        record["entities"] = new JsonArray(new JsonObject
        {
            ["ref"] = "x", ["type"] = "person", ["names"] = new JsonArray(person),
            ["identifiers"] = new JsonArray(new JsonObject { ["kind"] = "passport", ["value"] = "AB123456", ["country"] = "MA" }),
        });
        record["links"] = new JsonArray();
        var response = await _spanishAnalyst.Client.PostAsJsonAsync("/api/v1/records", record);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private async Task PublishAndWaitAsync()
    {
        var response = await _spain.Operator.Client.PostAsync("/api/v1/hits/filters/publish", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.HoldsAsync(
            async () =>
            {
                await using var db = _morocco.Node.Database.Open();
                return await db.AuditLog.AnyAsync(e => e.Action == AuditActions.HitFilterReceive) && await HitCheckFederationTests.FilterTakenAsync(_spain, _morocco, _agreement);
            },
            () => $"MA-DGST takes ES-CNP's filter; ES-CNP's messages: {_spain.MessagesAsync().GetAwaiter().GetResult().ToJsonString()}",
            seconds: 60);
    }

    private async Task<HttpResponseMessage> OpenAsync(object body, TestUser? user = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hits/requests") { Content = JsonContent.Create(body) };
        request.Headers.Add(PurposeHeader, Uri.EscapeDataString(Purpose));
        return await (user ?? _analyst).Client.SendAsync(request);
    }

    private async Task<JsonObject> OpenOkAsync(object body)
    {
        var response = await OpenAsync(body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static Task<HttpResponseMessage> ReplyAsync(TestUser user, Guid id, object body) =>
        user.Client.PostAsJsonAsync($"/api/v1/hits/requests/{id}/reply", body);

    private async Task<JsonObject> ReplyOkAsync(Guid id, object body)
    {
        var response = await ReplyAsync(_liaison, id, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mentions)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentions, text, StringComparison.Ordinal);
    }

    private Task<JsonObject> OnSpainAsync(Guid id, Func<JsonObject, bool> holds) => SeenAsync(_liaison, id, holds, "ES-CNP");

    private Task<JsonObject> OnMoroccoAsync(Guid id, Func<JsonObject, bool> holds) => SeenAsync(_analyst, id, holds, "MA-DGST");

    private static async Task<JsonObject> SeenAsync(TestUser user, Guid id, Func<JsonObject, bool> holds, string node)
    {
        JsonObject? last = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                var response = await user.Client.GetAsync($"/api/v1/hits/requests/{id}");
                last = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
                return last is not null && holds(last);
            },
            () => $"hit request {id} on {node}: {last?.ToJsonString() ?? "not found"}",
            seconds: 60);
        return last!;
    }

    /// <summary>Runs the owner node's upkeep now (its own loop runs every 30 s: when both touch a request at once, one of them loses, harmlessly).</summary>
    private static async Task UpkeepAsync(AgencyNode node)
    {
        await using var scope = node.Node.App.Services.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<HitRequestService>().UpkeepAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The node's own loop did it at the same moment.
        }
    }
}

/// <summary>Both nodes on SQLite.</summary>
public sealed class HitRequestFederationTests() : HitRequestFederationTestsBase("sqlite");

/// <summary>Both nodes on PostgreSQL: the request table, its queries (rate count, tally, releases decided) on the other engine.</summary>
public sealed class HitRequestFederationPostgresTests() : HitRequestFederationTestsBase("postgres");
