using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Server.Endpoints;
using Jisr.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
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
}
