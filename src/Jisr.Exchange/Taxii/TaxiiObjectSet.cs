using System.Collections;

namespace Jisr.Exchange.Taxii;

/// <summary>
/// A collection's object versions kept in page order (date added, id, version) with an index of each id's versions,
/// made once when the collection is built. <see cref="TaxiiQuery.Select"/> pages it by binary search on the cursor and
/// reads only as far as the page goes: grouping and filtering the whole collection on every page request made each
/// page of a 100,000-object pull cost as much as the collection.
/// </summary>
public sealed class TaxiiObjectSet : IReadOnlyList<TaxiiObject>
{
    private readonly List<TaxiiObject> _items;
    private readonly int[] _groupOf;
    private readonly List<int[]> _groups = [];
    private readonly Dictionary<string, int> _groupById = new(StringComparer.Ordinal);

    /// <summary>Takes <paramref name="objects"/> over (sorted in place into page order).</summary>
    public TaxiiObjectSet(List<TaxiiObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        TaxiiQuery.InOrder(objects);
        _items = objects;
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
    }

    public int Count => _items.Count;

    public TaxiiObject this[int index] => _items[index];

    public IEnumerator<TaxiiObject> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The positions of every version of the id at <paramref name="position"/>, in page order.</summary>
    internal int[] GroupAt(int position) => _groups[_groupOf[position]];

    internal int GroupNumberAt(int position) => _groupOf[position];

    /// <summary>The first position whose object comes after <paramref name="after"/> in page order.</summary>
    internal int FirstAfter(TaxiiObject after, Comparison<TaxiiObject> compare)
    {
        int low = 0, high = _items.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (compare(_items[middle], after) > 0)
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
}
