using System.Text.Json.Nodes;
using Jisr.Exchange.Stix.Export;
using Jisr.Exchange.Taxii;

namespace Jisr.Exchange.Tests;

/// <summary><see cref="TaxiiFeed"/>: a partner polling with <c>added_after</c> never misses an object that became visible.</summary>
public sealed class TaxiiFeedTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private static StixAgencyExport.PlannedObject Sdo(string id, string modified, params string[] refs) =>
        new(id, id.Split("--")[0], modified, "2020-01-01T00:00:00.000Z", "2.1", refs, () => new JsonObject());

    private static Dictionary<string, DateTimeOffset> Added(DateTimeOffset openedAt, params StixAgencyExport.PlannedObject[] objects) =>
        TaxiiFeed.Outlines(objects, openedAt, Now).ToDictionary(o => o.Id, o => o.DateAdded);

    [Fact]
    public void AnOldEntity_ANewReportRefersTo_IsAddedWithTheReport()
    {
        var added = Added(
            DateTimeOffset.MinValue,
            Sdo("identity--1", "2021-01-01T00:00:00.000Z"),
            Sdo("report--1", "2025-06-01T00:00:00.000Z", "identity--1"),
            Sdo("report--2", "2022-01-01T00:00:00.000Z", "identity--1"),
            Sdo("identity--2", "2021-01-01T00:00:00.000Z"));

        Assert.Equal(TaxiiTime.Parse("2025-06-01T00:00:00.000Z"), added["identity--1"]);
        Assert.Equal(TaxiiTime.Parse("2022-01-01T00:00:00.000Z"), added["report--2"]);
        Assert.Equal(TaxiiTime.Parse("2021-01-01T00:00:00.000Z"), added["identity--2"]);
    }

    [Fact]
    public void NothingIsAddedBeforeTheFeedOpened_AndTheVersionStaysTheObjectsOwn()
    {
        var opened = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var feed = TaxiiFeed.Outlines([Sdo("report--1", "2025-06-01T00:00:00.000Z")], opened, Now);

        Assert.Equal(opened, Assert.Single(feed).DateAdded);
        Assert.Equal("2025-06-01T00:00:00.000Z", feed[0].Version);
    }
}
