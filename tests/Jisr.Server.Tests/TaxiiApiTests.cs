using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Jisr.Exchange.Stix;
using Jisr.Server.Taxii;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>
/// The TAXII 2.1 server against the reference server's request/status expectations (medallion's test_backends.py,
/// tests/data/taxii/test_backends_expectations.tsv), adapted to Jisr's collections: the agency's own collection plays
/// medallion's writable 365fed99, an agreement's collection its read-only ones.
/// </summary>
public sealed class TaxiiApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    public const string Accept = "application/taxii+json;version=2.1";

    public static JsonObject Indicator(string id, string modified = "2024-01-01T00:00:00.000Z", string domain = "example.com") => new()
    {
        ["type"] = "indicator",
        ["spec_version"] = "2.1",
        ["id"] = id,
        ["created"] = "2024-01-01T00:00:00.000Z",
        ["modified"] = modified,
        ["name"] = "bad domain",
        ["pattern"] = $"[domain-name:value = '{domain}']",
        ["pattern_type"] = "stix",
        ["valid_from"] = "2024-01-01T00:00:00Z",
    };

    public static async Task<HttpResponseMessage> PostEnvelopeAsync(HttpClient client, Guid collection, params JsonNode[] objects) =>
        await PostAsync(client, collection, new JsonObject { ["objects"] = new JsonArray([.. objects.Select(o => o.DeepClone())]) }.ToJsonString());

    public static async Task<JsonObject> GetAsync(HttpClient client, string path)
    {
        using var response = await SendAsync(client, HttpMethod.Get, path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    [Fact]
    public async Task Discovery_ApiRoot_Collections_Answer200_InTheTaxiiMediaType()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var agreement = await w.AgreementAsync(w.AdminA, w.AdminB);

        var discovery = await GetAsync(w.AnalystA.Client, "/taxii2/");
        var root = await GetAsync(w.AnalystA.Client, "/taxii2/api/");
        var collections = (await GetAsync(w.AnalystA.Client, "/taxii2/api/collections/"))["collections"]!.AsArray();

        Assert.Equal("/taxii2/api/", discovery["default"]!.GetValue<string>());
        Assert.Contains("/taxii2/api/", discovery["api_roots"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(Accept, Assert.Single(root["versions"]!.AsArray())!.GetValue<string>());
        Assert.True(root["max_content_length"]!.GetValue<int>() > 0);
        Assert.Equal(2, collections.Count);
        var own = collections.Single(c => c!["id"]!.GetValue<Guid>() == TaxiiService.OwnCollectionId(w.A.Id))!;
        var feed = collections.Single(c => c!["id"]!.GetValue<Guid>() == agreement)!;
        Assert.True(own["can_write"]!.GetValue<bool>());
        Assert.False(feed["can_write"]!.GetValue<bool>());
        Assert.True(feed["can_read"]!.GetValue<bool>());
        Assert.Equal(feed.ToJsonString(), (await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{agreement}/")).ToJsonString());
        Assert.Contains(w.B.Code, feed["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEnvelope_Answers202WithAStatus_ThenObjectsManifestVersionsAndStatusServeIt()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var own = TaxiiService.OwnCollectionId(w.A.Id);
        var id = $"indicator--{Guid.NewGuid():D}";
        var other = $"indicator--{Guid.NewGuid():D}";

        using var first = await PostEnvelopeAsync(w.AnalystA.Client, own, Indicator(id), Indicator(other, domain: "example.org"));
        var status = JsonNode.Parse(await first.Content.ReadAsStringAsync())!.AsObject();
        using var second = await PostEnvelopeAsync(w.AnalystA.Client, own, Indicator(id, "2025-02-03T04:05:06.789Z"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        AssertTaxiiMediaType(first);
        Assert.Equal("complete", status["status"]!.GetValue<string>());
        Assert.Equal(2, status["success_count"]!.GetValue<int>());
        Assert.Equal(0, status["failure_count"]!.GetValue<int>());
        Assert.Equal(status.ToJsonString(), (await GetAsync(w.AnalystA.Client, $"/taxii2/api/status/{status["id"]}/")).ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);

        var objects = await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/objects/");
        Assert.Equal(2, objects["objects"]!.AsArray().Count);
        Assert.False(objects["more"]!.GetValue<bool>());
        Assert.Equal("2025-02-03T04:05:06.789Z", objects["objects"]!.AsArray().Single(o => o!["id"]!.GetValue<string>() == id)!["modified"]!.GetValue<string>());
        Assert.Equal(2, (await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/objects/{id}/versions/"))["versions"]!.AsArray().Count);
        Assert.Equal("2024-01-01T00:00:00.000Z", Assert.Single((await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/objects/{id}/?match[version]=first"))["objects"]!.AsArray())!["modified"]!.GetValue<string>());
        Assert.Equal(2, (await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/objects/{id}/?match[version]=all"))["objects"]!.AsArray().Count);
        Assert.Equal(3, (await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/objects/?match[version]=all"))["objects"]!.AsArray().Count);
        Assert.Single((await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/objects/?match[id]={other}"))["objects"]!.AsArray());
        Assert.Empty((await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/objects/?match[type]=malware"))["objects"]?.AsArray() ?? []);
        Assert.Single((await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/objects/?match[spec_version]=2.1&match[id]={id}"))["objects"]!.AsArray());
        var manifest = (await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/manifest/"))["objects"]!.AsArray();
        Assert.Equal(2, manifest.Count);
        Assert.All(manifest, m => Assert.Equal("application/stix+json;version=2.1", m!["media_type"]!.GetValue<string>()));

        var page = await SendAsync(w.AnalystA.Client, HttpMethod.Get, $"/taxii2/api/collections/{own}/objects/?limit=1");
        var body = JsonNode.Parse(await page.Content.ReadAsStringAsync())!;
        Assert.True(body["more"]!.GetValue<bool>());
        Assert.True(page.Headers.Contains("X-TAXII-Date-Added-First"));
        Assert.True(page.Headers.Contains("X-TAXII-Date-Added-Last"));
        var rest = await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/objects/?limit=1&next={body["next"]}");
        Assert.False(rest["more"]!.GetValue<bool>());
        var added = page.Headers.GetValues("X-TAXII-Date-Added-Last").Single();
        Assert.Single((await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/objects/?added_after={added}"))["objects"]!.AsArray());
    }

    [Fact]
    public async Task AnEnvelopeWithOneBadObject_ImportsNothing_AndTheStatusNamesTheFailure()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var own = TaxiiService.OwnCollectionId(w.A.Id);
        var good = $"indicator--{Guid.NewGuid():D}";
        var bad = Indicator($"indicator--{Guid.NewGuid():D}");
        bad["pattern"] = "[domain-name:value = ";

        using var response = await PostEnvelopeAsync(w.AnalystA.Client, own, Indicator(good), bad);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(0, status["success_count"]!.GetValue<int>());
        Assert.Equal(2, status["failure_count"]!.GetValue<int>());
        Assert.Contains("pattern", status["failures"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == bad["id"]!.GetValue<string>())!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/objects/"))["objects"]?.AsArray() ?? []);
    }

    [Fact]
    public async Task AnAgreementsCollection_ServesTheAgencysCoveredRecords_NeverTlpRedOrUncoveredDomains()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var agreement = await w.AgreementAsync(w.AdminA, w.AdminB, highest: "CONFIDENTIAL");
        var covered = (await SharingWorld.CreateRecordAsync(w.AnalystA, "taxii covered"))["id"]!.GetValue<Guid>();
        var red = (await SharingWorld.CreateRecordAsync(w.AnalystA, "taxii red", tlp: "RED", recipients: [w.AnalystA.UserName]))["id"]!.GetValue<Guid>();
        var secret = (await SharingWorld.CreateRecordAsync(w.AnalystA, "taxii secret", classification: "SECRET"))["id"]!.GetValue<Guid>();

        var reports = (await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{agreement}/objects/?match[type]=report"))["objects"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();

        Assert.Equal([StixIds.For("report", covered)], reports);
        Assert.DoesNotContain(StixIds.For("report", red), reports);
        Assert.DoesNotContain(StixIds.For("report", secret), reports);

        // The partner's users see their own feed to A under the same agreement, never A's records.
        var partnerView = await GetAsync(w.AnalystB.Client, $"/taxii2/api/collections/{agreement}/objects/");
        Assert.DoesNotContain(partnerView["objects"]?.AsArray() ?? [], o => o!["type"]!.GetValue<string>() == "report");
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(w.AnalystC.Client, HttpMethod.Get, $"/taxii2/api/collections/{agreement}/objects/")).StatusCode);
    }

    [Fact]
    public async Task Errors_AreTaxiiErrorMessages_401_403_404_406_415_422_400()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var agreement = await w.AgreementAsync(w.AdminA, w.AdminB);
        var own = TaxiiService.OwnCollectionId(w.A.Id);
        using var anonymous = fixture.Node.CreateClient();

        await AssertErrorAsync(await SendAsync(anonymous, HttpMethod.Get, "/taxii2/"), HttpStatusCode.Unauthorized);
        await AssertErrorAsync(await SendAsync(anonymous, HttpMethod.Get, $"/taxii2/api/collections/{own}/objects/"), HttpStatusCode.Unauthorized);
        await AssertErrorAsync(await PostEnvelopeAsync(w.AnalystA.Client, agreement, Indicator($"indicator--{Guid.NewGuid():D}")), HttpStatusCode.Forbidden);
        await AssertErrorAsync(await SendAsync(w.AnalystA.Client, HttpMethod.Get, $"/taxii2/api/collections/{Guid.NewGuid()}/objects/"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await SendAsync(w.AnalystA.Client, HttpMethod.Get, $"/taxii2/api/collections/{TaxiiService.OwnCollectionId(w.B.Id)}/manifest/"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await SendAsync(w.AnalystA.Client, HttpMethod.Get, $"/taxii2/api/collections/{own}/objects/indicator--{Guid.NewGuid():D}/"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await SendAsync(w.AnalystA.Client, HttpMethod.Get, $"/taxii2/api/status/{Guid.NewGuid()}/"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await SendAsync(w.AnalystA.Client, HttpMethod.Get, "/taxii2/api/collections/", accept: "application/json"), HttpStatusCode.NotAcceptable);
        await AssertErrorAsync(await SendAsync(w.AnalystA.Client, HttpMethod.Get, "/taxii2/", accept: "application/taxii+json;version=2.0"), HttpStatusCode.NotAcceptable);
        await AssertErrorAsync(await SendAsync(w.AnalystA.Client, HttpMethod.Get, $"/taxii2/api/collections/{own}/objects/?limit=-20"), HttpStatusCode.BadRequest);
        await AssertErrorAsync(await PostAsync(w.AnalystA.Client, own, Indicator($"indicator--{Guid.NewGuid():D}").ToJsonString()), HttpStatusCode.UnprocessableEntity, "ProcessingError");
        await AssertErrorAsync(await PostAsync(w.AnalystA.Client, own, "{\"objects\": [", Accept), HttpStatusCode.UnprocessableEntity);
        await AssertErrorAsync(await PostAsync(w.AnalystA.Client, own, "{\"objects\": []}", "application/json"), HttpStatusCode.UnsupportedMediaType);

        // A status belongs to the agency that posted.
        using var posted = await PostEnvelopeAsync(w.AnalystA.Client, own, Indicator($"indicator--{Guid.NewGuid():D}"));
        var status = JsonNode.Parse(await posted.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        await AssertErrorAsync(await SendAsync(w.AnalystB.Client, HttpMethod.Get, $"/taxii2/api/status/{status}/"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(w.AnalystA.Client, HttpMethod.Get, $"/taxii2/api/status/{status}/")).StatusCode);

        // Accept with a space before the parameter, or none at all, is fine.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(w.AnalystA.Client, HttpMethod.Get, "/taxii2/", accept: "application/taxii+json; version=2.1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(w.AnalystA.Client, HttpMethod.Get, "/taxii2/", accept: null)).StatusCode);
    }

    [Fact]
    public async Task BasicAuthentication_TakesAnApiTokenAsThePassword_NeverTheAccountPassword()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        using var client = fixture.Node.CreateClient();

        async Task<HttpStatusCode> WithBasicAsync(string user, string password)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/taxii2/api/collections/");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            request.Headers.Accept.ParseAdd(Accept);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await WithBasicAsync(w.AnalystA.UserName, w.AnalystA.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithBasicAsync(w.AnalystB.UserName, w.AnalystA.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithBasicAsync(fixture.PoliceAdmin.UserName, "correct horse battery staple"));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithBasicAsync(w.AnalystA.UserName, "jisr_not-a-token"));
    }

    /// <summary>
    /// Our answers carry every member the taxii2-client library's canned server answers carry (its test fixtures), so
    /// the client reads them; only discovery's optional <c>contact</c> is left out (a node has none configured).
    /// </summary>
    [Fact]
    public async Task Answers_CarryEveryMemberOfTheTaxii2ClientFixtures()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var agreement = await w.AgreementAsync(w.AdminA, w.AdminB);
        var own = TaxiiService.OwnCollectionId(w.A.Id);
        using var posted = await PostEnvelopeAsync(w.AnalystA.Client, own, Indicator($"indicator--{Guid.NewGuid():D}"));
        var status = JsonNode.Parse(await posted.Content.ReadAsStringAsync())!;
        var manifest = await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/manifest/");
        (string Fixture, JsonNode Ours)[] pairs =
        [
            ("DISCOVERY_RESPONSE", await GetAsync(w.AnalystA.Client, "/taxii2/")),
            ("API_ROOT_RESPONSE", await GetAsync(w.AnalystA.Client, "/taxii2/api/")),
            ("COLLECTION_RESPONSE", await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{agreement}/")),
            ("WRITABLE_COLLECTION", await GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/")),
            ("STATUS_RESPONSE", status),
            ("GET_MANIFEST_RESPONSE", manifest),
        ];
        foreach (var (name, ours) in pairs)
        {
            var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "taxii", "cti-taxii-client", name + ".json")))!.AsObject();
            var missing = expected.Select(p => p.Key).Where(k => k != "contact" && !ours.AsObject().ContainsKey(k)).ToList();
            Assert.True(missing.Count == 0, $"{name}: missing {string.Join(", ", missing)}");
            foreach (var (key, value) in expected)
            {
                if (ours[key] is { } mine && value is not null)
                {
                    static string Kind(JsonNode n) => n.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False ? "boolean" : n.GetValueKind().ToString();
                    Assert.True(Kind(value) == Kind(mine), $"{name}.{key}: {Kind(mine)}, the fixture has {Kind(value)}");
                }
            }
        }

        var entry = manifest["objects"]!.AsArray()[0]!.AsObject();
        Assert.All(["date_added", "id", "media_type", "version"], k => Assert.True(entry.ContainsKey(k), k));
        Assert.Equal(TaxiiEndpoints.MediaType, JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "taxii", "cti-taxii-client", "API_ROOT_RESPONSE.json")))!["versions"]![0]!.GetValue<string>());
    }

    private static void AssertTaxiiMediaType(HttpResponseMessage response)
    {
        var type = response.Content.Headers.ContentType!;
        Assert.Equal("application/taxii+json", type.MediaType);
        Assert.Equal("2.1", Assert.Single(type.Parameters, p => p.Name == "version").Value);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? title = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        AssertTaxiiMediaType(response);
        var error = JsonNode.Parse(body)!;
        Assert.Equal(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error["http_status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["title"]!.GetValue<string>()));
        if (title is not null)
        {
            Assert.Equal(title, error["title"]!.GetValue<string>());
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, Guid collection, string body, string contentType = Accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/taxii2/api/collections/{collection}/objects/");
        request.Headers.Accept.ParseAdd(Accept);
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? accept = Accept)
    {
        var request = new HttpRequestMessage(method, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return client.SendAsync(request);
    }
}
