using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Records;
using Jisr.Domain.Users;
using Jisr.Server.Endpoints;
using Jisr.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Server.Tests;

/// <summary>
/// Walks the node's routing table: no endpoint is reachable without authentication unless it is on a short
/// allow-list, searches require a purpose, and no GET endpoint answers one agency with another agency's data.
/// </summary>
public sealed class EndpointCoverageTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static readonly HashSet<string> Anonymous =
        ["/health", "/health/live", "/health/ready", "/metrics", "/openapi/{documentName}.json", "/api/v1/auth/login",
         "/federation/v1/node", "/federation/v1/messages", "/federation/v1/messages/batch", "/federation/v1/hello", "/assets/{**path}", "/sign-in", "/language"];

    private IReadOnlyList<RouteEndpoint> AllEndpoints =>
        [.. fixture.Node.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    /// <summary>The API's endpoints: the web interface's pages (which call the same services) are proved in a browser, in Jisr.Web.Tests.</summary>
    private IReadOnlyList<RouteEndpoint> Endpoints =>
        [.. AllEndpoints.Where(e => e.Metadata.GetMetadata<Web.WebInterfaceEndpoint>() is null)];

    [Fact]
    public void EveryEndpoint_RequiresAuthentication_ExceptTheAllowList()
    {
        Assert.NotEmpty(Endpoints);
        Assert.Contains(AllEndpoints, e => "/" + e.RoutePattern.RawText!.TrimStart('/') == "/records/{id:guid}");
        foreach (var endpoint in AllEndpoints)
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var allowsAnonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            Assert.True(allowsAnonymous == Anonymous.Contains(route), $"{route}: anonymous={allowsAnonymous}");
        }
    }

    [Theory]
    [InlineData("/api/v1/records/search")]
    [InlineData("/api/v1/persons/match")]
    [InlineData("/api/v1/persons/{id:guid}/subject-access")]
    [InlineData("/api/v1/entities/{id:guid}/neighbours")]
    [InlineData("/api/v1/records/{id:guid}/stix")]
    [InlineData("/api/v1/fusion/proposals")]
    [InlineData("/api/v1/fusion/xref")]
    [InlineData("/api/v1/graph/neighbourhood/{id:guid}")]
    [InlineData("/api/v1/graph/path")]
    [InlineData("/api/v1/graph/cells")]
    [InlineData("/api/v1/graph/components")]
    [InlineData("/api/v1/graph/brokers")]
    [InlineData("/api/v1/graph/export")]
    public void EverySearchEndpoint_RequiresADeclaredPurpose(string route)
    {
        var endpoint = Assert.Single(Endpoints, e => "/" + e.RoutePattern.RawText!.TrimStart('/') == route);

        Assert.NotNull(endpoint.Metadata.GetMetadata<PurposeRequiredMetadata>());
    }

    [Fact]
    public async Task NoGetEndpoint_ReturnsAnotherAgencysRecordsOrEntities()
    {
        var marker = "leak" + Guid.NewGuid().ToString("N")[..8];
        var created = await fixture.PoliceAnalyst.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: $"{marker} Tanger"));
        var record = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var secrets = new List<string> { record["id"]!.GetValue<string>(), marker };
        secrets.AddRange(record["entities"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));

        var outsider = fixture.IntelligenceAnalyst.Client;
        var gets = Endpoints.Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true).ToList();
        Assert.True(gets.Count >= 8, $"only {gets.Count} GET endpoints found");
        foreach (var endpoint in gets)
        {
            foreach (var id in secrets.Take(1).Concat(secrets.Skip(2)))
            {
                var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/')
                    .Replace("{id:guid}", id, StringComparison.Ordinal)
                    .Replace("{code}", fixture.Police.Code, StringComparison.Ordinal)
                    .Replace("{documentName}", "v1", StringComparison.Ordinal);
                using var request = new HttpRequestMessage(HttpMethod.Get, path + $"?q={marker}&name=Youssef%20El%20Idrissi");
                request.Headers.Add(Purpose.Header, "leak test");
                var response = await outsider.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                // The id the caller sent may be echoed in a 404 message; anything else of the other agency must not appear.
                foreach (var secret in secrets.Where(s => s != id))
                {
                    Assert.False(body.Contains(secret, StringComparison.Ordinal), $"GET {path} leaked {secret}: {body[..Math.Min(300, body.Length)]}");
                }

                Assert.False((int)response.StatusCode is >= 200 and < 300 && path.Contains(id, StringComparison.Ordinal), $"GET {path} answered {response.StatusCode} for another agency's item");
            }
        }
    }

    /// <summary>
    /// Reads that touch no one's data: the node's health and description, the caller's own identity and tokens, and the
    /// TAXII discovery and API root documents (fixed text: the collections and everything in them are audited).
    /// </summary>
    private static readonly HashSet<string> UnauditedReads = ["/health", "/health/live", "/health/ready", "/metrics", "/openapi/{documentName}.json", "/api/v1/me", "/api/v1/tokens", "/api/v1/agencies", "/api/v1/agencies/{code}", "/api/v1/auth/antiforgery", "/taxii2", "/taxii2/api", "/federation/v1/node"];

    /// <summary>
    /// Every read is audited: each GET route of the routing table (but the short list above), called for an item
    /// that exists and for one that does not, appends an entry to the caller's agency's audit trail before it answers.
    /// </summary>
    [Fact]
    public async Task EveryReadEndpoint_WritesAnAuditEntry_WhetherTheItemIsFoundOrNot()
    {
        var agency = await fixture.Node.AddAgencyAsync("MA-AUD");
        var reader = await fixture.Node.AddUserAsync(agency, "omni.aud", Enum.GetValues<Role>());
        var record = (await (await reader.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid())).Content.ReadFromJsonAsync<JsonObject>())!;
        var person = record["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<string>();
        var itemFor = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["/api/v1/records/"] = record["id"]!.GetValue<string>(),
            ["/api/v1/entities/"] = person,
            ["/api/v1/persons/"] = person,
            ["/api/v1/users/"] = reader.Id.ToString("D"),
            ["/api/v1/fusion/"] = person,
            ["/api/v1/graph/"] = person,
        };

        async Task<int> EntriesAsync()
        {
            await using var db = fixture.Node.Database.Open();
            return await db.AuditLog.CountAsync(e => e.AgencyId == agency.Id);
        }

        var checkedReads = 0;
        foreach (var endpoint in Endpoints.Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true))
        {
            var route = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            if (UnauditedReads.Contains(route))
            {
                continue;
            }

            var existing = itemFor.FirstOrDefault(p => route.StartsWith(p.Key, StringComparison.Ordinal)).Value ?? Guid.NewGuid().ToString("D");
            foreach (var id in new[] { existing, Guid.NewGuid().ToString("D") }.Distinct())
            {
                var path = route.Replace("{id:guid}", id, StringComparison.Ordinal);
                // Searches take q or name; a graph path names its two ends (from, to) in the query.
                using var request = new HttpRequestMessage(HttpMethod.Get, path + $"?q=Idrissi&name=Youssef%20El%20Idrissi&from={id}&to={id}");
                request.Headers.Add(Purpose.Header, "audit coverage test");
                var before = await EntriesAsync();
                var response = await reader.Client.SendAsync(request);

                Assert.True((int)response.StatusCode is 200 or 404, $"GET {path} answered {(int)response.StatusCode}");
                Assert.True(await EntriesAsync() > before, $"GET {path} ({(int)response.StatusCode}) wrote no audit entry");
                checkedReads++;
                if (!route.Contains("{id:guid}", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        Assert.True(checkedReads >= 25, $"only {checkedReads} reads checked");
    }

    /// <summary>
    /// Every route that acts on one item ({id}), with every method it has, called by a user of an agency with no
    /// agreement, holding every role and the highest clearance, on items of every kind another agency owns
    /// (record, entity, release, consent request, notice, agreement, user, token, release copy), with a request body
    /// that would be valid: each answers 403 or 404, and the owner finds everything unchanged. A new route that
    /// forgot its policy check fails here.
    /// </summary>
    [Fact]
    public async Task EveryItemEndpoint_RefusesAnotherAgencysItems_WithEveryRoleAndMethod()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        var agreements = await w.AdminA.Client.GetFromJsonAsync<JsonArray>("/api/v1/agreements");
        var agreement = agreements!.Single()!["id"]!.GetValue<Guid>();
        var record = await SharingWorld.CreateRecordAsync(w.AnalystA, "coverage" + Guid.NewGuid().ToString("N")[..8], classification: "CONFIDENTIAL");
        var recordId = record["id"]!.GetValue<Guid>();
        var person = record["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();
        var release = (await SharingWorld.ReleaseAsync(w.AnalystA, recordId, w.B.Code)).Body!["id"]!.GetValue<Guid>();
        var sharedId = (await SharingWorld.CreateRecordAsync(w.AnalystA, "shared" + Guid.NewGuid().ToString("N")[..8]))["id"]!.GetValue<Guid>();
        var copy = (await SharingWorld.ReleaseAsync(w.AnalystA, sharedId, w.B.Code)).Body!["copy"]!.GetValue<Guid>();
        var consent = (await SharingWorld.PostAsync(w.AnalystB, $"/api/v1/records/{copy}/consents", new { agency = w.C.Code })).Body!["id"]!.GetValue<Guid>();
        var notice = (await SharingWorld.PostAsync(w.AnalystA, "/api/v1/notices", NoticeBody(person, w.B.Code))).Body!["id"]!.GetValue<Guid>();
        var token = (await w.AnalystA.Client.GetFromJsonAsync<JsonArray>("/api/v1/tokens"))!.First()!["id"]!.GetValue<Guid>();
        (TestUser, string)[] ownerReads =
        [
            (w.AnalystA, $"/api/v1/records/{recordId}"), (w.ReviewerA, $"/api/v1/releases/{release}"), (w.ReviewerA, $"/api/v1/consents/{consent}"),
            (w.AnalystA, $"/api/v1/notices/{notice}"), (w.AdminA, $"/api/v1/agreements/{agreement}"), (w.AdminA, $"/api/v1/users/{w.AnalystA.Id}"),
        ];
        var before = await SnapshotAsync(ownerReads);

        var outsider = await fixture.Node.AddUserAsync(w.C, "omni." + w.C.Code.ToLowerInvariant(), Enum.GetValues<Role>());
        Guid[] foreignIds = [recordId, person, release, copy, consent, notice, agreement, w.AnalystA.Id, token];
        var exercised = new HashSet<string>();
        foreach (var endpoint in Endpoints.Where(e => e.RoutePattern.RawText!.Contains("{id:guid}", StringComparison.Ordinal)))
        {
            var route = endpoint.RoutePattern.RawText!.TrimStart('/');
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                foreach (var id in foreignIds)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), "/" + route.Replace("{id:guid}", id.ToString("D"), StringComparison.Ordinal));
                    request.Headers.Add(Purpose.Header, "coverage test");
                    if (method is "POST" or "PUT")
                    {
                        request.Content = JsonContent.Create(ValidBodyFor(route, method, w, person));
                    }

                    var response = await outsider.Client.SendAsync(request);
                    Assert.True(
                        response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Forbidden,
                        $"{method} /{route} with another agency's {id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                exercised.Add($"{method} {route}");
            }
        }

        Assert.True(exercised.Count >= 25, $"only {exercised.Count} item endpoints exercised");
        Assert.Equal(before, await SnapshotAsync(ownerReads));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await w.AnalystA.Client.GetAsync("/api/v1/me")).StatusCode);
    }

    /// <summary>A body the route would accept from an authorised caller, so a refusal is the policy's, not validation's.</summary>
    private static object ValidBodyFor(string route, string method, SharingWorld w, Guid person) => route switch
    {
        "api/v1/records/{id:guid}" => RecordRequests.Valid(),
        "api/v1/records/{id:guid}/review" => new { decision = "extend", reason = "still needed", reviewDate = DateOnly.FromDateTime(DateTime.UtcNow.AddMonths(6)) },
        "api/v1/records/{id:guid}/releases" or "api/v1/records/{id:guid}/consents" => new { agency = w.A.Code },
        "api/v1/notices/{id:guid}" when method == "PUT" => NoticeBody(person, w.A.Code),
        "api/v1/users/{id:guid}/access" => new { roles = new[] { "analyst" }, clearance = "RESTRICTED" },
        "api/v1/users/{id:guid}/password" => new { password = "a long enough new password" },
        _ => new { reason = "coverage test" },
    };

    /// <summary>Each item as its owner reads it (each read must succeed), to compare before and after the calls.</summary>
    private static async Task<string> SnapshotAsync(IEnumerable<(TestUser User, string Path)> reads)
    {
        var parts = new List<string>();
        foreach (var (user, path) in reads)
        {
            var response = await user.Client.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            parts.Add(await response.Content.ReadAsStringAsync());
        }

        return string.Join("\n", parts);
    }

    /// <summary>A notice about <paramref name="subject"/> to <paramref name="recipient"/>, valid when both are the issuer's to name.</summary>
    private static JsonObject NoticeBody(Guid subject, string recipient) => new()
    {
        ["color"] = "blue", ["subject"] = subject, ["title"] = "Localisation", ["summary"] = "Information sur la personne",
        ["offence"] = "trafic de stupéfiants", ["threatDomain"] = "drug-trafficking", ["recipients"] = new JsonArray(recipient),
    };

    /// <summary>Which of the caller's own items a route's <c>{id}</c> names.</summary>
    private enum OwnItem
    {
        Record,
        Notice,
    }

    /// <summary>
    /// The caller (every role, highest clearance, in agency B), its own items, and other agencies' ids: a person of A
    /// the caller may read through a release copy but may not refer to, a person of C it may not read, an agreement
    /// between A and C, and users of A and of C.
    /// </summary>
    private sealed record BodyIdWorld(
        TestUser Caller, Guid OwnRecord, Guid OwnNotice, string Partner, string Third, Guid SharedPerson, Guid UnseenPerson, Guid ForeignAgreement, string PartnerUser, string ThirdUser)
    {
        public Guid Own(OwnItem kind) => kind switch
        {
            OwnItem.Record => OwnRecord,
            OwnItem.Notice => OwnNotice,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>One call: a body that would be valid but for another agency's id, and the field (or word) the refusal names.</summary>
    private sealed record ForeignIdCall(string Field, JsonObject Body);

    /// <summary>How to call a change route with other agencies' ids in its body: the own item its <c>{id}</c> names, if any, and the calls.</summary>
    private sealed record ForeignIdRoute(OwnItem? PathItem, Func<BodyIdWorld, IEnumerable<ForeignIdCall>> Calls);

    /// <summary>Change routes whose body carries ids (entities, users, agreements) that could name another agency's items.</summary>
    private static readonly Dictionary<string, ForeignIdRoute> ChangesWithForeignIds = new(StringComparer.Ordinal)
    {
        ["POST /api/v1/records"] = new(null, RecordCalls),
        ["PUT /api/v1/records/{id:guid}"] = new(OwnItem.Record, RecordCalls),
        ["POST /api/v1/records/{id:guid}/releases"] = new(OwnItem.Record, ReleaseCalls),
        ["POST /api/v1/notices"] = new(null, NoticeCalls),
        ["PUT /api/v1/notices/{id:guid}"] = new(OwnItem.Notice, NoticeCalls),
        ["POST /api/v1/fusion/judgements"] = new(null, JudgementCalls),
    };

    /// <summary>
    /// A judgement names two persons: one the caller reads through a partner's release copy (judging it is the point of
    /// cross-agency resolution) and one of a third agency the caller may not read, which is "not found", by its id.
    /// </summary>
    private static IEnumerable<ForeignIdCall> JudgementCalls(BodyIdWorld w) =>
    [
        new(w.UnseenPerson.ToString("D"), new JsonObject { ["a"] = w.SharedPerson, ["b"] = w.UnseenPerson, ["decision"] = "confirmed" }),
        new(w.UnseenPerson.ToString("D"), new JsonObject { ["a"] = w.UnseenPerson, ["b"] = w.SharedPerson, ["decision"] = "rejected" }),
    ];

    private const string PathIdOnly = "no id in the body (a reason, a decision, dates): the path's {id} is EveryItemEndpoint_RefusesAnotherAgencysItems's to check";

    /// <summary>Change routes whose body names no item of another agency, each with the reason.</summary>
    private static readonly Dictionary<string, string> ChangesWithoutForeignIds = new(StringComparer.Ordinal)
    {
        ["POST /api/v1/auth/login"] = "a user name and a password: signs in, names no item",
        ["POST /api/v1/auth/logout"] = "no body: ends the caller's own session",
        ["POST /api/v1/auth/second-factor"] = "no body: a new authenticator key for the caller's own account",
        ["POST /api/v1/auth/second-factor/confirm"] = "a code from the caller's own authenticator app",
        ["POST /api/v1/tokens"] = "a name and an expiry: a token for the caller",
        ["POST /api/v1/agencies"] = "a code, a name and a country: registers a new agency",
        ["POST /api/v1/users"] = "a user name, roles and a clearance: a user of the caller's own agency",
        ["POST /api/v1/agreements"] = "names the partner agency by code, as a proposal must, and none of its items",
        ["POST /api/v1/hits/check"] = "a name or an identifier to check against filters partners published to the caller's agency; names no item",
        ["POST /api/v1/hits/filters/publish"] = "no body: publishes this node's filters",
        ["POST /api/v1/hits/requests"] = "names the partner agency by code and the query; an agreement named counts only if the caller's agency is party to it and the query hits there (else 403 naming the agreement)",
        ["POST /api/v1/hits/requests/{id:guid}/reply"] = "the record to release is read through the release path as the caller (another agency's record: 404) and only by the owner's liaison officers; the path's {id} is EveryItemEndpoint_RefusesAnotherAgencysItems's to check",
        ["POST /api/v1/fusion/xref"] = "what to compare with (partners' copies or all) and a score: names no item",
        ["POST /api/v1/records/{id:guid}/consents"] = "names the third agency by code, as a consent request must; the record is the path's",
        ["DELETE /api/v1/tokens/{id:guid}"] = PathIdOnly,
        ["DELETE /api/v1/records/{id:guid}"] = PathIdOnly,
        ["POST /api/v1/records/{id:guid}/review"] = PathIdOnly,
        ["POST /api/v1/releases/{id:guid}/approve"] = PathIdOnly,
        ["POST /api/v1/releases/{id:guid}/refuse"] = PathIdOnly,
        ["POST /api/v1/releases/{id:guid}/recall"] = PathIdOnly,
        ["POST /api/v1/declassifications/{id:guid}/approve"] = PathIdOnly,
        ["POST /api/v1/declassifications/{id:guid}/refuse"] = PathIdOnly,
        ["POST /api/v1/consents/{id:guid}/grant"] = PathIdOnly,
        ["POST /api/v1/consents/{id:guid}/refuse"] = PathIdOnly,
        ["POST /api/v1/notices/{id:guid}/cancel"] = PathIdOnly,
        ["POST /api/v1/notices/{id:guid}/clear"] = PathIdOnly,
        ["POST /api/v1/notices/{id:guid}/refuse"] = PathIdOnly,
        ["POST /api/v1/agreements/{id:guid}/accept"] = PathIdOnly,
        ["POST /api/v1/agreements/{id:guid}/suspend"] = PathIdOnly,
        ["POST /api/v1/agreements/{id:guid}/resume"] = PathIdOnly,
        ["POST /api/v1/agreements/{id:guid}/end"] = PathIdOnly,
        ["POST /api/v1/users/{id:guid}/disable"] = PathIdOnly,
        ["POST /api/v1/users/{id:guid}/enable"] = PathIdOnly,
        ["PUT /api/v1/users/{id:guid}/access"] = "roles and a clearance for the user in the path, which must be of the caller's agency",
        ["PUT /api/v1/users/{id:guid}/password"] = "a new password for the user in the path, which must be of the caller's agency",
        ["DELETE /api/v1/users/{id:guid}/tokens"] = PathIdOnly,
        ["POST /api/v1/users/grants/{id:guid}/approve"] = PathIdOnly,
        ["POST /api/v1/users/grants/{id:guid}/refuse"] = PathIdOnly,
        ["POST /api/v1/federation/peers"] = "a partner node's address and key fingerprint: node administrators only, names no agency's item",
        ["POST /api/v1/federation/peers/{id:guid}/revoke"] = PathIdOnly,
        ["POST /federation/v1/messages"] = "a message signed by a peer node, not a user's request: the peer rules of the policy decide what it may change (FederationReceiver)",
        ["POST /federation/v1/messages/batch"] = "messages signed by a peer node, each checked as if it came alone (FederationReceiver)",
        ["POST /federation/v1/hello"] = "a peer node's signed \"I am up\", checked like a message: it only lifts the retry back-off of what waits for that peer (FederationReceiver)",
        ["POST /taxii2/api/collections/{id:guid}/objects"] = "a STIX envelope imported into the caller's own agency: the importer resolves its references only within the envelope, among what that agency received, or to the published TLP definitions; the path's collection is one open to the caller",
    };

    /// <summary>A TLP:RED record (so that naming recipients is valid) with one change.</summary>
    private static JsonObject RedRecord(Action<JsonObject> change)
    {
        var request = RecordRequests.Valid();
        request["marking"]!["tlp"] = "RED";
        change(request);
        return request;
    }

    private static IEnumerable<ForeignIdCall> RecordCalls(BodyIdWorld f) =>
    [
        new("entities[2].id", RedRecord(r => r["entities"]!.AsArray().Add(new JsonObject { ["id"] = f.SharedPerson }))),
        new("entities[2].id", RedRecord(r => r["entities"]!.AsArray().Add(new JsonObject { ["id"] = f.UnseenPerson }))),
        new("links[1].to", RedRecord(r => r["links"]!.AsArray().Add(new JsonObject { ["from"] = "p1", ["to"] = f.SharedPerson.ToString("D"), ["type"] = "associate-of" }))),
        new("recipients[0]", RedRecord(r => r["recipients"] = new JsonArray(f.PartnerUser))),
    ];

    /// <summary>The own record is TLP:RED: a release names users of the recipient agency.</summary>
    private static IEnumerable<ForeignIdCall> ReleaseCalls(BodyIdWorld f) =>
    [
        new("agreement", new JsonObject { ["agency"] = f.Partner, ["agreement"] = f.ForeignAgreement, ["recipients"] = new JsonArray(f.PartnerUser) }),
        new("agreement", new JsonObject { ["agency"] = f.Third, ["agreement"] = f.ForeignAgreement, ["recipients"] = new JsonArray(f.ThirdUser) }),
        new("recipients[0]", new JsonObject { ["agency"] = f.Partner, ["recipients"] = new JsonArray(f.ThirdUser) }),
    ];

    private static IEnumerable<ForeignIdCall> NoticeCalls(BodyIdWorld f) =>
    [
        new("subject", NoticeBody(f.SharedPerson, f.Partner)),
        new("subject", NoticeBody(f.UnseenPerson, f.Partner)),
    ];

    private static string RouteOf(RouteEndpoint endpoint) => "/" + endpoint.RoutePattern.RawText!.Trim('/');

    private static Guid PersonOf(JsonObject record) =>
        record["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();

    /// <summary>
    /// Every change route of the routing table (every method but GET), classified: either it carries no id of another
    /// agency's item in its body (with the reason), or it is called by a user of an agency with every role and the
    /// highest clearance, on the caller's own item where the path needs one, with bodies that would be valid but that
    /// each name another agency's item (an entity it may read through a release copy, an entity it may not read, a
    /// user, an agreement between two other agencies). Each answers 400, 403, 404 or 409 naming the field, the other
    /// agencies' items and the caller's own are unchanged, and nothing new refers to the other agencies' items.
    /// </summary>
    [Fact]
    public async Task EveryChangeEndpoint_RefusesAnotherAgencysIdsInTheBody()
    {
        var changes = Endpoints
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Where(m => m is not "GET" and not "HEAD").Select(m => $"{m} {RouteOf(e)}"))
            .ToList();
        var unclassified = changes.Where(c => !ChangesWithForeignIds.ContainsKey(c) && !ChangesWithoutForeignIds.ContainsKey(c)).ToList();
        Assert.True(
            unclassified.Count == 0,
            $"classify {string.Join(", ", unclassified)} in EndpointCoverageTests: in ChangesWithForeignIds (how to call it with another agency's ids in its body) or in ChangesWithoutForeignIds (why its body names no other agency's item)");
        var stale = ChangesWithForeignIds.Keys.Concat(ChangesWithoutForeignIds.Keys).Except(changes).ToList();
        Assert.True(stale.Count == 0, $"{string.Join(", ", stale)} no longer in the routing table: update EndpointCoverageTests' classification");

        var (w, world) = await BodyIdWorldAsync();
        var before = await ForeignStateAsync(w, world);
        var calls = 0;
        var failures = new List<string>();
        foreach (var change in changes.Where(ChangesWithForeignIds.ContainsKey))
        {
            var method = change[..change.IndexOf(' ', StringComparison.Ordinal)];
            var route = ChangesWithForeignIds[change];
            var path = change[(method.Length + 1)..];
            if (route.PathItem is { } kind)
            {
                path = path.Replace("{id:guid}", world.Own(kind).ToString("D"), StringComparison.Ordinal);
            }

            foreach (var call in route.Calls(world))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(call.Body) };
                var response = await world.Caller.Client.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                if (!((int)response.StatusCode is 400 or 403 or 404 or 409 && answer.Contains(call.Field, StringComparison.Ordinal)))
                {
                    failures.Add($"{method} {path} with another agency's id in {call.Field} answered {(int)response.StatusCode}: {answer}");
                }

                calls++;
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(calls >= 10, $"only {calls} calls with another agency's ids made");
        Assert.Equal(before, await ForeignStateAsync(w, world));
    }

    /// <summary>Agencies A, B and C; agreements A-B and A-C; A's record released to B; C's record; B's caller with a TLP:RED record and a notice.</summary>
    private async Task<(SharingWorld World, BodyIdWorld Ids)> BodyIdWorldAsync()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        await w.AgreementAsync(w.AdminA, w.AdminB);
        var foreignAgreement = await w.AgreementAsync(w.AdminA, w.AdminC);
        var shared = await SharingWorld.CreateRecordAsync(w.AnalystA, "bodyids" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await SharingWorld.ReleaseAsync(w.AnalystA, shared["id"]!.GetValue<Guid>(), w.B.Code)).Status);
        var unseen = await SharingWorld.CreateRecordAsync(w.AnalystC, "bodyids" + Guid.NewGuid().ToString("N")[..8]);

        var caller = await fixture.Node.AddUserAsync(w.B, "omni." + w.B.Code.ToLowerInvariant(), Enum.GetValues<Role>());
        var own = await SharingWorld.CreateRecordAsync(caller, "bodyids" + Guid.NewGuid().ToString("N")[..8], tlp: "RED");
        var notice = await SharingWorld.PostAsync(caller, "/api/v1/notices", NoticeBody(PersonOf(own), w.A.Code));
        Assert.Equal(System.Net.HttpStatusCode.Created, notice.Status);
        var world = new BodyIdWorld(
            caller, own["id"]!.GetValue<Guid>(), notice.Body!["id"]!.GetValue<Guid>(), w.A.Code, w.C.Code, PersonOf(shared), PersonOf(unseen), foreignAgreement, w.AnalystA.UserName, w.AnalystC.UserName);

        // The caller may read A's person (through the release copy): refusing it is the partner-entity rule's, not the read rule's.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await caller.Client.GetAsync($"/api/v1/entities/{world.SharedPerson}")).StatusCode);
        return (w, world);
    }

    /// <summary>
    /// The other agencies' items and the caller's own as their owners read them, and every row of the database that
    /// refers to the other agencies' entities, users or agreement (mentions, links, notices, recipients, releases).
    /// </summary>
    private async Task<string> ForeignStateAsync(SharingWorld w, BodyIdWorld f)
    {
        var reads = await SnapshotAsync(
        [
            (w.AnalystA, $"/api/v1/entities/{f.SharedPerson}/records"), (w.AnalystC, $"/api/v1/entities/{f.UnseenPerson}/records"),
            (w.AdminA, $"/api/v1/agreements/{f.ForeignAgreement}"), (w.AdminA, $"/api/v1/users/{w.AnalystA.Id}"), (w.AdminC, $"/api/v1/users/{w.AnalystC.Id}"),
            (f.Caller, $"/api/v1/records/{f.OwnRecord}"), (f.Caller, $"/api/v1/notices/{f.OwnNotice}"), (f.Caller, $"/api/v1/releases?record={f.OwnRecord}"),
        ]);
        EntityId[] entities = [new(f.SharedPerson), new(f.UnseenPerson)];
        Guid[] users = [w.AnalystA.Id, w.AnalystC.Id];
        await using var db = fixture.Node.Database.Open();
        var references = new List<string>();
        references.AddRange((await db.Mentions.AsNoTracking().Where(m => entities.Contains(m.EntityId)).ToListAsync()).Select(m => m.ToString()));
        references.AddRange((await db.Links.AsNoTracking().Where(l => entities.Contains(l.FromEntityId) || entities.Contains(l.ToEntityId)).Select(l => l.Id).ToListAsync()).Select(id => $"link {id}"));
        references.AddRange((await db.Notices.AsNoTracking().Where(n => entities.Contains(n.SubjectEntityId)).Select(n => n.Id).ToListAsync()).Select(id => $"notice {id}"));
        references.AddRange((await db.Set<RecordRecipient>().AsNoTracking().Where(r => users.Contains(r.UserId)).ToListAsync()).Select(r => r.ToString()));
        references.AddRange((await db.Releases.AsNoTracking().ToListAsync())
            .Where(r => r.AgreementId.Value == f.ForeignAgreement || r.RecipientUserIds.Any(u => users.Contains(u.Value))).Select(r => $"release {r.Id}"));
        references.Sort(StringComparer.Ordinal);
        return reads + "\n" + string.Join("\n", references);
    }
}
