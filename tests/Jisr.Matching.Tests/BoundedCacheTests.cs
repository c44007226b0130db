using Jisr.Matching.Names;

namespace Jisr.Matching.Tests;

/// <summary>
/// The parser's caches are filled from what callers send, so a flood of distinct names must not grow them without
/// end: the cache holds at most about twice its capacity, keeps what is in use, and the memory a process holds stays
/// flat however many distinct names it parses. Run alone (no other test allocating meanwhile) so the memory figures
/// are the cache's own.
/// </summary>
[Collection(nameof(MemoryMeasuredAlone))]
public sealed class BoundedCacheTests
{
    [Fact]
    public void Cache_HoldsAtMostTwoGenerations_AndKeepsWhatIsInUse()
    {
        var cache = new BoundedCache<string, int>(1_000, StringComparer.Ordinal);
        cache.Add("hot", -1);
        for (var i = 0; i < 200_000; i++)
        {
            cache.Add($"word{i}", i);
            Assert.True(cache.Count <= 2_000, $"{cache.Count} entries after {i + 1} added");
            if (i % 500 == 0)
            {
                // Read at a fraction of the capacity's pace: it must still be there each time.
                Assert.True(cache.TryGetValue("hot".AsSpan(), out var hot) && hot == -1, $"the entry in use was dropped after {i + 1} others were added");
            }
        }

        Assert.True(cache.TryGetValue("word199999", out var last) && last == 199_999);
        Assert.False(cache.TryGetValue("word0", out _)); // met once, long ago: dropped
    }

    [Fact]
    public void Cache_StaysBounded_WhenManyThreadsAdd()
    {
        var cache = new BoundedCache<int, int>(5_000);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                var key = (thread * 1_000_000) + i;
                cache.Add(key, key);
                if (cache.TryGetValue(key ^ 1, out var value))
                {
                    Assert.Equal(key ^ 1, value);
                }
            }
        });

        Assert.True(cache.Count <= 10_000 + 8, $"{cache.Count} entries");
    }

    [Fact]
    public void ParserCaches_AndMemory_StayBounded_UnderAFloodOfDistinctNames()
    {
        // Three rounds of 100,000 names of three random words each: 900,000 distinct words, far beyond the caches' bound.
        var random = new Random(3);
        const string letters = "abdefghijklmnoprstuyz";
        string Word() => string.Create(9, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = letters[r.Next(letters.Length)];
            }
        });

        var retained = new List<long>();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 100_000; i++)
            {
                Assert.Equal(3, NameParser.Parse($"{Word()} {Word()} {Word()}").Count);
            }

            var (words, parts) = NameParser.CachedCounts;
            Assert.True(words <= (2 * NameParser.MaxCachedWords) + 64, $"{words} words cached");
            Assert.True(parts <= (2 * NameParser.MaxCachedParts) + 64, $"{parts} parts cached");
            retained.Add(GC.GetTotalMemory(forceFullCollection: true));
        }

        // Unbounded, each round would keep another 300,000 words' facts and tokens (well over 100 MB); bounded, the
        // caches were full after the first round and hold as much after the third.
        var growth = (retained[2] - retained[0]) / (1024.0 * 1024.0);
        Assert.True(growth < 40, $"memory held grew by {growth:F0} MB from the first round to the third");
    }
}

/// <summary>Tests that measure the process's memory run on their own, after the parallel ones.</summary>
[CollectionDefinition(nameof(MemoryMeasuredAlone), DisableParallelization = true)]
public sealed class MemoryMeasuredAlone;
