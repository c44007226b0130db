using System.Collections.Concurrent;

namespace Jisr.Matching.Names;

/// <summary>
/// A thread-safe cache that holds at most about twice <c>capacity</c> entries, keeping the recently used ones: entries
/// go into the current generation; when it is full it becomes the previous one and the one before is dropped whole.
/// A hit in the previous generation copies the entry into the current one, so what is in use survives every turn
/// (a least-recently-used cache in two steps, without a list to update on every read). Lookups take no lock.
/// </summary>
/// <remarks>
/// The parser's caches are filled from what a node is asked: a flood of distinct names must not grow them without
/// end, nor freeze them full of words met once so that the words in use are never cached.
/// </remarks>
internal sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly int _capacity;
    private readonly IEqualityComparer<TKey>? _comparer;
    private readonly Lock _turn = new();
    private volatile Generation _current;
    private volatile Generation _previous;

    public BoundedCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _comparer = comparer;
        _current = new Generation(comparer);
        _previous = new Generation(comparer);
    }

    /// <summary>How many entries the two generations hold (an entry in both counts twice): at most about twice the capacity.</summary>
    public int Count => _current.Map.Count + _previous.Map.Count;

    public bool TryGetValue(TKey key, out TValue value)
    {
        if (_current.Map.TryGetValue(key, out value!))
        {
            return true;
        }

        if (_previous.Map.TryGetValue(key, out value!))
        {
            Add(key, value);
            return true;
        }

        return false;
    }

    /// <summary>A lookup by another form of the key (a span of characters for a string key), the comparer permitting.</summary>
    public bool TryGetValue<TAlternate>(TAlternate key, out TValue value)
        where TAlternate : notnull, allows ref struct
    {
        if (_current.Map.GetAlternateLookup<TAlternate>().TryGetValue(key, out value!))
        {
            return true;
        }

        if (_previous.Map.GetAlternateLookup<TAlternate>().TryGetValue(key, out var actual, out value!))
        {
            Add(actual, value);
            return true;
        }

        return false;
    }

    /// <summary>Adds an entry (an entry already there stays); a full generation turns.</summary>
    public void Add(TKey key, TValue value)
    {
        var generation = _current;
        if (generation.Map.TryAdd(key, value) && Interlocked.Increment(ref generation.Added) >= _capacity)
        {
            lock (_turn)
            {
                if (_current == generation)
                {
                    _previous = generation;
                    _current = new Generation(_comparer);
                }
            }
        }
    }

    private sealed class Generation(IEqualityComparer<TKey>? comparer)
    {
        public readonly ConcurrentDictionary<TKey, TValue> Map = new(comparer);
        public int Added;
    }
}
