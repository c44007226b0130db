using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Jisr.Server.Taxii;

namespace Jisr.Server.Tests;

/// <summary>An envelope over the API root's <c>max_content_length</c> is 413, with or without a Content-Length, and nothing of it is kept.</summary>
public sealed class TaxiiUploadLimitTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnEnvelopeOverTheLimit_Is413_AndNothingOfItIsImported(bool chunked)
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var own = TaxiiService.OwnCollectionId(w.A.Id);
        var big = TaxiiApiTests.Indicator($"indicator--{Guid.NewGuid():D}");
        big["description"] = new string('x', 11 * 1024 * 1024); // max_content_length is 10 MiB
        var body = new JsonObject { ["objects"] = new JsonArray(TaxiiApiTests.Indicator($"indicator--{Guid.NewGuid():D}"), big) }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/taxii2/api/collections/{own}/objects/");
        request.Headers.Accept.ParseAdd(TaxiiApiTests.Accept);
        request.Headers.TransferEncodingChunked = chunked; // no Content-Length: the limit must hold while the body is read
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/taxii+json;version=2.1");

        using var response = await w.AnalystA.Client.SendAsync(request);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        using var small = await TaxiiApiTests.PostEnvelopeAsync(w.AnalystA.Client, own, TaxiiApiTests.Indicator($"indicator--{Guid.NewGuid():D}"));
        var objects = await TaxiiApiTests.GetAsync(w.AnalystA.Client, $"/taxii2/api/collections/{own}/objects/");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("413", error["http_status"]!.GetValue<string>());
        Assert.Contains("at most", error["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, small.StatusCode);
        Assert.Single(objects["objects"]!.AsArray()); // only the small envelope's object
    }
}
