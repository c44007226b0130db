using System.Diagnostics.CodeAnalysis;

namespace Jisr.Exchange.Stix.Import;

/// <summary>
/// A map keyed by STIX id that keeps no string per id: a canonical id ("type--" + lower-case UUID) is held as its
/// type's number and the 16-byte UUID, exactly (two different ids never share a key). Other ids (which the schema
/// refuses anyway) fall back to a string key. An import keeps one entry per object it read, so this is most of the
/// memory that grows with a bundle.
/// </summary>
internal sealed class StixIdMap<TValue>
{
    private readonly Dictionary<Key, TValue> _compact = [];
    private readonly Dictionary<string, TValue> _other = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _types;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _typesBySpan;

    public StixIdMap(Dictionary<string, int> types)
    {
        _types = types;
        _typesBySpan = types.GetAlternateLookup<ReadOnlySpan<char>>(); // a lookup allocates no string for the type
    }

    public int Count => _compact.Count + _other.Count;

    public bool TryGetValue(string id, [MaybeNullWhen(false)] out TValue value)
    {
        if (TryKey(id, add: false, out var key, out var known))
        {
            return _compact.TryGetValue(key, out value);
        }

        if (!known)
        {
            value = default;
            return false; // a canonical id of a type not seen yet
        }

        return _other.TryGetValue(id, out value);
    }

    public bool ContainsKey(string id) => TryGetValue(id, out _);

    public void Set(string id, TValue value)
    {
        if (TryKey(id, add: true, out var key, out _))
        {
            _compact[key] = value;
        }
        else
        {
            _other[id] = value;
        }
    }

    /// <summary>The compact key of a canonical id; false for other ids (and, when not adding, for a type never seen: <paramref name="known"/> false).</summary>
    private bool TryKey(string id, bool add, out Key key, out bool known)
    {
        key = default;
        known = true;
        var cut = id.IndexOf("--", StringComparison.Ordinal);
        if (cut <= 0 || id.Length - cut - 2 != 36)
        {
            return false;
        }

        var uuid = id.AsSpan(cut + 2);
        if (!IsLowerHex(uuid) || !Guid.TryParseExact(uuid, "D", out var guid))
        {
            return false;
        }

        if (!_typesBySpan.TryGetValue(id.AsSpan(0, cut), out var number))
        {
            if (!add)
            {
                known = false;
                return false;
            }

            number = _types.Count;
            _types[id[..cut]] = number;
        }

        key = new Key(number, guid);
        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> uuid)
    {
        foreach (var c in uuid)
        {
            if (c is >= 'A' and <= 'F')
            {
                return false;
            }
        }

        return true;
    }

    private readonly record struct Key(int Type, Guid Uuid);
}
