using System.Net.Http.Json;
using System.Text.Json.Nodes;
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
    private static readonly HashSet<string> Anonymous = ["/health", "/openapi/{documentName}.json", "/api/v1/auth/login"];

    private IReadOnlyList<RouteEndpoint> Endpoints =>
        [.. fixture.Node.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    [Fact]
    public void EveryEndpoint_RequiresAuthentication_ExceptTheAllowList()
    {
        Assert.NotEmpty(Endpoints);
        foreach (var endpoint in Endpoints)
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

    /// <summary>Reads that touch no one's data: the node's health and description, and the caller's own identity and tokens.</summary>
    private static readonly HashSet<string> UnauditedReads = ["/health", "/openapi/{documentName}.json", "/api/v1/me", "/api/v1/tokens", "/api/v1/agencies", "/api/v1/agencies/{code}"];

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
                using var request = new HttpRequestMessage(HttpMethod.Get, path + "?q=Idrissi&name=Youssef%20El%20Idrissi");
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
        var notice = (await SharingWorld.PostAsync(w.AnalystA, "/api/v1/notices", new
        {
            color = "blue", subject = person, title = "Localisation", summary = "Information sur la personne", offence = "trafic de stupéfiants",
            threatDomain = "drug-trafficking", recipients = new[] { w.B.Code },
        })).Body!["id"]!.GetValue<Guid>();
        var token = (await w.AnalystA.Client.GetFromJsonAsync<JsonArray>("/api/v1/tokens"))!.First()!["id"]!.GetValue<Guid>();
        var before = await SnapshotAsync(w, recordId, release, consent, notice, agreement);

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
        Assert.Equal(before, await SnapshotAsync(w, recordId, release, consent, notice, agreement));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await w.AnalystA.Client.GetAsync("/api/v1/me")).StatusCode);
    }

    /// <summary>A body the route would accept from an authorised caller, so a refusal is the policy's, not validation's.</summary>
    private static object ValidBodyFor(string route, string method, SharingWorld w, Guid person) => route switch
    {
        "api/v1/records/{id:guid}" => RecordRequests.Valid(),
        "api/v1/records/{id:guid}/review" => new { decision = "extend", reason = "still needed", reviewDate = DateOnly.FromDateTime(DateTime.UtcNow.AddMonths(6)) },
        "api/v1/records/{id:guid}/releases" or "api/v1/records/{id:guid}/consents" => new { agency = w.A.Code },
        "api/v1/notices/{id:guid}" when method == "PUT" => new
        {
            color = "blue", subject = person, title = "Mise à jour", summary = "Information", offence = "trafic", threatDomain = "drug-trafficking", recipients = new[] { w.A.Code },
        },
        _ => new { reason = "coverage test" },
    };

    private static async Task<string> SnapshotAsync(SharingWorld w, Guid record, Guid release, Guid consent, Guid notice, Guid agreement)
    {
        var parts = new List<string>();
        foreach (var (user, path) in new[]
                 {
                     (w.AnalystA, $"/api/v1/records/{record}"), (w.ReviewerA, $"/api/v1/releases/{release}"), (w.ReviewerA, $"/api/v1/consents/{consent}"),
                     (w.AnalystA, $"/api/v1/notices/{notice}"), (w.AdminA, $"/api/v1/agreements/{agreement}"), (w.AdminA, $"/api/v1/users/{w.AnalystA.Id}"),
                 })
        {
            var response = await user.Client.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            parts.Add(await response.Content.ReadAsStringAsync());
        }

        return string.Join("\n", parts);
    }
}
