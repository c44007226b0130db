using System.Text.Json.Nodes;
using Jisr.Exchange.Taxii;

namespace Jisr.Exchange.Tests;

/// <summary>
/// The TAXII filters and paging against the reference server's own test collection (medallion's default_data.json,
/// collection 91a7b528 "High Value Indicator Collection": 8 object versions of 5 ids, one STIX 2.0 version, each with
/// its date_added from the manifest) and the answers medallion's test_backends.py asserts for it.
/// </summary>
public sealed class TaxiiQueryMedallionTests
{
    private const string Indicator = "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e";

    private static readonly Lazy<List<TaxiiObject>> Collection = new(Load);

    private static List<TaxiiObject> Load()
    {
        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(StixTestData.Root, "taxii", "default_data.json")))!;
        var collection = data["trustgroup1"]!["collections"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == "91a7b528-80eb-42ed-a74d-c6fbd5a26116")!;
        var manifest = collection["manifest"]!.AsArray().Select(m => m!.AsObject()).ToList();
        return
        [
            .. collection["objects"]!.AsArray().Select(o =>
            {
                var id = o!["id"]!.GetValue<string>();
                var version = (o["modified"] ?? o["created"])!.GetValue<string>();
                var added = manifest.Single(m => m["id"]!.GetValue<string>() == id && m["version"]!.GetValue<string>() == version)["date_added"]!.GetValue<string>();
                return new TaxiiObject(id, o["type"]!.GetValue<string>(), version, o["spec_version"]?.GetValue<string>() ?? "2.0", TaxiiTime.Parse(added)!.Value, o.ToJsonString());
            }),
        ];
    }

    private static TaxiiPage Query(string query = "")
    {
        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]));
        return TaxiiQuery.Select(Collection.Value, TaxiiFilter.Parse(parameters.GetValueOrDefault));
    }

    [Fact]
    public void GetObjects_AnswersTheLatestVersionOfEachObject_InDateAddedOrder_WithTheDateAddedOfThePage()
    {
        var page = Query();

        Assert.Equal(
            ["relationship--2f9a9aa9-108a-4333-83e2-4fb25add0463", "indicator--cd981c25-8042-4166-8945-51178443bdac", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec", Indicator],
            page.Items.Select(o => o.Id));
        Assert.False(page.More);
        Assert.Null(page.Next);
        Assert.Equal("2014-05-08T09:00:00.000000Z", TaxiiTime.Format(page.First!.Value));
        Assert.Equal("2017-12-31T13:49:53.935000Z", TaxiiTime.Format(page.Last!.Value));
    }

    [Fact]
    public void Limit_PagesWithANextToken_UntilMoreIsFalse()
    {
        var first = Query("limit=3");
        var second = Query($"limit=3&next={first.Next}");

        Assert.Equal(3, first.Items.Count);
        Assert.True(first.More);
        Assert.Equal(2, second.Items.Count);
        Assert.False(second.More);
        Assert.Empty(first.Items.Select(o => o.Id).Intersect(second.Items.Select(o => o.Id)));
        Assert.True(second.First > first.Last);
    }

    [Fact]
    public void ManifestPaging_ByTwo_AnswersTwoTwoOne()
    {
        var sizes = new List<int>();
        string? next = null;
        do
        {
            var page = Query("limit=2" + (next is null ? string.Empty : $"&next={next}"));
            sizes.Add(page.Items.Count);
            next = page.Next;
        }
        while (next is not null);

        Assert.Equal([2, 2, 1], sizes);
    }

    [Theory]
    [InlineData("added_after=2016-11-03T12:30:59Z", 3)]
    [InlineData("match[type]=indicator", 2)]
    [InlineData("match[type]=indicator,relationship", 3)]
    [InlineData("match[id]=indicator--cd981c25-8042-4166-8945-51178443bdac", 1)]
    [InlineData("match[version]=all", 7)]
    [InlineData("match[version]=first", 5)]
    [InlineData("match[version]=last", 5)]
    [InlineData("match[version]=2016-12-25T12:30:59.444Z", 1)]
    [InlineData("match[version]=first,last&match[id]=" + Indicator, 2)]
    [InlineData("match[spec_version]=2.0", 1)]
    [InlineData("match[spec_version]=2.1", 5)]
    [InlineData("match[spec_version]=2.0,2.1", 5)]
    [InlineData("match[id]=indicator--00000000-0000-4000-8000-000000000000", 0)]
    public void EachFilter_SelectsWhatMedallionAnswers(string query, int expected) => Assert.Equal(expected, Query(query).Items.Count);

    [Fact]
    public void VersionFilters_PickTheRightVersionOfAnObject()
    {
        Assert.Equal("2016-11-03T12:30:59.000Z", Assert.Single(Query($"match[id]={Indicator}&match[version]=first").Items).Version);
        Assert.Equal("2017-01-27T13:49:53.935Z", Assert.Single(Query($"match[id]={Indicator}&match[version]=last").Items).Version);
        Assert.Equal(3, Query($"match[id]={Indicator}&match[version]=all").Items.Count);
        Assert.Equal("2.0", Assert.Single(Query("match[spec_version]=2.0").Items).SpecVersion);
        Assert.Equal("2.1", Query().Items.Single(o => o.Type == "malware").SpecVersion);
    }

    [Theory]
    [InlineData("limit=-20")]
    [InlineData("limit=0")]
    [InlineData("limit=ten")]
    [InlineData("added_after=yesterday")]
    [InlineData("match[version]=latest")]
    [InlineData("next=bm90LWEtdG9rZW4")]
    public void BadParameters_AreRefused(string query) => Assert.Throws<TaxiiQueryException>(() => Query(query));

    [Fact]
    public void ChangingTheFiltersWhileFollowingNext_IsRefused()
    {
        var first = Query("limit=1&match[version]=all");

        Assert.Throws<TaxiiQueryException>(() => Query($"limit=1&match[version]=first&next={first.Next}"));
        Assert.Single(Query($"limit=1&match[version]=all&next={first.Next}").Items);
    }

    [Fact]
    public void AllVersions_PagedOneByOne_GiveEveryVersionOnce()
    {
        var seen = new List<(string, string)>();
        string? next = null;
        do
        {
            var page = Query("limit=1&match[version]=all&match[spec_version]=2.0,2.1" + (next is null ? string.Empty : $"&next={next}"));
            seen.AddRange(page.Items.Select(o => (o.Id, o.Version)));
            next = page.Next;
        }
        while (next is not null);

        Assert.Equal(8, seen.Count);
        Assert.Equal(8, seen.Distinct().Count());
    }
}
