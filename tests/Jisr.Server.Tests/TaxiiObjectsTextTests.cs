using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Jisr.Exchange.Stix.Import;
using Jisr.Server.Application;
using Jisr.Server.Taxii;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Server.Tests;

/// <summary>
/// A page of TAXII objects carries each object as the text the node holds, written into the envelope as it is: not
/// parsed and serialised again (which escaped non-ASCII letters and dropped a partner's spacing).
/// </summary>
public sealed class TaxiiObjectsTextTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task ObjectsPage_CarriesEachObjectsReceivedText_ByteForByte_InAValidEnvelope()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var first = $"indicator--{Guid.NewGuid():D}";
        var second = $"x-partner-note--{Guid.NewGuid():D}";
        // As a partner may write them: spaces after colons, Arabic and accented letters unescaped, '<' and '&' raw.
        var firstText = $$"""{"type": "indicator", "spec_version": "2.1", "id": "{{first}}", "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "name": "نطاق خبيث – réseau <a&b>", "pattern": "[domain-name:value = 'example.com']", "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z"}""";
        var secondText = $$$"""{"type": "x-partner-note", "spec_version": "2.1", "id": "{{{second}}}", "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "x_text": "ملاحظة", "x_nested": {"list": [1, 2.50, true, null]}}""";
        var bundle = $$"""{"type": "bundle", "id": "bundle--{{Guid.NewGuid():D}}", "objects": [{{firstText}}, {{secondText}}]}""";

        using (var scope = fixture.Node.App.Services.CreateScope())
        {
            await using var input = new MemoryStream(Encoding.UTF8.GetBytes(bundle));
            var result = await scope.ServiceProvider.GetRequiredService<StixExchangeService>()
                .ImportAsync(StixExchangeService.SystemWriter(w.A), input, new StixImportOptions(), CancellationToken.None);
            Assert.True(result.Succeeded, string.Join("\n", result.Refusals));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/taxii2/api/collections/{TaxiiService.OwnCollectionId(w.A.Id)}/objects/");
        request.Headers.Accept.ParseAdd(TaxiiApiTests.Accept);
        using var response = await w.AnalystA.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/taxii+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("2.1", Assert.Single(response.Content.Headers.ContentType.Parameters, p => p.Name == "version").Value);
        Assert.Contains(firstText, body, StringComparison.Ordinal);
        Assert.Contains(secondText, body, StringComparison.Ordinal);
        var envelope = JsonNode.Parse(body)!.AsObject();
        Assert.False(envelope["more"]!.GetValue<bool>());
        var objects = envelope["objects"]!.AsArray();
        Assert.Equal(2, objects.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(firstText), objects.Single(o => o!["id"]!.GetValue<string>() == first)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(secondText), objects.Single(o => o!["id"]!.GetValue<string>() == second)));
    }
}
