using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Server.Tests;

public sealed class NoticeFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public TestUser Issuer { get; private set; } = null!;

    public TestUser IssuerReviewer { get; private set; } = null!;

    public TestUser Recipient { get; private set; } = null!;

    public TestUser Outsider { get; private set; } = null!;

    public Guid Subject { get; private set; }

    public TestUser IssuerAdmin { get; private set; } = null!;

    public TestUser RecipientAdmin { get; private set; } = null!;

    /// <summary>A partner of the issuer whose agreement covers terrorism only.</summary>
    public TestUser TerrorismPartner { get; private set; } = null!;

    /// <summary>Proposes an agreement from the issuer and has the partner's administrator accept it.</summary>
    public async Task<Guid> AgreeAsync(TestUser partnerAdmin, params string[] threatDomains)
    {
        var proposal = new JsonObject
        {
            ["partner"] = partnerAdmin.Agency.Code,
            ["threatDomains"] = new JsonArray([.. threatDomains.Select(d => (JsonNode)d)]),
            ["highestClassification"] = "RESTRICTED",
            ["handlingCodes"] = new JsonArray("H0"),
            ["validFrom"] = DateOnly.FromDateTime(DateTime.UtcNow).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["validUntil"] = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(1)).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        var proposed = await IssuerAdmin.Client.PostAsJsonAsync("/api/v1/agreements", proposal);
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var agreement = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await partnerAdmin.Client.PostAsJsonAsync($"/api/v1/agreements/{agreement}/accept", new { })).StatusCode);
        return agreement;
    }

    public async Task InitializeAsync()
    {
        Node = await TestNode.StartAsync();
        var issuer = await Node.AddAgencyAsync("INT-NOT", "INT");
        var recipient = await Node.AddAgencyAsync("MA-NOT");
        var outsider = await Node.AddAgencyAsync("FR-NOT", "FR");
        Issuer = await Node.AddUserAsync(issuer, "analyst.not", [Role.Analyst]);
        IssuerReviewer = await Node.AddUserAsync(issuer, "dpo.not", [Role.LegalReviewer]);
        Recipient = await Node.AddUserAsync(recipient, "analyst.ma", [Role.Analyst]);
        Outsider = await Node.AddUserAsync(outsider, "analyst.fr", [Role.Analyst]);
        IssuerAdmin = await Node.AddUserAsync(issuer, "admin.not", [Role.Administrator]);
        RecipientAdmin = await Node.AddUserAsync(recipient, "admin.ma", [Role.Administrator]);
        var terrorismPartner = await Node.AddAgencyAsync("GB-NOT", "GB");
        TerrorismPartner = await Node.AddUserAsync(terrorismPartner, "analyst.gb", [Role.Analyst]);
        await AgreeAsync(RecipientAdmin, "drug-trafficking", "organised-crime", "online-extremism");
        await AgreeAsync(await Node.AddUserAsync(terrorismPartner, "admin.gb", [Role.Administrator]), "terrorism");
        var record = await Issuer.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid());
        Subject = (await record.Content.ReadFromJsonAsync<JsonObject>())!["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

public sealed class NoticeApiTests(NoticeFixture fixture) : IClassFixture<NoticeFixture>
{
    private JsonObject Notice(string summary, Guid? subject = null, string recipient = "MA-NOT") => new()
    {
        ["color"] = "red",
        ["subject"] = (subject ?? fixture.Subject).ToString(),
        ["title"] = "Wanted: cannabis resin trafficking network, Tanger Med",
        ["summary"] = summary,
        ["offence"] = "international drug trafficking",
        ["threatDomain"] = "drug-trafficking",
        ["recipients"] = new JsonArray(recipient),
    };

    private async Task<JsonObject> CreateAsync(string summary, string offence = "international drug trafficking", string threatDomain = "drug-trafficking")
    {
        var request = Notice(summary);
        request["offence"] = offence;
        request["threatDomain"] = threatDomain;
        var response = await fixture.Issuer.Client.PostAsJsonAsync("/api/v1/notices", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<HttpStatusCode> SeeAsync(TestUser user, Guid id) => (await user.Client.GetAsync($"/api/v1/notices/{id}")).StatusCode;

    private async Task<HttpStatusCode> DecideAsync(TestUser user, Guid id, string action, string reason = "checked against the neutrality rules") =>
        (await user.Client.PostAsJsonAsync($"/api/v1/notices/{id}/{action}", new { reason })).StatusCode;

    [Fact]
    public async Task NeutralNotice_IsIssuedAtOnce_ToItsRecipientsOnly()
    {
        var notice = await CreateAsync("Sought for organising shipments of cannabis resin through the port.");
        var id = notice["id"]!.GetValue<Guid>();

        Assert.Equal("issued", notice["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, await SeeAsync(fixture.Recipient, id));
        Assert.Equal(HttpStatusCode.NotFound, await SeeAsync(fixture.Outsider, id));
    }

    [Theory]
    [InlineData("Recherché comme opposant politique au régime.")]
    [InlineData("Wanted for apostasy and blasphemy.")]
    [InlineData("مطلوب بتهمة الفرار من الخدمة العسكرية")]
    [InlineData("Sought because of his ethnic origin.")]
    [InlineData("Arrest warrant of the Rabat court.", "haute trahison", "organised-crime")]
    [InlineData("Arrest warrant of the Rabat court.", "apologie du terrorisme sur les réseaux sociaux", "online-extremism")]
    public async Task FlaggedNotice_IsHeldUntilALegalReviewerClearsIt(string summary, string offence = "international drug trafficking", string threatDomain = "drug-trafficking")
    {
        var notice = await CreateAsync(summary, offence, threatDomain);
        var id = notice["id"]!.GetValue<Guid>();

        Assert.Equal("held-for-review", notice["status"]!.GetValue<string>());
        Assert.NotEmpty(notice["screeningFlags"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, await SeeAsync(fixture.Recipient, id));
        Assert.Equal(HttpStatusCode.Forbidden, await DecideAsync(fixture.Issuer, id, "clear"));

        Assert.Equal(HttpStatusCode.OK, await DecideAsync(fixture.IssuerReviewer, id, "clear"));
        Assert.Equal(HttpStatusCode.OK, await SeeAsync(fixture.Recipient, id));
        var seen = await fixture.Recipient.Client.GetFromJsonAsync<JsonObject>($"/api/v1/notices/{id}");
        Assert.False(seen!.ContainsKey("screeningFlags"));
    }

    [Fact]
    public async Task RefusedNotice_NeverReachesRecipients_AndCannotBeClearedAfterwards()
    {
        var id = (await CreateAsync("Opposant politique recherché."))["id"]!.GetValue<Guid>();

        Assert.Equal(HttpStatusCode.OK, await DecideAsync(fixture.IssuerReviewer, id, "refuse", "political character: article 3"));

        Assert.Equal(HttpStatusCode.NotFound, await SeeAsync(fixture.Recipient, id));
        Assert.Equal(HttpStatusCode.Conflict, await DecideAsync(fixture.IssuerReviewer, id, "clear"));
    }

    [Fact]
    public async Task HeldNotice_CancelledByItsAuthor_IsWithdrawn_AndNeverReachesRecipients()
    {
        var id = (await CreateAsync("Opposant politique recherché."))["id"]!.GetValue<Guid>();

        Assert.Equal(HttpStatusCode.OK, await DecideAsync(fixture.Issuer, id, "cancel", "sent by mistake"));

        Assert.Equal(HttpStatusCode.NotFound, await SeeAsync(fixture.Recipient, id));
        var own = await fixture.Issuer.Client.GetFromJsonAsync<JsonObject>($"/api/v1/notices/{id}");
        Assert.Equal("withdrawn", own!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, await DecideAsync(fixture.IssuerReviewer, id, "clear"));
    }

    [Fact]
    public async Task Cancellation_ReachesTheRecipients()
    {
        var id = (await CreateAsync("Sought for money laundering through front companies."))["id"]!.GetValue<Guid>();

        Assert.Equal(HttpStatusCode.OK, await DecideAsync(fixture.Issuer, id, "cancel", "arrested on 2026-11-20"));

        var seen = await fixture.Recipient.Client.GetFromJsonAsync<JsonObject>($"/api/v1/notices/{id}");
        Assert.Equal("cancelled", seen!["status"]!.GetValue<string>());
        Assert.Equal("arrested on 2026-11-20", seen["decisionReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task SuspendingThePartnership_HidesItsNoticesAtOnce_ResumingShowsThemAgain()
    {
        var partner = await fixture.Node.AddAgencyAsync("DE-NOT", "DE");
        var partnerAnalyst = await fixture.Node.AddUserAsync(partner, "analyst.de", [Role.Analyst]);
        var agreement = await fixture.AgreeAsync(await fixture.Node.AddUserAsync(partner, "admin.de", [Role.Administrator]), "drug-trafficking");
        var issued = await fixture.Issuer.Client.PostAsJsonAsync("/api/v1/notices", Notice("Sought for trafficking.", recipient: "DE-NOT"));
        var id = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, await SeeAsync(partnerAnalyst, id));

        Assert.Equal(HttpStatusCode.OK, (await fixture.IssuerAdmin.Client.PostAsJsonAsync($"/api/v1/agreements/{agreement}/suspend", new { reason = "audit of the partner" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await SeeAsync(partnerAnalyst, id));
        Assert.Empty((await partnerAnalyst.Client.GetFromJsonAsync<JsonArray>("/api/v1/notices"))!);
        Assert.Equal(HttpStatusCode.OK, await SeeAsync(fixture.Issuer, id)); // the issuer keeps its own notice

        Assert.Equal(HttpStatusCode.OK, (await fixture.IssuerAdmin.Client.PostAsJsonAsync($"/api/v1/agreements/{agreement}/resume", new { reason = "audit closed" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await SeeAsync(partnerAnalyst, id));
        Assert.Single((await partnerAnalyst.Client.GetFromJsonAsync<JsonArray>("/api/v1/notices"))!);
    }

    [Fact]
    public async Task SubjectAccessExport_ListsTheNoticesAboutThePerson_InJsonAndHtml()
    {
        var id = (await CreateAsync("Sought for <b>trafficking</b> through Tanger Med."))["id"]!.GetValue<Guid>();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/persons/{fixture.Subject}/subject-access");
        request.Headers.Add("X-Jisr-Purpose", "data-subject request 2026-88");
        using var html = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/persons/{fixture.Subject}/subject-access?format=html");
        html.Headers.Add("X-Jisr-Purpose", "data-subject request 2026-88");

        var export = await (await fixture.IssuerReviewer.Client.SendAsync(request)).Content.ReadFromJsonAsync<JsonObject>();
        var htmlResponse = await fixture.IssuerReviewer.Client.SendAsync(html);
        var report = await htmlResponse.Content.ReadAsStringAsync();
        Assert.Contains("default-src 'none'", htmlResponse.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var notice = Assert.Single(export!["notices"]!.AsArray(), n => n!["id"]!.GetValue<Guid>() == id)!;
        Assert.Equal("INT-NOT", notice["issuer"]!.GetValue<string>());
        Assert.Equal("red", notice["color"]!.GetValue<string>());
        Assert.Contains(export["auditEntries"]!.AsArray(), a => a!["action"]!.GetValue<string>() == "notice.create" && a["targetId"]!.GetValue<string>() == id.ToString("D"));
        Assert.Contains("Wanted: cannabis resin trafficking network, Tanger Med", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateWithFlaggedText_SendsAnIssuedNoticeBackToReview()
    {
        var id = (await CreateAsync("Sought for trafficking."))["id"]!.GetValue<Guid>();
        var update = Notice("Sought for trafficking and as a political opponent.");

        var response = await fixture.Issuer.Client.PutAsJsonAsync($"/api/v1/notices/{id}", update);

        Assert.Equal("held-for-review", (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, await SeeAsync(fixture.Recipient, id));
    }

    [Fact]
    public async Task Notice_WithoutSubject_WithAForeignSubject_OrAnUnknownRecipient_OrToANonPartner_IsRefused()
    {
        var noSubject = Notice("x");
        noSubject.Remove("subject");
        var before = await fixture.Issuer.Client.GetFromJsonAsync<JsonArray>("/api/v1/notices");

        var responses = new[]
        {
            (await fixture.Issuer.Client.PostAsJsonAsync("/api/v1/notices", noSubject), "subject", "needs a subject"),
            (await fixture.Issuer.Client.PostAsJsonAsync("/api/v1/notices", Notice("x", Guid.NewGuid())), "subject", "of your agency"),
            (await fixture.Issuer.Client.PostAsJsonAsync("/api/v1/notices", Notice("x", recipient: "XX-NONE")), "recipients[0]", "no agency 'XX-NONE'"),
            (await fixture.Issuer.Client.PostAsJsonAsync("/api/v1/notices", Notice("x", recipient: "FR-NOT")), "recipients[0]", "FR-NOT has no sharing agreement in force"),
            (await fixture.Issuer.Client.PostAsJsonAsync("/api/v1/notices", Notice("x", recipient: "GB-NOT")), "recipients[0]", "GB-NOT has no agreement with your agency that covers drug-trafficking"),
            (await fixture.Outsider.Client.PostAsJsonAsync("/api/v1/notices", Notice("x")), "subject", "of your agency"),
        };

        foreach (var (response, field, why) in responses)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(problem["errors"]!.AsObject().ContainsKey(field), field);
            Assert.Contains(why, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(before!.Count, (await fixture.Issuer.Client.GetFromJsonAsync<JsonArray>("/api/v1/notices"))!.Count);
        Assert.Empty((await fixture.Outsider.Client.GetFromJsonAsync<JsonArray>("/api/v1/notices"))!);
    }

    [Fact]
    public async Task Update_ToAThreatDomainARecipientsAgreementDoesNotCover_IsRefused_AndChangesNothing()
    {
        var id = (await CreateAsync("Sought for trafficking."))["id"]!.GetValue<Guid>();
        var update = Notice("Sought for an attack.");
        update["threatDomain"] = "terrorism";

        var response = await fixture.Issuer.Client.PutAsJsonAsync($"/api/v1/notices/{id}", update);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("a recipient of this notice has no agreement with your agency that covers terrorism", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var seen = await fixture.Recipient.Client.GetFromJsonAsync<JsonObject>($"/api/v1/notices/{id}");
        Assert.Equal("drug-trafficking", seen!["threatDomain"]!.GetValue<string>());
        Assert.Equal("Sought for trafficking.", seen["summary"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("pink")]
    [InlineData("7")]
    [InlineData("")]
    public async Task Create_WithAnUnknownColour_Answers400NamingTheColours_AndStoresNothing(string color)
    {
        var request = Notice("Sought for trafficking.");
        request["color"] = color;
        var before = (await fixture.Issuer.Client.GetFromJsonAsync<JsonArray>("/api/v1/notices"))!.Count;

        var response = await fixture.Issuer.Client.PostAsJsonAsync("/api/v1/notices", request);

        await AssertRefusedColourAsync(response, $"'{color}' is not one of: red, yellow, blue, black, green, orange, purple");
        Assert.Equal(before, (await fixture.Issuer.Client.GetFromJsonAsync<JsonArray>("/api/v1/notices"))!.Count);
    }

    [Theory]
    [InlineData("pink", "'pink' is not one of: red, yellow")]
    [InlineData("blue", "a red notice cannot become blue")]
    public async Task Update_WithAnUnknownOrAnotherColour_Answers400_AndChangesNothing(string color, string why)
    {
        var id = (await CreateAsync("Sought for trafficking."))["id"]!.GetValue<Guid>();
        var update = Notice("Sought for trafficking, new whereabouts.");
        update["color"] = color;

        var response = await fixture.Issuer.Client.PutAsJsonAsync($"/api/v1/notices/{id}", update);

        await AssertRefusedColourAsync(response, why);
        var seen = await fixture.Recipient.Client.GetFromJsonAsync<JsonObject>($"/api/v1/notices/{id}");
        Assert.Equal("red", seen!["color"]!.GetValue<string>());
        Assert.Equal("Sought for trafficking.", seen["summary"]!.GetValue<string>());
    }

    private static async Task AssertRefusedColourAsync(HttpResponseMessage response, string why)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(problem["errors"]!.AsObject().ContainsKey("color"), problem.ToJsonString());
        Assert.Contains(why, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllPartners_SendsTheNoticeToEveryPartnerWhoseAgreementCoversItsThreatDomain()
    {
        var request = Notice("Sought for trafficking through the strait.");
        request.Remove("recipients");
        request["allPartners"] = true;

        var response = await fixture.Issuer.Client.PostAsJsonAsync("/api/v1/notices", request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var notice = await response.Content.ReadFromJsonAsync<JsonObject>();
        var id = notice!["id"]!.GetValue<Guid>();
        Assert.Equal(["MA-NOT"], notice["recipients"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, await SeeAsync(fixture.Recipient, id));
        Assert.Equal(HttpStatusCode.NotFound, await SeeAsync(fixture.TerrorismPartner, id)); // a partner, but not for drug trafficking
        Assert.Equal(HttpStatusCode.NotFound, await SeeAsync(fixture.Outsider, id));

        request["threatDomain"] = "terrorism";
        request["summary"] = "Sought for planning an attack.";
        var terrorism = await (await fixture.Issuer.Client.PostAsJsonAsync("/api/v1/notices", request)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(["GB-NOT"], terrorism!["recipients"]!.AsArray().Select(r => r!.GetValue<string>()));

        request["threatDomain"] = "cybercrime";
        var nobody = await fixture.Issuer.Client.PostAsJsonAsync("/api/v1/notices", request);
        Assert.Equal(HttpStatusCode.BadRequest, nobody.StatusCode);
        Assert.Contains("covers cybercrime", (await nobody.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
