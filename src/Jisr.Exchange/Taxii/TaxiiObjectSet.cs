using System.Collections;

namespace Jisr.Exchange.Taxii;

/// <summary>
/// A collection's object versions kept in page order (date added, id, version) with an index of each id's versions,
/// made once when the collection is built. <see cref="TaxiiQuery.SelectAsync"/> pages it by binary search on the cursor
/// and reads only as far as the page goes: grouping and filtering the whole collection on every page request made each
/// page of a 100,000-object pull cost as much as the collection.
/// A set can also be made from outlines (every object's id, type, version and date added, no text yet; see
/// <see cref="Making"/>): the texts are then made in page order in the background, and a page waits only for its own
/// objects' texts, so the first page of a large collection goes out long before its last object's text exists.
/// </summary>
public sealed class TaxiiObjectSet : IReadOnlyList<TaxiiObject>
{
    /// <summary>Texts are made, and page requests woken, this many objects at a time.</summary>
    private const int ChunkSize = 512;

    private readonly TaxiiObject[] _items;
    private readonly int[] _groupOf;
    private readonly List<int[]> _groups = [];
    private readonly Dictionary<string, int> _groupById = new(StringComparer.Ordinal);

    /// <summary>Completed when the texts of the chunk's objects are in <see cref="_items"/> (all completed for a set made whole).</summary>
    private readonly TaskCompletionSource[] _chunks;

    /// <summary>Takes <paramref name="objects"/> over (sorted in place into page order).</summary>
    public TaxiiObjectSet(List<TaxiiObject> objects)
        : this(InOrder(objects), null)
    {
    }

    private TaxiiObjectSet(List<TaxiiObject> objects, Func<string>[]? texts)
    {
        _items = [.. objects];
        _groupOf = new int[objects.Count];
        var positions = new List<List<int>>();
        for (var i = 0; i < objects.Count; i++)
        {
            if (!_groupById.TryGetValue(objects[i].Id, out var group))
            {
                group = positions.Count;
                _groupById[objects[i].Id] = group;
                positions.Add([]);
            }

            positions[group].Add(i);
            _groupOf[i] = group;
        }

        foreach (var list in positions)
        {
            _groups.Add([.. list]);
        }

        _chunks = new TaskCompletionSource[(objects.Count + ChunkSize - 1) / ChunkSize];
        for (var i = 0; i < _chunks.Length; i++)
        {
            _chunks[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (texts is null)
            {
                _chunks[i].SetResult();
            }
        }

        if (texts is not null)
        {
            _ = Task.Run(() => MakeTexts(texts));
        }
    }

    /// <summary>
    /// A set of outlines (objects whose <see cref="TaxiiObject.Json"/> is not made yet), each with the function that makes
    /// its text; the texts are made in the background, in page order. A text function must need nothing a request owns
    /// (no database context): it runs after the request that built the set has been answered.
    /// </summary>
    public static TaxiiObjectSet Making(IReadOnlyList<(TaxiiObject Outline, Func<string> Text)> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var ordered = objects.ToArray();
        Array.Sort(ordered, (a, b) => TaxiiQuery.Compare(a.Outline, b.Outline));
        return new TaxiiObjectSet([.. ordered.Select(o => o.Outline)], [.. ordered.Select(o => o.Text)]);
    }

    public int Count => _items.Length;

    /// <summary>Whether every object's text is made.</summary>
    public bool IsComplete => _chunks.All(c => c.Task.IsCompletedSuccessfully);

    /// <summary>Whether making the texts failed: such a set answers no page and is built again.</summary>
    public bool IsFaulted => _chunks.Any(c => c.Task.IsFaulted);

    /// <summary>The object at <paramref name="index"/>; its text may not be made yet (see <see cref="ReadyAsync"/>).</summary>
    public TaxiiObject this[int index] => Volatile.Read(ref _items[index]);

    /// <summary>Every object with its text (waits for the texts still being made).</summary>
    public IEnumerator<TaxiiObject> GetEnumerator()
    {
        Task.WhenAll(_chunks.Select(c => c.Task)).GetAwaiter().GetResult();
        return ((IEnumerable<TaxiiObject>)_items).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Completes when the texts of every object up to <paramref name="position"/> are made.</summary>
    internal Task ReadyAsync(int position, CancellationToken cancellationToken) =>
        position < 0 ? Task.CompletedTask : _chunks[position / ChunkSize].Task.WaitAsync(cancellationToken);

    /// <summary>The positions of every version of the id at <paramref name="position"/>, in page order.</summary>
    internal int[] GroupAt(int position) => _groups[_groupOf[position]];

    internal int GroupNumberAt(int position) => _groupOf[position];

    /// <summary>The first position whose object comes after <paramref name="after"/> in page order.</summary>
    internal int FirstAfter(TaxiiObject after, Comparison<TaxiiObject> compare)
    {
        int low = 0, high = _items.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (compare(this[middle], after) > 0)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary>The positions from <paramref name="from"/> on of the versions of <paramref name="ids"/>, in page order.</summary>
    internal IEnumerable<int> PositionsOf(IEnumerable<string> ids, int from)
    {
        var found = new List<int>();
        foreach (var id in ids)
        {
            if (_groupById.TryGetValue(id, out var group))
            {
                found.AddRange(_groups[group].Where(p => p >= from));
            }
        }

        found.Sort();
        return found;
    }

    private static List<TaxiiObject> InOrder(List<TaxiiObject> objects)
    {
        TaxiiQuery.InOrder(objects);
        return objects;
    }

    private void MakeTexts(Func<string>[] texts)
    {
        var chunk = 0;
        try
        {
            for (; chunk < _chunks.Length; chunk++)
            {
                for (var i = chunk * ChunkSize; i < Math.Min(_items.Length, (chunk + 1) * ChunkSize); i++)
                {
                    Volatile.Write(ref _items[i], _items[i] with { Json = texts[i]() });
                }

                _chunks[chunk].SetResult();
            }
        }
#pragma warning disable CA1031 // whatever failed is what every page waiting on the rest of the set gets
        catch (Exception e)
#pragma warning restore CA1031
        {
            for (; chunk < _chunks.Length; chunk++)
            {
                _chunks[chunk].SetException(e);
            }
        }
    }
}
