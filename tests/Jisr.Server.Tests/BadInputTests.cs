using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>Bad input gets a 400 (or 413) problem detail that names the field, and nothing is written.</summary>
public sealed class BadInputTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private HttpClient Client => fixture.PoliceAnalyst.Client;

    public static TheoryData<string, Action<JsonObject>, string> InvalidRecords => new()
    {
        { "unknown classification", r => r["marking"]!["classification"] = "TOP-SECRET", "marking.classification" },
        { "unknown tlp", r => r["marking"]!["tlp"] = "PURPLE", "marking.tlp" },
        { "H3 without note", r => r["marking"]!["handling"] = "H3", "marking.handlingNote" },
        { "no marking", r => r.Remove("marking"), "marking" },
        { "unknown kind", r => r["kind"] = "rumour", "kind" },
        { "unknown threat domain", r => r["threatDomains"] = new JsonArray("terrorism", "jaywalking"), "threatDomains[1]" },
        { "no threat domain", r => r["threatDomains"] = new JsonArray(), "threatDomains" },
        { "bad admiralty grade", r => r["sourceGrading"] = "G7", "sourceGrading" },
        { "retention in the past", r => r["retentionUntil"] = "2001-01-01T00:00:00Z", "retentionUntil" },
        { "wrong date format", r => r["retentionUntil"] = "31/12/2030", "retentionUntil" },
        { "wrong type", r => r["title"] = 42, "title" },
        { "array instead of string", r => r["language"] = new JsonArray("fr"), "language" },
        { "unknown field", r => r["titel"] = "typo", "titel" },
        { "empty title", r => r["title"] = "   ", "title" },
        { "person without name", r => r["entities"]![0]!["names"] = new JsonArray(), "entities[0].names" },
        { "future date of birth", r => r["entities"]![0]!["dateOfBirth"] = "2999-01-01", "entities[0].dateOfBirth" },
        { "impossible date of birth", r => r["entities"]![0]!["dateOfBirth"] = "1990-02-30", "entities[0].dateOfBirth" },
        { "unknown entity type", r => r["entities"]![0]!["type"] = "spaceship", "entities[0].type" },
        { "attribute of another type", r => r["entities"]![1]!["iban"] = "FR7630006000011234567890189", "entities[1].iban" },
        { "bad phone", r => r["entities"]![1]!["number"] = "call me maybe", "entities[1].number" },
        { "bad nationality", r => r["entities"]![0]!["nationalities"] = new JsonArray("Morocco"), "entities[0].nationalities[0]" },
        { "link to unknown ref", r => r["links"]![0]!["to"] = "nobody", "links[0].to" },
        { "unknown link type", r => r["links"]![0]!["type"] = "likes", "links[0].type" },
        { "future link", r => r["links"]![0]!["validFrom"] = "2999-01", "links[0].validFrom" },
        { "self link", r => r["links"]![0]!["to"] = "p1", "links[0].to" },
        { "10 MB name", r => r["entities"]![0]!["names"] = new JsonArray(new string('m', 10 * 1024 * 1024)), "entities[0].names[0]" },
    };

    [Theory]
    [MemberData(nameof(InvalidRecords))]
    public async Task Create_WithInvalidField_Answers400NamingTheField_AndWritesNothing(string because, Action<JsonObject> spoil, string field)
    {
        var marker = "bad-" + Guid.NewGuid().ToString("N");
        var request = RecordRequests.Valid(title: marker);
        spoil(request);
        var before = await CountAsync();

        var response = await Client.PostAsync("/api/v1/records", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var errors = problem!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"{because}: expected an error for '{field}', got {problem.ToJsonString()[..Math.Min(400, problem.ToJsonString().Length)]}");
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Create_WithMalformedJson_Answers400()
    {
        var response = await Client.PostAsync("/api/v1/records", new StringContent("{\"title\": \"unterminated", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["detail"]);
    }

    [Fact]
    public async Task Create_WithInvalidUtf8_Answers400()
    {
        var valid = Encoding.UTF8.GetBytes(RecordRequests.Valid().ToJsonString());
        var marker = Encoding.UTF8.GetBytes("Tanger");
        var at = valid.AsSpan().IndexOf(marker);
        valid[at] = 0xFF; // not a UTF-8 byte
        var content = new ByteArrayContent(valid);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await Client.PostAsync("/api/v1/records", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("title"), problem.ToJsonString());
    }

    [Fact]
    public async Task Create_WithBodyOverTheLimit_Answers413ProblemDetail()
    {
        // A well-behaved client announces a large upload (Expect: 100-continue) and gets the answer before sending it.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/records")
        {
            Content = new StringContent("{\"title\":\"" + new string('a', 17 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(problem?["detail"] is not null, problem?.ToJsonString());
        Assert.Contains("MB", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithEmptyBody_Answers400()
    {
        var response = await Client.PostAsync("/api/v1/records", new StringContent("", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Create_WithSqlMetacharactersInEveryTextField_StoresThemLiterally()
    {
        const string nasty = "'; DROP TABLE \"Records\"; -- \" OR 1=1 /* % _ \\ ` \u0000";
        var clean = nasty.Replace("\u0000", "", StringComparison.Ordinal);
        var request = RecordRequests.Valid(title: clean, body: clean);
        request["legalBasis"] = clean;
        request["purpose"] = clean;
        request["entities"]![0]!["names"] = new JsonArray("O'Brien \"Robert\" ; DELETE", clean);
        request["entities"]![0]!["placeOfBirth"] = clean;

        var response = await Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var stored = await Client.GetFromJsonAsync<JsonObject>($"/api/v1/records/{id}");

        Assert.Equal(clean.Trim(), stored!["title"]!.GetValue<string>());
        Assert.Equal(clean.Trim(), stored["legalBasis"]!.GetValue<string>());
        Assert.Contains(stored["entities"]!.AsArray(), e => e!["names"]?[0]?["text"]?.GetValue<string>() == "O'Brien \"Robert\" ; DELETE");

        using var search = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/search?q={Uri.EscapeDataString(nasty)}");
        search.Headers.Add("X-Jisr-Purpose", "injection check");
        var searched = await Client.SendAsync(search);
        Assert.Equal(HttpStatusCode.OK, searched.StatusCode);
    }

    [Fact]
    public async Task Create_WithNulCharacter_Answers400()
    {
        var request = RecordRequests.Valid(title: "before\u0000after");

        var response = await Client.PostAsJsonAsync("/api/v1/records", request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("title"));
    }

    [Fact]
    public async Task List_WithForgedCursor_Answers400NamingCursor()
    {
        var response = await Client.GetAsync("/api/v1/records?cursor=abc'--");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("cursor"));
    }

    [Theory]
    [InlineData("%20%20%20")]
    [InlineData("%01%02")]
    [InlineData("enqu%C3%AAte%0A2026")]
    [InlineData("%E2%80")]
    [InlineData("\t")]
    public async Task Search_WithAPurposeOfBlanksControlCharactersOrBrokenUtf8_Answers400NamingTheHeader(string purpose)
    {
        using var search = new HttpRequestMessage(HttpMethod.Get, "/api/v1/records/search?q=Tanger");
        search.Headers.TryAddWithoutValidation("X-Jisr-Purpose", purpose);

        var response = await Client.SendAsync(search);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("X-Jisr-Purpose"));
    }

    [Fact]
    public async Task Search_WithAnArabicPurpose_IsKeptDecodedAndTrimmed()
    {
        var purpose = "تحقيق 2026/114 " + Guid.NewGuid().ToString("N")[..6];
        using var search = new HttpRequestMessage(HttpMethod.Get, "/api/v1/records/search?q=Tanger");
        search.Headers.Add("X-Jisr-Purpose", "  " + Uri.EscapeDataString(purpose) + "  ");

        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(search)).StatusCode);
        await using var db = fixture.Node.Database.Open();
        Assert.True(db.AuditLog.Any(e => e.Purpose == purpose));
    }

    [Fact]
    public async Task Create_WithADuplicatedJsonKey_Answers400()
    {
        var body = RecordRequests.Valid().ToJsonString();
        var duplicated = "{\"title\":\"first\"," + body[1..];
        using var content = new StringContent(duplicated, System.Text.Encoding.UTF8, "application/json");
        var before = await CountAsync();

        var response = await Client.PostAsync("/api/v1/records", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task ApiAnswers_AreNotCached_AndNotSniffed()
    {
        var response = await Client.GetAsync("/api/v1/records");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    private async Task<int> CountAsync()
    {
        await using var db = fixture.Node.Database.Open();
        return db.Records.Count();
    }
}
