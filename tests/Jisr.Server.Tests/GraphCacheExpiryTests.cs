using Jisr.Fusion.Resolution;
using Jisr.Server.Application.Fusion;
using Jisr.Testing;
using FusionGraph = Jisr.Fusion.Graph.LinkGraph;

namespace Jisr.Server.Tests;

/// <summary>
/// The graph cache's clock: an entry idle for a minute is dropped, but the minute counts from the end of a use, so a
/// computation that outlasts it (betweenness at a million links) is kept for the next query; ten minutes bound an entry
/// whatever its use.
/// </summary>
public sealed class GraphCacheExpiryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static Task<(CachedGraph, bool)> Built()
    {
        var graph = FusionGraph.Build([new EntityLink("a", "b", "associate"), new EntityLink("b", "c", "associate")]);
        return Task.FromResult((new CachedGraph(graph, []), true));
    }

    [Fact]
    public async Task AnEntryIdleForAMinute_IsBuiltAgain()
    {
        var clock = new AdjustableClock(Start);
        using var cache = new GraphCache(clock);
        var first = await cache.GetOrBuildAsync("k", Built);
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Same(first, await cache.GetOrBuildAsync("k", Built));
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.NotSame(first, await cache.GetOrBuildAsync("k", Built));
        Assert.Equal((1L, 2L), (cache.Hits, cache.Misses));
    }

    [Fact]
    public async Task AComputationThatOutlastsTheIdleMinute_IsKeptForTheNextQuery_WithinTheEntrysTenMinutes()
    {
        var clock = new AdjustableClock(Start);
        using var cache = new GraphCache(clock);
        var first = await cache.GetOrBuildAsync("k", Built);

        // Three minutes of computing betweenness after the query that found the entry: it ends now.
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(3, first.Betweenness.Count);
        Assert.Same(first, await cache.GetOrBuildAsync("k", Built));

        // Another long computation, ending past the entry's ten minutes: not kept beyond them.
        clock.Advance(TimeSpan.FromMinutes(8));
        Assert.Equal(3, first.Components.Single().Count);
        Assert.NotSame(first, await cache.GetOrBuildAsync("k", Built));
    }

    [Fact]
    public async Task AComputationThatEndsAfterTheCacheIsDisposed_StillAnswers()
    {
        var cache = new GraphCache(new AdjustableClock(Start));
        var graph = await cache.GetOrBuildAsync("k", Built);
        cache.Dispose();
        Assert.Equal(3, graph.Components.Single().Count);
    }
}
