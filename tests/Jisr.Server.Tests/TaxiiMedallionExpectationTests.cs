using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Jisr.Server.Taxii;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>
/// Replays the reference server's request/status expectations (medallion's test_backends.py, extracted to
/// tests/data/taxii/test_backends_expectations.tsv) whose URL is a constant, on Jisr's collections: medallion's API
/// root <c>/trustgroup1/</c> is <c>/taxii2/api/</c>, its object collection 91a7b528 and writable collection 365fed99 are
/// the caller's agency's own collection (into which medallion's STIX 2.1 objects of 91a7b528 are posted first), its
/// status 2d086da7 a status of that post. Rows built from Python expressions (next tokens, posted ids) are the
/// filters-and-paging checks of TaxiiQueryMedallionTests and TaxiiApiTests; DELETE is not served.
/// One deliberate difference: medallion's collection 64993447 (can_read false) answers 403; in Jisr a collection a
/// caller may not read is another agency's, and it answers 404 like one that does not exist.
/// </summary>
public sealed class TaxiiMedallionExpectationTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string ObjectsCollection = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
    private const string WritableCollection = "365fed99-08fa-fdcd-a1b3-fb247eb41d01";
    private const string UnreadableCollection = "64993447-4d7e-4f70-b94d-d7f33742ee63";

    [Fact]
    public async Task EveryConstantUrlRow_AnswersTheStatusMedallionAsserts()
    {
        var w = await SharingWorld.CreateAsync(fixture.Node);
        var own = TaxiiService.OwnCollectionId(w.A.Id);
        var data = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "data", "taxii", "default_data.json")))!;
        var medallionObjects = data["trustgroup1"]!["collections"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == ObjectsCollection)!["objects"]!.AsArray()
            .Where(o => o!["spec_version"]?.GetValue<string>() == "2.1").Select(o => o!.DeepClone()).ToArray();
        using var seeded = await TaxiiApiTests.PostEnvelopeAsync(w.AnalystA.Client, own, medallionObjects);
        var seedStatus = JsonNode.Parse(await seeded.Content.ReadAsStringAsync())!;
        Assert.True(seedStatus["success_count"]!.GetValue<int>() == medallionObjects.Length, seedStatus.ToJsonString());
        var statusId = seedStatus["id"]!.GetValue<string>();

        var rows = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "taxii", "test_backends_expectations.tsv")).Skip(1)
            .Select(l => l.Split('\t')).ToList();
        Assert.Equal(86, rows.Count);
        var replayed = 0;
        using var anonymous = fixture.Node.CreateClient();
        foreach (var row in rows)
        {
            var (test, method, url, auth, expected) = (row[0], row[1], row[2], row[3], row[4]);
            if (!url.StartsWith('/') || method == "DELETE" || expected.Length == 0)
            {
                continue;
            }

            var path = url
                .Replace("/trustgroup1/status/2d086da7-4bdc-4f91-900e-d77486753710", $"/trustgroup1/status/{statusId}/", StringComparison.Ordinal)
                .Replace(ObjectsCollection, own.ToString("D"), StringComparison.Ordinal)
                .Replace(WritableCollection, own.ToString("D"), StringComparison.Ordinal)
                .Replace(UnreadableCollection, TaxiiService.OwnCollectionId(w.B.Id).ToString("D"), StringComparison.Ordinal);
            path = path == "/taxii2/" ? path : path.StartsWith("/trustgroup1/", StringComparison.Ordinal) ? "/taxii2/api/" + path["/trustgroup1/".Length..] : "/taxii2" + path;
            var status = url.Contains(UnreadableCollection, StringComparison.Ordinal) ? "404" : expected;

            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.Accept.ParseAdd(TaxiiApiTests.Accept);
            if (method == "POST")
            {
                var body = expected == "422"
                    ? TaxiiApiTests.Indicator($"indicator--{Guid.NewGuid():D}")
                    : new JsonObject { ["objects"] = new JsonArray(TaxiiApiTests.Indicator($"indicator--{Guid.NewGuid():D}")) };
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(TaxiiApiTests.Accept);
            }

            // A 401 row marked "auth" sends credentials the server does not know: here, none.
            var client = auth == "auth" && expected != "401" ? w.AnalystA.Client : anonymous;
            using var response = await client.SendAsync(request);
            Assert.True(
                ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) == status,
                $"{test}: {method} {path} answered {(int)response.StatusCode}, medallion asserts {status}: {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/taxii+json", response.Content.Headers.ContentType?.MediaType);
            replayed++;
        }

        Assert.True(replayed >= 45, $"only {replayed} rows replayed");
    }
}
