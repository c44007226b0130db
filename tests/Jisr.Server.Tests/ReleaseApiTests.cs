using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Agencies;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Server.Tests;

public sealed class ReleaseNodeFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>
/// Three agencies of their own for one test (so agreements made by one test never touch another): an originator
/// (A), a partner (B) and a third agency (C), with the users the release rules involve.
/// </summary>
public sealed class SharingWorld
{
    private static int _next;

    public required TestNode Node { get; init; }

    public required Agency A { get; init; }

    public required Agency B { get; init; }

    public required Agency C { get; init; }

    public required TestUser AnalystA { get; init; }

    /// <summary>An analyst of A who is also a legal reviewer: may request, but never approve their own request.</summary>
    public required TestUser AnalystReviewerA { get; init; }

    public required TestUser ReviewerA { get; init; }

    public required TestUser RestrictedReviewerA { get; init; }

    public required TestUser AdminA { get; init; }

    public required TestUser AnalystB { get; init; }

    public required TestUser ReviewerB { get; init; }

    public required TestUser AdminB { get; init; }

    public required TestUser AnalystC { get; init; }

    public required TestUser AdminC { get; init; }

    public static async Task<SharingWorld> CreateAsync(TestNode node)
    {
        var n = Interlocked.Increment(ref _next);
        var a = await node.AddAgencyAsync($"MA-A{n}");
        var b = await node.AddAgencyAsync($"ES-B{n}", "ES");
        var c = await node.AddAgencyAsync($"FR-C{n}", "FR");
        return new SharingWorld
        {
            Node = node,
            A = a,
            B = b,
            C = c,
            AnalystA = await node.AddUserAsync(a, $"analyst.a{n}", [Role.Analyst]),
            AnalystReviewerA = await node.AddUserAsync(a, $"analyst.reviewer.a{n}", [Role.Analyst, Role.LegalReviewer]),
            ReviewerA = await node.AddUserAsync(a, $"dpo.a{n}", [Role.LegalReviewer]),
            RestrictedReviewerA = await node.AddUserAsync(a, $"dpo.restricted.a{n}", [Role.LegalReviewer], Classification.Restricted),
            AdminA = await node.AddUserAsync(a, $"admin.a{n}", [Role.Administrator]),
            AnalystB = await node.AddUserAsync(b, $"analyst.b{n}", [Role.Analyst]),
            ReviewerB = await node.AddUserAsync(b, $"dpo.b{n}", [Role.LegalReviewer, Role.LiaisonOfficer]),
            AdminB = await node.AddUserAsync(b, $"admin.b{n}", [Role.Administrator]),
            AnalystC = await node.AddUserAsync(c, $"analyst.c{n}", [Role.Analyst]),
            AdminC = await node.AddUserAsync(c, $"admin.c{n}", [Role.Administrator]),
        };
    }

    /// <summary>An agreement proposed by <paramref name="proposer"/>'s administrator and, unless told otherwise, accepted by the partner's.</summary>
    public async Task<Guid> AgreementAsync(TestUser proposer, TestUser acceptor, bool accept = true, string highest = "SECRET")
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var response = await proposer.Client.PostAsJsonAsync("/api/v1/agreements", new JsonObject
        {
            ["partner"] = acceptor.Agency.Code,
            ["threatDomains"] = new JsonArray("drug-trafficking", "organised-crime"),
            ["highestClassification"] = highest,
            ["handlingCodes"] = new JsonArray("H0", "H1", "H2"),
            ["validFrom"] = today,
            ["validUntil"] = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(2)).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        if (accept)
        {
            Assert.Equal(HttpStatusCode.OK, (await acceptor.Client.PostAsJsonAsync($"/api/v1/agreements/{id}/accept", new { })).StatusCode);
        }

        return id;
    }

    public static async Task<JsonObject> CreateRecordAsync(TestUser author, string marker, string classification = "RESTRICTED", string tlp = "AMBER", string handling = "H1", string[]? recipients = null)
    {
        var request = RecordRequests.Valid(title: marker, classification: classification);
        request["marking"] = new JsonObject { ["classification"] = classification, ["tlp"] = tlp, ["handling"] = handling };
        if (recipients is not null)
        {
            request["recipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)r)]);
        }

        var response = await author.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<(HttpStatusCode Status, JsonObject? Body)> PostAsync(TestUser user, string path, object body)
    {
        var response = await user.Client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text) as JsonObject);
    }

    public static Task<(HttpStatusCode Status, JsonObject? Body)> ReleaseAsync(TestUser user, Guid record, string agency, object? recipients = null) =>
        PostAsync(user, $"/api/v1/records/{record}/releases", new { agency, recipients, note = "for the joint investigation" });

    /// <summary>Whether the user sees the record on the single read, the list and the search (which must agree).</summary>
    public static async Task<bool> SeesAsync(TestUser user, Guid id, string marker)
    {
        var single = await user.Client.GetAsync($"/api/v1/records/{id}");
        var list = await user.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200");
        using var search = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/search?q={marker}");
        search.Headers.Add("X-Jisr-Purpose", "release check");
        var found = await (await user.Client.SendAsync(search)).Content.ReadFromJsonAsync<JsonObject>();
        var inList = list!["items"]!.AsArray().Any(i => i!["id"]!.GetValue<Guid>() == id);
        var inSearch = found!["items"]!.AsArray().Any(i => i!["id"]!.GetValue<Guid>() == id);
        Assert.True(inList == (single.StatusCode == HttpStatusCode.OK) && inSearch == inList, $"read paths disagree: single {single.StatusCode}, list {inList}, search {inSearch}");
        return inList;
    }
}

public sealed class ReleaseApiTests(ReleaseNodeFixture fixture) : IClassFixture<ReleaseNodeFixture>
{
    private static string Marker() => "rel" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The entity's link-graph neighbours as the user sees them, or null when the entity is hidden (404).</summary>
    private static async Task<JsonObject?> NeighboursAsync(TestUser user, Guid entity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/entities/{entity}/neighbours");
        request.Headers.Add("X-Jisr-Purpose", "network analysis");
        var response = await user.Client.SendAsync(request);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonObject>();
    }

    [Fact]
    public async Task Release_IsBlockedWithoutAgreement_VisibleAfterAcceptance_HiddenAgainAfterSuspension()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var marker = Marker();
        var record = await SharingWorld.CreateRecordAsync(w.AnalystA, marker);
        var id = record["id"]!.GetValue<Guid>();
        var person = record["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();

        var refused = await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("no sharing agreement is in force", refused.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var agreement = await w.AgreementAsync(w.AdminA, w.AdminB, accept: false);
        Assert.Equal(HttpStatusCode.Forbidden, (await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code)).Status);
        Assert.Equal(HttpStatusCode.OK, (await w.AdminB.Client.PostAsJsonAsync($"/api/v1/agreements/{agreement}/accept", new { })).StatusCode);

        var released = await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code);
        Assert.Equal(HttpStatusCode.Created, released.Status);
        Assert.Equal("released", released.Body!["status"]!.GetValue<string>());
        Assert.False(released.Body["requiresApproval"]!.GetValue<bool>());
        var copyId = released.Body["copy"]!.GetValue<Guid>();

        Assert.True(await SharingWorld.SeesAsync(w.AnalystB, copyId, marker));
        Assert.False(await SharingWorld.SeesAsync(w.AnalystC, copyId, marker));
        Assert.False(await SharingWorld.SeesAsync(w.AnalystB, id, marker)); // the partner holds the copy, not the original
        var copy = await w.AnalystB.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{copyId}");
        Assert.Equal(w.A.Code, copy!["originator"]!["code"]!.GetValue<string>());
        var provenance = copy["provenance"]!;
        Assert.Equal(w.A.Code, provenance["releasedBy"]!["code"]!.GetValue<string>());
        Assert.Equal(w.AnalystA.Id, provenance["releasedByUser"]!.GetValue<Guid>());
        Assert.Equal(agreement, provenance["agreement"]!.GetValue<Guid>());
        Assert.Equal(id, provenance["originalRecord"]!.GetValue<Guid>());
        Assert.Equal("RESTRICTED", copy["marking"]!["classification"]!.GetValue<string>());
        Assert.True(copy["marking"]!["notForJudicialUseWithoutConsent"]!.GetValue<bool>()); // H1 travels with the copy
        Assert.Equal(2, copy["entities"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.OK, (await w.AnalystB.Client.GetAsync($"/api/v1/entities/{person}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await w.AnalystC.Client.GetAsync($"/api/v1/entities/{person}")).StatusCode);
        var neighbours = await NeighboursAsync(w.AnalystB, person);
        Assert.Equal(copyId, Assert.Single(neighbours!["items"]!.AsArray())!["link"]!["record"]!.GetValue<Guid>());
        Assert.Null(await NeighboursAsync(w.AnalystC, person));

        // The partner can export its copy as STIX: the H1 flag and the provenance travel with it.
        using var stix = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/{copyId}/stix");
        stix.Headers.Add("X-Jisr-Purpose", "share with the joint team");
        var bundleResponse = await w.AnalystB.Client.SendAsync(stix);
        Assert.Equal("application/stix+json", bundleResponse.Content.Headers.ContentType!.MediaType);
        var bundle = JsonNode.Parse(await bundleResponse.Content.ReadAsStringAsync())!;
        var report = bundle["objects"]!.AsArray().Single(o => o!["type"]!.GetValue<string>() == "report")!;
        Assert.True(report["x_jisr_not_for_judicial_use_without_consent"]!.GetValue<bool>());
        Assert.Equal(id, report["x_jisr_provenance"]!["original_record_id"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.BadRequest, (await w.AnalystB.Client.GetAsync($"/api/v1/records/{copyId}/stix")).StatusCode); // no purpose
        using var foreignStix = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/{copyId}/stix");
        foreignStix.Headers.Add("X-Jisr-Purpose", "curiosity");
        Assert.Equal(HttpStatusCode.NotFound, (await w.AnalystC.Client.SendAsync(foreignStix)).StatusCode);

        // The originator's data-subject access export lists the release; the HTML report shows the H1 flag.
        using var access = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/persons/{person}/subject-access");
        access.Headers.Add("X-Jisr-Purpose", "subject access request 2026-17");
        var export = await (await w.ReviewerA.Client.SendAsync(access)).Content.ReadFromJsonAsync<JsonObject>();
        var listed = Assert.Single(export!["releases"]!.AsArray());
        Assert.Equal(w.B.Code, listed!["recipient"]!.GetValue<string>());
        Assert.Equal(released.Body["id"]!.GetValue<Guid>(), listed["id"]!.GetValue<Guid>());
        using var html = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/persons/{person}/subject-access?format=html");
        html.Headers.Add("X-Jisr-Purpose", "subject access request 2026-17");
        Assert.Contains("not for judicial use without the originator", await (await w.ReviewerA.Client.SendAsync(html)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The copy is the originator's record: the partner cannot rewrite it.
        var edit = RecordRequests.Valid(title: marker + " edited");
        Assert.Equal(HttpStatusCode.Forbidden, (await w.AnalystB.Client.PutAsJsonAsync($"/api/v1/records/{copyId}", edit)).StatusCode);

        // Suspension hides the copy and its entities at once; resuming shows them again.
        Assert.Equal(HttpStatusCode.OK, (await w.AdminA.Client.PostAsJsonAsync($"/api/v1/agreements/{agreement}/suspend", new { reason = "audit of the partner" })).StatusCode);
        Assert.False(await SharingWorld.SeesAsync(w.AnalystB, copyId, marker));
        Assert.Equal(HttpStatusCode.NotFound, (await w.AnalystB.Client.GetAsync($"/api/v1/entities/{person}")).StatusCode);
        Assert.Null(await NeighboursAsync(w.AnalystB, person));
        Assert.Equal(HttpStatusCode.Forbidden, (await SharingWorld.ReleaseAsync(w.AnalystA, (await SharingWorld.CreateRecordAsync(w.AnalystA, Marker()))["id"]!.GetValue<Guid>(), w.B.Code)).Status);
        Assert.Equal(HttpStatusCode.OK, (await w.AdminA.Client.PostAsJsonAsync($"/api/v1/agreements/{agreement}/resume", new { reason = "audit closed" })).StatusCode);
        Assert.True(await SharingWorld.SeesAsync(w.AnalystB, copyId, marker));

        // Ending it hides the copy for good.
        Assert.Equal(HttpStatusCode.OK, (await w.AdminB.Client.PostAsJsonAsync($"/api/v1/agreements/{agreement}/end", new { reason = "cooperation ended" })).StatusCode);
        Assert.False(await SharingWorld.SeesAsync(w.AnalystB, copyId, marker));
    }

    [Fact]
    public async Task Release_OutsideTheAgreementsTerms_IsRefusedWithTheReason()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB, highest: "RESTRICTED");
        var secret = await SharingWorld.CreateRecordAsync(w.AnalystA, Marker(), classification: "SECRET");
        var h3 = RecordRequests.Valid(title: Marker());
        h3["marking"] = new JsonObject { ["classification"] = "RESTRICTED", ["tlp"] = "AMBER", ["handling"] = "H3", ["handlingNote"] = "no onward use" };
        var h3Record = await (await w.AnalystA.Client.PostAsJsonAsync("/api/v1/records", h3)).Content.ReadFromJsonAsync<JsonObject>();

        var tooHigh = await SharingWorld.ReleaseAsync(w.AnalystA, secret["id"]!.GetValue<Guid>(), w.B.Code);
        var wrongCode = await SharingWorld.ReleaseAsync(w.AnalystA, h3Record!["id"]!.GetValue<Guid>(), w.B.Code);

        Assert.Equal(HttpStatusCode.Forbidden, tooHigh.Status);
        Assert.Contains("at most RESTRICTED", tooHigh.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, wrongCode.Status);
        Assert.Contains("handling code H3", wrongCode.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SensitiveRelease_NeedsASecondPerson_TheRequesterCannotApprove_AndApprovalIsOnce()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        var marker = Marker();
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystReviewerA, marker, classification: "CONFIDENTIAL"))["id"]!.GetValue<Guid>();

        var requested = await SharingWorld.ReleaseAsync(w.AnalystReviewerA, id, w.B.Code);
        Assert.Equal(HttpStatusCode.Created, requested.Status);
        Assert.Equal("awaiting-approval", requested.Body!["status"]!.GetValue<string>());
        Assert.Null(requested.Body["copy"]);
        var release = requested.Body["id"]!.GetValue<Guid>();
        var pending = await w.ReviewerA.Client.GetFromJsonAsync<JsonArray>("/api/v1/releases?status=awaiting-approval");
        Assert.Contains(pending!, r => r!["id"]!.GetValue<Guid>() == release);
        Assert.Empty((await w.AnalystB.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200"))!["items"]!.AsArray());

        var self = await SharingWorld.PostAsync(w.AnalystReviewerA, $"/api/v1/releases/{release}/approve", new { });
        Assert.Equal(HttpStatusCode.Forbidden, self.Status);
        Assert.Contains("four-eyes", self.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await SharingWorld.PostAsync(w.AnalystA, $"/api/v1/releases/{release}/approve", new { })).Status);
        var notCleared = await SharingWorld.PostAsync(w.RestrictedReviewerA, $"/api/v1/releases/{release}/approve", new { });
        Assert.Equal(HttpStatusCode.Forbidden, notCleared.Status);
        Assert.Contains("may not read", notCleared.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SharingWorld.PostAsync(w.ReviewerB, $"/api/v1/releases/{release}/approve", new { })).Status);

        // Each refusal is in the refused caller's agency's trail: the self-approval in A's, the foreign attempt in B's.
        var refusedInA = await w.ReviewerA.Client.GetFromJsonAsync<JsonArray>("/api/v1/audit?action=request.refused");
        Assert.Contains(refusedInA!, e => e!["actor"]!.GetValue<string>() == w.AnalystReviewerA.UserName
                                          && e["outcome"]!.GetValue<string>() == "forbidden"
                                          && e["detail"]!.GetValue<string>() == $"POST /api/v1/releases/{release}/approve");
        var refusedInB = await w.ReviewerB.Client.GetFromJsonAsync<JsonArray>("/api/v1/audit?action=request.refused");
        Assert.Contains(refusedInB!, e => e!["actor"]!.GetValue<string>() == w.ReviewerB.UserName && e["outcome"]!.GetValue<string>() == "not-found");

        var approved = await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/releases/{release}/approve", new { reason = "necessary and proportionate" });
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.Equal("released", approved.Body!["status"]!.GetValue<string>());
        Assert.Equal(w.ReviewerA.Id, approved.Body["decidedBy"]!.GetValue<Guid>());
        var copyId = approved.Body["copy"]!.GetValue<Guid>();
        Assert.True(await SharingWorld.SeesAsync(w.AnalystB, copyId, marker));

        var twice = await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/releases/{release}/approve", new { });
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Contains("this release is released: it cannot be approved", twice.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await SharingWorld.ReleaseAsync(w.AnalystReviewerA, id, w.B.Code)).Status);
        var copies = (await w.AnalystB.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200"))!["items"]!.AsArray();
        Assert.Single(copies);
    }

    [Fact]
    public async Task SimultaneousReleases_OfOneRecordToOneAgency_SendOneCopy_AndTheOthersAreConflicts()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        var marker = Marker();
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, marker))["id"]!.GetValue<Guid>();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code)));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.Status);
            Assert.Contains("already released", a.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        Assert.Single((await w.AnalystA.Client.GetFromJsonAsync<JsonArray>($"/api/v1/releases?record={id}"))!);
        Assert.Single((await w.AnalystB.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task RefusedRelease_SendsNothing_AndARefusalNeedsAReason()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        var marker = Marker();
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, marker, tlp: "AMBER+STRICT"))["id"]!.GetValue<Guid>();
        var release = (await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code)).Body!["id"]!.GetValue<Guid>();

        var noReason = await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/releases/{release}/refuse", new { });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.Status);
        var refused = await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/releases/{release}/refuse", new { reason = "source protection" });
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("refused", refused.Body!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/releases/{release}/approve", new { })).Status);
        Assert.Empty((await w.AnalystB.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task ACopysRetention_BelongsToItsOriginator_TheHolderMayNotExtendIt()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, Marker()))["id"]!.GetValue<Guid>();
        var copy = (await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code)).Body!["copy"]!.GetValue<Guid>();
        var before = (await w.AnalystB.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{copy}"))!["retentionUntil"]!.ToJsonString();

        var extended = await SharingWorld.PostAsync(w.ReviewerB, $"/api/v1/records/{copy}/review", new
        {
            decision = "extend", reason = "keep it longer", reviewDate = new DateOnly(2098, 1, 1), retentionUntil = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero),
        });

        Assert.Equal(HttpStatusCode.Forbidden, extended.Status);
        Assert.Contains("originator", extended.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, (await w.AnalystB.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{copy}"))!["retentionUntil"]!.ToJsonString());
        var deleted = await SharingWorld.PostAsync(w.ReviewerB, $"/api/v1/records/{copy}/review", new { decision = "delete", reason = "no longer needed here" });
        Assert.True(deleted.Status == HttpStatusCode.NoContent, deleted.Body?.ToJsonString());
    }

    [Fact]
    public async Task RedRelease_NamesItsRecipients_AndOnlyTheySeeTheCopy()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        var marker = Marker();
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, marker, tlp: "RED", recipients: [w.ReviewerA.UserName]))["id"]!.GetValue<Guid>();

        var unnamed = await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code);
        Assert.Equal(HttpStatusCode.BadRequest, unnamed.Status);
        Assert.Equal("recipients", unnamed.Body!["errors"]!.AsObject().Single().Key);
        var wrongAgency = await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code, new[] { w.AnalystC.UserName });
        Assert.Equal(HttpStatusCode.BadRequest, wrongAgency.Status);

        var requested = await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code, new[] { w.AnalystB.UserName });
        var release = requested.Body!["id"]!.GetValue<Guid>();

        // A colleague who gets 404 for the RED record does not see its release (partner, note) listed or read either.
        Assert.Equal(HttpStatusCode.NotFound, (await w.AnalystReviewerA.Client.GetAsync($"/api/v1/records/{id}")).StatusCode);
        Assert.Empty((await w.AnalystReviewerA.Client.GetFromJsonAsync<JsonArray>($"/api/v1/releases?record={id}"))!);
        Assert.DoesNotContain((await w.AnalystReviewerA.Client.GetFromJsonAsync<JsonArray>("/api/v1/releases"))!, r => r!["id"]!.GetValue<Guid>() == release);
        Assert.Equal(HttpStatusCode.NotFound, (await w.AnalystReviewerA.Client.GetAsync($"/api/v1/releases/{release}")).StatusCode);
        Assert.Contains((await w.ReviewerA.Client.GetFromJsonAsync<JsonArray>($"/api/v1/releases?record={id}"))!, r => r!["id"]!.GetValue<Guid>() == release);

        // The approver must be able to read the record: for TLP:RED, a reviewer who is one of its named recipients.
        Assert.Equal(HttpStatusCode.Forbidden, (await SharingWorld.PostAsync(w.AnalystReviewerA, $"/api/v1/releases/{release}/approve", new { })).Status);
        var approved = await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/releases/{release}/approve", new { });
        Assert.True(approved.Status == HttpStatusCode.OK, approved.Body?.ToJsonString());
        var copyId = approved.Body!["copy"]!.GetValue<Guid>();

        Assert.True(await SharingWorld.SeesAsync(w.AnalystB, copyId, marker));
        Assert.False(await SharingWorld.SeesAsync(w.ReviewerB, copyId, marker));
    }

    [Fact]
    public async Task PassingOn_NeedsTheOriginatorsConsent_RefusedFromTheWrongAgency_AllowedOnceGranted()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        await w.AgreementAsync(w.AdminB, w.AdminC);
        var marker = Marker();
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, marker, handling: "H2"))["id"]!.GetValue<Guid>();
        var copyId = (await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code)).Body!["copy"]!.GetValue<Guid>();

        var withoutConsent = await SharingWorld.ReleaseAsync(w.AnalystB, copyId, w.C.Code);
        Assert.Equal(HttpStatusCode.Forbidden, withoutConsent.Status);
        Assert.Contains("H2", withoutConsent.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("consent", withoutConsent.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var asked = await SharingWorld.PostAsync(w.AnalystB, $"/api/v1/records/{copyId}/consents", new { agency = w.C.Code, note = "joint operation with FR" });
        Assert.Equal(HttpStatusCode.Created, asked.Status);
        Assert.Equal("pending", asked.Body!["status"]!.GetValue<string>());
        Assert.Equal(id, asked.Body["originalRecord"]!.GetValue<Guid>());
        var consent = asked.Body["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.Conflict, (await SharingWorld.PostAsync(w.AnalystB, $"/api/v1/records/{copyId}/consents", new { agency = w.C.Code })).Status);
        Assert.Contains((await w.ReviewerA.Client.GetFromJsonAsync<JsonArray>("/api/v1/consents"))!, c => c!["id"]!.GetValue<Guid>() == consent);
        Assert.DoesNotContain((await w.AnalystC.Client.GetFromJsonAsync<JsonArray>("/api/v1/consents"))!, c => c!["id"]!.GetValue<Guid>() == consent);

        var wrongAgency = await SharingWorld.PostAsync(w.ReviewerB, $"/api/v1/consents/{consent}/grant", new { });
        Assert.Equal(HttpStatusCode.Forbidden, wrongAgency.Status);
        Assert.Contains("originating agency", wrongAgency.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SharingWorld.PostAsync(w.AnalystC, $"/api/v1/consents/{consent}/grant", new { })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SharingWorld.ReleaseAsync(w.AnalystB, copyId, w.C.Code)).Status);

        var granted = await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/consents/{consent}/grant", new { reason = "agreed with FR liaison" });
        Assert.Equal(HttpStatusCode.OK, granted.Status);
        Assert.Equal("granted", granted.Body!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/consents/{consent}/refuse", new { reason = "changed mind" })).Status);

        var passedOn = await SharingWorld.ReleaseAsync(w.AnalystB, copyId, w.C.Code);
        Assert.Equal(HttpStatusCode.Created, passedOn.Status);
        var thirdCopy = passedOn.Body!["copy"]!.GetValue<Guid>();
        Assert.True(await SharingWorld.SeesAsync(w.AnalystC, thirdCopy, marker));
        var seenByC = await w.AnalystC.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{thirdCopy}");
        Assert.Equal(w.A.Code, seenByC!["originator"]!["code"]!.GetValue<string>());
        Assert.Equal(w.B.Code, seenByC["provenance"]!["releasedBy"]!["code"]!.GetValue<string>());
        Assert.Equal(id, seenByC["provenance"]!["originalRecord"]!.GetValue<Guid>());
        Assert.Equal(copyId, seenByC["provenance"]!["sourceRecord"]!.GetValue<Guid>());

        // Consent is per recipient: the copy still cannot go back to the originator or anywhere else.
        var backToOriginator = await SharingWorld.ReleaseAsync(w.AnalystB, copyId, w.A.Code);
        Assert.Equal(HttpStatusCode.Forbidden, backToOriginator.Status);
    }

    [Fact]
    public async Task ConsentRefused_KeepsTheRecordFromTheThirdAgency()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        await w.AgreementAsync(w.AdminB, w.AdminC);
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, Marker(), handling: "H0"))["id"]!.GetValue<Guid>();
        var copyId = (await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code)).Body!["copy"]!.GetValue<Guid>();
        var consent = (await SharingWorld.PostAsync(w.AnalystB, $"/api/v1/records/{copyId}/consents", new { agency = w.C.Code })).Body!["id"]!.GetValue<Guid>();

        Assert.Equal(HttpStatusCode.BadRequest, (await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/consents/{consent}/refuse", new { })).Status);
        Assert.Equal(HttpStatusCode.OK, (await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/consents/{consent}/refuse", new { reason = "ongoing source operation" })).Status);

        var refused = await SharingWorld.ReleaseAsync(w.AnalystB, copyId, w.C.Code);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("consent", refused.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadReleaseAndConsentRequests_AreRefusedWithTheField_AndChangeNothing()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, Marker()))["id"]!.GetValue<Guid>();

        var unknown = await SharingWorld.ReleaseAsync(w.AnalystA, id, "XX-NOPE");
        var own = await SharingWorld.ReleaseAsync(w.AnalystA, id, w.A.Code);
        var missing = await SharingWorld.PostAsync(w.AnalystA, $"/api/v1/records/{id}/releases", new { });
        var noRecord = await SharingWorld.ReleaseAsync(w.AnalystA, Guid.NewGuid(), w.B.Code);
        var byReviewer = await SharingWorld.ReleaseAsync(w.ReviewerA, id, w.B.Code);
        var ownConsent = await SharingWorld.PostAsync(w.AnalystA, $"/api/v1/records/{id}/consents", new { agency = w.B.Code });
        var badStatus = await w.ReviewerA.Client.GetAsync("/api/v1/releases?status=maybe");

        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("agency", unknown.Body!["errors"]!.AsObject().Single().Key);
        Assert.Contains("XX-NOPE", unknown.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, own.Status);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal(HttpStatusCode.NotFound, noRecord.Status);
        Assert.Equal(HttpStatusCode.Forbidden, byReviewer.Status);
        Assert.Equal(HttpStatusCode.Conflict, ownConsent.Status);
        Assert.Contains("originator", ownConsent.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Empty((await w.ReviewerA.Client.GetFromJsonAsync<JsonArray>("/api/v1/releases"))!);
        Assert.Empty((await w.ReviewerA.Client.GetFromJsonAsync<JsonArray>("/api/v1/consents"))!);
        Assert.Empty((await w.AnalystB.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200"))!["items"]!.AsArray());
    }
}
