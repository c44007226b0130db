using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>
/// Who changes a record, declassification held for a legal reviewer, four-eyes on the most sensitive marking since
/// the last release, and approvals bound to the version they approved (issue 13), through the API.
/// </summary>
public sealed class ChangePolicyApiTests(ReleaseNodeFixture fixture) : IClassFixture<ReleaseNodeFixture>
{
    private static string Marker() => "chg" + Guid.NewGuid().ToString("N")[..10];

    private static JsonObject Request(string title, string classification, string tlp = "AMBER", string handling = "H1", string[]? recipients = null)
    {
        var request = RecordRequests.Valid(title: title, classification: classification);
        request["marking"] = new JsonObject { ["classification"] = classification, ["tlp"] = tlp, ["handling"] = handling };
        if (recipients is not null)
        {
            request["recipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)r)]);
        }

        return request;
    }

    private static async Task<JsonObject> ReadAsync(TestUser user, Guid id) =>
        (await user.Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{id}"))!;

    private static string ClassificationOf(JsonObject record) => record["marking"]!["classification"]!.GetValue<string>();

    private static async Task<(HttpStatusCode Status, JsonObject? Body, Uri? Location)> PutAsync(TestUser user, Guid id, JsonObject request)
    {
        var response = await user.Client.PutAsJsonAsync($"/api/v1/records/{id}", request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text) as JsonObject, response.Headers.Location);
    }

    [Fact]
    public async Task AFieldOfficer_CannotOverwriteAColleaguesConfidentialRecord()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var officer = await w.Node.AddUserAsync(w.A, $"officer.{Marker()}", [Role.FieldOfficer], Classification.Secret);
        var marker = Marker();
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, marker, "CONFIDENTIAL"))["id"]!.GetValue<Guid>();

        var overwrite = await PutAsync(officer, id, Request("overwritten", "UNCLASSIFIED", "CLEAR", "H0"));

        Assert.Equal(HttpStatusCode.Forbidden, overwrite.Status);
        Assert.Contains("author", overwrite.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var record = await ReadAsync(w.AnalystA, id);
        Assert.Equal(marker, record["title"]!.GetValue<string>());
        Assert.Equal("CONFIDENTIAL", ClassificationOf(record));
    }

    [Fact]
    public async Task AnEditor_ChangesColleaguesRecords_WithinTheirClearance_AndOnlyOfTheirAgency()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var editor = await w.Node.AddUserAsync(w.A, $"editor.{Marker()}", [Role.Editor], Classification.Confidential);
        var editorB = await w.Node.AddUserAsync(w.B, $"editor.{Marker()}", [Role.Editor], Classification.Secret);
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, Marker(), "CONFIDENTIAL"))["id"]!.GetValue<Guid>();

        var edited = await PutAsync(editor, id, Request("edited by the editor", "CONFIDENTIAL"));
        var aboveClearance = await PutAsync(editor, id, Request("raised", "SECRET"));
        var otherAgency = await PutAsync(editorB, id, Request("foreign", "CONFIDENTIAL"));

        Assert.Equal(HttpStatusCode.OK, edited.Status);
        Assert.Equal(HttpStatusCode.Forbidden, aboveClearance.Status);
        Assert.Equal(HttpStatusCode.NotFound, otherAgency.Status);
        Assert.Equal("edited by the editor", (await ReadAsync(w.AnalystA, id))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task LoweringTheMarking_IsHeld_UntilAnotherLegalReviewerApproves_AndIsAuditedAsDeclassification()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystReviewerA, Marker(), "CONFIDENTIAL"))["id"]!.GetValue<Guid>();

        var held = await PutAsync(w.AnalystReviewerA, id, Request("declassified", "RESTRICTED"));

        Assert.Equal(HttpStatusCode.Accepted, held.Status);
        var declassification = held.Body!["id"]!.GetValue<Guid>();
        Assert.Equal($"/api/v1/declassifications/{declassification}", held.Location!.OriginalString);
        Assert.Equal("pending", held.Body["status"]!.GetValue<string>());
        Assert.Equal("RESTRICTED", held.Body["proposedMarking"]!["classification"]!.GetValue<string>());
        Assert.Equal("CONFIDENTIAL", ClassificationOf(await ReadAsync(w.AnalystReviewerA, id)));

        Assert.Equal(HttpStatusCode.Forbidden, (await SharingWorld.PostAsync(w.AnalystReviewerA, $"/api/v1/declassifications/{declassification}/approve", new { })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SharingWorld.PostAsync(w.AnalystA, $"/api/v1/declassifications/{declassification}/approve", new { })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SharingWorld.PostAsync(w.RestrictedReviewerA, $"/api/v1/declassifications/{declassification}/approve", new { })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SharingWorld.PostAsync(w.ReviewerB, $"/api/v1/declassifications/{declassification}/approve", new { })).Status);
        Assert.Equal("CONFIDENTIAL", ClassificationOf(await ReadAsync(w.AnalystReviewerA, id)));

        var approved = await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/declassifications/{declassification}/approve", new { reason = "source protected" });

        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.Equal("approved", approved.Body!["status"]!.GetValue<string>());
        var record = await ReadAsync(w.AnalystReviewerA, id);
        Assert.Equal("RESTRICTED", ClassificationOf(record));
        Assert.Equal("declassified", record["title"]!.GetValue<string>());
        foreach (var action in new[] { "record.declassification.request", "record.declassification.approve" })
        {
            var entries = await w.ReviewerA.Client.GetFromJsonAsync<JsonArray>($"/api/v1/audit?action={action}&target={declassification}");
            Assert.Single(entries!);
        }

        Assert.Equal(HttpStatusCode.Conflict, (await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/declassifications/{declassification}/refuse", new { reason = "again" })).Status);
    }

    [Fact]
    public async Task ARefusedDeclassification_LeavesTheRecordAsItWas()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var marker = Marker();
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, marker, "RESTRICTED", tlp: "AMBER+STRICT"))["id"]!.GetValue<Guid>();
        var held = await PutAsync(w.AnalystA, id, Request("wider", "RESTRICTED", "GREEN"));
        var declassification = held.Body!["id"]!.GetValue<Guid>();

        var refused = await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/declassifications/{declassification}/refuse", new { reason = "the source is at risk" });

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("refused", refused.Body!["status"]!.GetValue<string>());
        var record = await ReadAsync(w.AnalystA, id);
        Assert.Equal("AMBER+STRICT", record["marking"]!["tlp"]!.GetValue<string>());
        Assert.Equal(marker, record["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/declassifications/{declassification}/approve", new { })).Status);
        var audit = await w.ReviewerA.Client.GetFromJsonAsync<JsonArray>($"/api/v1/audit?action=record.declassification.refuse&target={declassification}");
        Assert.Single(audit!);
    }

    [Fact]
    public async Task ADeclassification_OfARecordChangedAfterTheRequest_IsRefusedWith409()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, Marker(), "CONFIDENTIAL"))["id"]!.GetValue<Guid>();
        var held = await PutAsync(w.AnalystA, id, Request("lowered", "RESTRICTED"));
        var declassification = held.Body!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(w.AnalystA, id, Request("new content the reviewer never saw", "CONFIDENTIAL"))).Status);

        var approved = await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/declassifications/{declassification}/approve", new { });

        Assert.Equal(HttpStatusCode.Conflict, approved.Status);
        var record = await ReadAsync(w.AnalystA, id);
        Assert.Equal("CONFIDENTIAL", ClassificationOf(record));
        Assert.Equal("new content the reviewer never saw", record["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task AddingRecipientsToARedRecord_IsHeld_UntilALegalReviewerApproves()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var marker = Marker();
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, marker, tlp: "RED", recipients: [w.ReviewerA.UserName]))["id"]!.GetValue<Guid>();
        Assert.False(await SharingWorld.SeesAsync(w.AnalystReviewerA, id, marker));

        var held = await PutAsync(w.AnalystA, id, Request(marker, "RESTRICTED", "RED", recipients: [w.ReviewerA.UserName, w.AnalystReviewerA.UserName]));

        Assert.Equal(HttpStatusCode.Accepted, held.Status);
        Assert.True(held.Body!["widensRecipients"]!.GetValue<bool>());
        Assert.False(await SharingWorld.SeesAsync(w.AnalystReviewerA, id, marker));
        var approved = await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/declassifications/{held.Body["id"]!.GetValue<Guid>()}/approve", new { });
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.True(await SharingWorld.SeesAsync(w.AnalystReviewerA, id, marker));

        // Naming fewer people is no declassification: applied at once.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(w.AnalystA, id, Request(marker, "RESTRICTED", "RED", recipients: [w.ReviewerA.UserName]))).Status);
    }

    [Fact]
    public async Task DowngradeReleaseRestore_StillWaitsForTheSecondPerson()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        var marker = Marker();
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, marker, "CONFIDENTIAL", tlp: "AMBER+STRICT"))["id"]!.GetValue<Guid>();

        var downgrade = await PutAsync(w.AnalystA, id, Request(marker, "UNCLASSIFIED", "GREEN"));
        Assert.Equal(HttpStatusCode.Accepted, downgrade.Status);
        Assert.Equal(HttpStatusCode.OK, (await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/declassifications/{downgrade.Body!["id"]!.GetValue<Guid>()}/approve", new { })).Status);

        var released = await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code);

        Assert.Equal(HttpStatusCode.Created, released.Status);
        Assert.Equal("awaiting-approval", released.Body!["status"]!.GetValue<string>());
        Assert.True(released.Body["requiresApproval"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(w.AnalystA, id, Request(marker, "CONFIDENTIAL", "AMBER+STRICT"))).Status);
        Assert.False(await SharingWorld.SeesAsync(w.AnalystB, id, marker));
        var inB = await w.AnalystB.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200");
        Assert.DoesNotContain(inB!["items"]!.AsArray(), i => i!["title"]!.GetValue<string>() == marker);
    }

    [Fact]
    public async Task AReleaseApproval_OfARecordChangedAfterTheRequest_Is409_AndNothingIsReleased_UntilAskedAgain()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        var marker = Marker();
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, marker, "CONFIDENTIAL"))["id"]!.GetValue<Guid>();
        var requested = await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code);
        Assert.Equal("awaiting-approval", requested.Body!["status"]!.GetValue<string>());
        var release = requested.Body["id"]!.GetValue<Guid>();
        var changed = "changed after the request " + marker;
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(w.AnalystA, id, Request(changed, "CONFIDENTIAL"))).Status);

        var approved = await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/releases/{release}/approve", new { });

        Assert.Equal(HttpStatusCode.Conflict, approved.Status);
        Assert.Contains("changed", approved.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var after = await w.ReviewerA.Client.GetFromJsonAsync<JsonObject>($"/api/v1/releases/{release}");
        Assert.Equal("awaiting-approval", after!["status"]!.GetValue<string>());
        Assert.Null(after["copy"]?.GetValue<Guid?>());
        var inB = await w.AnalystB.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200");
        Assert.DoesNotContain(inB!["items"]!.AsArray(), i => i!["title"]!.GetValue<string>() == changed);

        // Asked again for the record as it is: the old request is closed, the new one is approved and goes out.
        var again = await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code);
        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.Equal("refused", (await w.ReviewerA.Client.GetFromJsonAsync<JsonObject>($"/api/v1/releases/{release}"))!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/releases/{again.Body!["id"]!.GetValue<Guid>()}/approve", new { })).Status);
        inB = await w.AnalystB.Client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200");
        Assert.Contains(inB!["items"]!.AsArray(), i => i!["title"]!.GetValue<string>() == changed);
    }

    [Fact]
    public async Task Declassifications_AreListedOnlyToThoseWhoMayReadTheRecord()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, Marker(), "CONFIDENTIAL"))["id"]!.GetValue<Guid>();
        var held = (await PutAsync(w.AnalystA, id, Request("lower", "RESTRICTED"))).Body!["id"]!.GetValue<Guid>();

        async Task<bool> ListedAsync(TestUser user) =>
            (await user.Client.GetFromJsonAsync<JsonArray>($"/api/v1/declassifications?record={id}"))!.Any(d => d!["id"]!.GetValue<Guid>() == held);

        Assert.True(await ListedAsync(w.ReviewerA));
        Assert.True(await ListedAsync(w.AnalystA));
        Assert.False(await ListedAsync(w.RestrictedReviewerA));
        Assert.False(await ListedAsync(w.ReviewerB));
        Assert.Equal(HttpStatusCode.NotFound, (await w.RestrictedReviewerA.Client.GetAsync($"/api/v1/declassifications/{held}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await w.ReviewerA.Client.GetAsync($"/api/v1/declassifications/{held}")).StatusCode);
    }

    [Fact]
    public async Task ConsentRequests_AreListedOnlyToThoseWhoMayReadTheRecordTheyAreAbout()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        await w.AgreementAsync(w.AdminB, w.AdminC);
        var restrictedB = await w.Node.AddUserAsync(w.B, $"restricted.{Marker()}", [Role.LiaisonOfficer], Classification.Restricted);
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, Marker(), "CONFIDENTIAL"))["id"]!.GetValue<Guid>();
        var release = await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code);
        var copy = (await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/releases/{release.Body!["id"]!.GetValue<Guid>()}/approve", new { })).Body!["copy"]!.GetValue<Guid>();
        var asked = await SharingWorld.PostAsync(w.AnalystB, $"/api/v1/records/{copy}/consents", new { agency = w.C.Code });
        Assert.Equal(HttpStatusCode.Created, asked.Status);
        var consent = asked.Body!["id"]!.GetValue<Guid>();

        async Task<bool> ListedAsync(TestUser user) =>
            (await user.Client.GetFromJsonAsync<JsonArray>("/api/v1/consents"))!.Any(c => c!["id"]!.GetValue<Guid>() == consent);

        Assert.True(await ListedAsync(w.AnalystB));
        Assert.True(await ListedAsync(w.ReviewerA));
        Assert.False(await ListedAsync(restrictedB));
        Assert.False(await ListedAsync(w.RestrictedReviewerA));
        Assert.False(await ListedAsync(w.AnalystC));
        Assert.Equal(HttpStatusCode.NotFound, (await restrictedB.Client.GetAsync($"/api/v1/consents/{consent}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SharingWorld.PostAsync(w.RestrictedReviewerA, $"/api/v1/consents/{consent}/grant", new { })).Status);
        Assert.Equal(HttpStatusCode.OK, (await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/consents/{consent}/grant", new { })).Status);
    }

    [Fact]
    public async Task AuditEntriesAboutARecord_AreShownOnlyToThoseWhoMayReadIt_UntilItIsGone()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, Marker(), "CONFIDENTIAL"))["id"]!.GetValue<Guid>();
        var red = (await SharingWorld.CreateRecordAsync(w.AnalystA, Marker(), tlp: "RED", recipients: [w.AnalystReviewerA.UserName]))["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await w.AnalystA.Client.GetAsync($"/api/v1/records/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await w.AnalystReviewerA.Client.GetAsync($"/api/v1/records/{red}")).StatusCode);

        async Task<int> EntriesAsync(TestUser user, Guid target) =>
            (await user.Client.GetFromJsonAsync<JsonArray>($"/api/v1/audit?target={target}"))!.Count;

        Assert.True(await EntriesAsync(w.ReviewerA, id) >= 2);
        Assert.Equal(0, await EntriesAsync(w.RestrictedReviewerA, id));
        Assert.True(await EntriesAsync(w.AnalystReviewerA, red) >= 2);
        Assert.Equal(0, await EntriesAsync(w.ReviewerA, red));
        var all = await w.RestrictedReviewerA.Client.GetFromJsonAsync<JsonArray>("/api/v1/audit?limit=1000");
        Assert.DoesNotContain(all!, e => e!["targetId"]?.GetValue<string>() == id.ToString());

        Assert.Equal(HttpStatusCode.NoContent, (await w.AnalystA.Client.DeleteAsync($"/api/v1/records/{id}")).StatusCode);
        Assert.True(await EntriesAsync(w.RestrictedReviewerA, id) >= 3);
    }

    [Fact]
    public async Task AuditEntriesAboutAReleaseConsentOrDeclassification_FollowTheRecordTheyConcern_UntilItIsGone()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        await w.AgreementAsync(w.AdminB, w.AdminC);
        var restrictedB = await w.Node.AddUserAsync(w.B, $"dpo.restricted.{Marker()}", [Role.LegalReviewer], Classification.Restricted);
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, Marker(), "CONFIDENTIAL"))["id"]!.GetValue<Guid>();
        var release = (await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code)).Body!["id"]!.GetValue<Guid>();
        var copy = (await SharingWorld.PostAsync(w.ReviewerA, $"/api/v1/releases/{release}/approve", new { })).Body!["copy"]!.GetValue<Guid>();
        var consent = (await SharingWorld.PostAsync(w.AnalystB, $"/api/v1/records/{copy}/consents", new { agency = w.C.Code })).Body!["id"]!.GetValue<Guid>();
        var other = (await SharingWorld.CreateRecordAsync(w.AnalystA, Marker(), "CONFIDENTIAL"))["id"]!.GetValue<Guid>();
        var declassification = (await PutAsync(w.AnalystA, other, Request("lower", "RESTRICTED"))).Body!["id"]!.GetValue<Guid>();

        async Task<int> EntriesAsync(TestUser user, Guid target) =>
            (await user.Client.GetFromJsonAsync<JsonArray>($"/api/v1/audit?target={target}"))!.Count;

        Assert.True(await EntriesAsync(w.ReviewerA, release) >= 2);
        Assert.True(await EntriesAsync(w.ReviewerA, consent) >= 1);
        Assert.True(await EntriesAsync(w.ReviewerA, declassification) >= 1);
        Assert.True(await EntriesAsync(w.ReviewerB, consent) >= 1);
        Assert.Equal(0, await EntriesAsync(w.RestrictedReviewerA, release));
        Assert.Equal(0, await EntriesAsync(w.RestrictedReviewerA, consent));
        Assert.Equal(0, await EntriesAsync(w.RestrictedReviewerA, declassification));
        Assert.Equal(0, await EntriesAsync(restrictedB, consent));
        var all = await w.RestrictedReviewerA.Client.GetFromJsonAsync<JsonArray>("/api/v1/audit?limit=1000");
        Assert.DoesNotContain(all!, e => e!["targetId"]?.GetValue<string>() is { } target && (target == release.ToString() || target == declassification.ToString()));

        Assert.Equal(HttpStatusCode.NoContent, (await w.AnalystA.Client.DeleteAsync($"/api/v1/records/{other}")).StatusCode);
        Assert.True(await EntriesAsync(w.RestrictedReviewerA, declassification) >= 1);
    }
}
