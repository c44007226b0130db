using Jisr.Exchange.Taxii;

namespace Jisr.Exchange.Tests;

/// <summary>
/// A kept collection (<see cref="TaxiiObjectSet"/>) is paged by binary search and read forward, deciding each object
/// from its own id's versions; these random worlds check that it answers exactly what grouping and filtering the whole
/// collection answers (the rule the medallion tests pin), page after page, for every filter TAXII has.
/// </summary>
public sealed class TaxiiObjectSetTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] Types = ["indicator", "malware", "report"];

    [Fact]
    public async Task EveryPage_OfEveryFilter_IsThePageTheWholeCollectionGives()
    {
        var random = new Random(4815);
        var compared = 0;
        var nonEmpty = 0;
        var multiPage = 0;
        for (var world = 0; world < 400; world++)
        {
            var objects = RandomCollection(random);
            var set = new TaxiiObjectSet([.. objects.OrderBy(_ => random.Next())]);
            var making = Making(objects.OrderBy(_ => random.Next()));
            var shuffled = objects.OrderBy(_ => random.Next()).ToList(); // the plain path sorts what it selects
            for (var query = 0; query < 8; query++)
            {
                var filter = RandomFilter(random, objects);
                var pages = 0;
                while (true)
                {
                    var expected = TaxiiQuery.Select(shuffled, filter);
                    var actual = TaxiiQuery.Select(set, filter);
                    Assert.Equal(Describe(expected.Items), Describe(actual.Items));
                    Assert.True(expected.Items.Zip(actual.Items).All(p => ReferenceEquals(p.First, p.Second)), "the very objects of the collection");
                    Assert.Equal(expected.More, actual.More);
                    Assert.Equal(expected.Next, actual.Next);
                    Assert.Equal(expected.First, actual.First);
                    Assert.Equal(expected.Last, actual.Last);
                    var made = await TaxiiQuery.SelectAsync(making, filter, CancellationToken.None);
                    Assert.Equal(expected.Items.Select(o => $"{o.Id}@{o.Version}/{o.SpecVersion}/{o.DateAdded:O}:{o.Json}"), made.Items.Select(o => $"{o.Id}@{o.Version}/{o.SpecVersion}/{o.DateAdded:O}:{o.Json}"));
                    Assert.Equal((expected.More, expected.Next), (made.More, made.Next));
                    compared++;
                    nonEmpty += actual.Items.Count > 0 ? 1 : 0;
                    pages++;
                    if (!actual.More)
                    {
                        break;
                    }

                    filter = filter with { Next = actual.Next };
                }

                multiPage += pages > 1 ? 1 : 0;
            }
        }

        // The worlds reach what they are meant to: full and empty pages, and paging over several pages.
        Assert.True(nonEmpty > compared / 3 && nonEmpty < compared, $"{nonEmpty} of {compared} pages had objects");
        Assert.True(multiPage > 300, $"{multiPage} queries paged more than once");
    }

    [Fact]
    public void ANextTokenOfOtherFilters_IsRefused_AndAnObjectAddedBeforeTheCursor_IsNotServedAgain()
    {
        var objects = Enumerable.Range(0, 10).Select(i => Item($"indicator--{i:D2}", "2026-03-01T10:00:00.000Z", "2.1", i)).ToList();
        var set = new TaxiiObjectSet([.. objects]);
        var first = TaxiiQuery.Select(set, TaxiiFilter.All with { Limit = 4 });
        Assert.Equal(["indicator--00", "indicator--01", "indicator--02", "indicator--03"], first.Items.Select(o => o.Id));

        Assert.Throws<TaxiiQueryException>(() => TaxiiQuery.Select(set, TaxiiFilter.All with { Types = new HashSet<string> { "indicator" }, Next = first.Next }));

        // The collection rebuilt with an object dated before the cursor: the next page goes on after the cursor.
        var grown = new TaxiiObjectSet([.. objects, Item("indicator--00a", "2026-03-01T10:00:00.000Z", "2.1", 0)]);
        var second = TaxiiQuery.Select(grown, TaxiiFilter.All with { Limit = 4, Next = first.Next });
        Assert.Equal(["indicator--04", "indicator--05", "indicator--06", "indicator--07"], second.Items.Select(o => o.Id));
        Assert.True(second.More);
    }

    [Fact]
    public async Task ASetMakingItsTexts_AnswersAPage_AsSoonAsThatPagesTextsAreMade()
    {
        var objects = Enumerable.Range(0, 3000).Select(i => Item($"indicator--{i:D5}", "2026-03-01T10:00:00.000Z", "2.1", i % 7)).ToList();
        using var gate = new ManualResetEventSlim(false);
        var made = 0;
        var set = Making(objects, _ =>
        {
            if (Interlocked.Increment(ref made) > 1500)
            {
                gate.Wait(); // the texts after the first 1,500 (in page order) wait
            }
        });

        var first = await TaxiiQuery.SelectAsync(set, TaxiiFilter.All with { Limit = 100 }, CancellationToken.None);
        Assert.Equal(TaxiiQuery.Select(objects, TaxiiFilter.All with { Limit = 100 }).Items.Select(o => o.Json), first.Items.Select(o => o.Json));
        Assert.False(set.IsComplete);

        var lastFilter = TaxiiFilter.All with { AddedAfter = Start.AddMinutes(5), Limit = 10 }; // the end of the collection
        var last = TaxiiQuery.SelectAsync(set, lastFilter, CancellationToken.None);
        Assert.False(last.IsCompleted); // its texts are not made
        gate.Set();
        Assert.Equal(TaxiiQuery.Select(objects, lastFilter).Items.Select(o => o.Json), (await last).Items.Select(o => o.Json));
        Assert.All((await TaxiiQuery.SelectAsync(set, TaxiiFilter.All, CancellationToken.None)).Items, o => Assert.StartsWith("{", o.Json, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATextThatCannotBeMade_FailsThePagesFromIt_AndMarksTheSetFaulted()
    {
        var objects = Enumerable.Range(0, 2000).Select(i => Item($"indicator--{i:D5}", "2026-03-01T10:00:00.000Z", "2.1", 0)).ToList();
        var made = 0;
        var set = Making(objects, _ =>
        {
            if (Interlocked.Increment(ref made) == 1200)
            {
                throw new InvalidOperationException("cannot map this record");
            }
        });

        Assert.Equal(100, (await TaxiiQuery.SelectAsync(set, TaxiiFilter.All with { Limit = 100 }, CancellationToken.None)).Items.Count);
        await Assert.ThrowsAsync<InvalidOperationException>(() => TaxiiQuery.SelectAsync(set, TaxiiFilter.All with { Limit = 5000 }, CancellationToken.None));
        Assert.True(set.IsFaulted);
    }

    /// <summary>A set of the objects' outlines (no text) whose texts are made in the background, each after <paramref name="before"/>.</summary>
    private static TaxiiObjectSet Making(IEnumerable<TaxiiObject> objects, Action<TaxiiObject>? before = null) =>
        TaxiiObjectSet.Making([.. objects.Select(o => (o with { Json = string.Empty }, (Func<string>)(() =>
        {
            before?.Invoke(o);
            return o.Json;
        })))]);

    private static List<TaxiiObject> RandomCollection(Random random)
    {
        var count = random.Next(0, 40);
        var ids = Enumerable.Range(0, random.Next(1, 15)).Select(i => $"{Types[i % Types.Length]}--{i:D4}").ToList();
        var seen = new HashSet<(string, string)>();
        var objects = new List<TaxiiObject>();
        for (var i = 0; i < count; i++)
        {
            var id = ids[random.Next(ids.Count)];
            var version = $"2026-02-{random.Next(1, 6):D2}T10:00:00.{random.Next(0, 3):D3}Z";
            if (seen.Add((id, version)))
            {
                objects.Add(Item(id, version, random.Next(4) == 0 ? "2.0" : "2.1", random.Next(0, 6)));
            }
        }

        return objects;
    }

    private static TaxiiFilter RandomFilter(Random random, List<TaxiiObject> objects)
    {
        var versions = new HashSet<string>();
        foreach (var _ in Enumerable.Range(0, random.Next(1, 3)))
        {
            versions.Add(random.Next(5) switch
            {
                0 => "first",
                1 => "last",
                2 => "all",
                3 when objects.Count > 0 => objects[random.Next(objects.Count)].Version,
                _ => "2026-02-03T10:00:00.001Z",
            });
        }

        HashSet<string>? Some(IEnumerable<string> from) =>
            random.Next(3) == 0 ? [.. from.Where(_ => random.Next(2) == 0).Append("indicator--9999")] : null;

        return new TaxiiFilter(
            random.Next(3) == 0 ? Start.AddMinutes(random.Next(0, 6)) : null,
            Some(objects.Select(o => o.Id).Distinct()),
            Some(Types),
            versions,
            random.Next(3) switch { 0 => new HashSet<string> { "2.0" }, 1 => new HashSet<string> { "2.1", "2.0" }, _ => null },
            random.Next(1, 6),
            null);
    }

    private static TaxiiObject Item(string id, string version, string spec, int minute) =>
        new(id, id[..id.IndexOf("--", StringComparison.Ordinal)], version, spec, Start.AddMinutes(minute), $"{{\"id\":\"{id}\"}}");

    private static List<string> Describe(IEnumerable<TaxiiObject> items) => [.. items.Select(o => $"{o.Id}@{o.Version}/{o.SpecVersion}/{o.DateAdded:O}")];
}
