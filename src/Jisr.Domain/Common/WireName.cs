namespace Jisr.Domain.Common;

/// <summary>
/// Two-way table between an enum and the names used on the wire (API, CLI, exports). One table per enum,
/// so every surface spells values the same way and an unknown name is refused with the list of known ones.
/// </summary>
public sealed class WireNames<TEnum>
    where TEnum : struct, Enum
{
    private readonly string?[] _toWire; // by the value's slot (EnumSlots), null where the enum has no such value
    private readonly Dictionary<string, int> _fromWire; // name → slot
    private readonly IReadOnlyCollection<string> _all;

    public WireNames(params (TEnum Value, string Name)[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _toWire = new string?[EnumSlots<TEnum>.Count];
        _fromWire = new(names.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var (value, name) in names)
        {
            var slot = EnumSlots<TEnum>.Of(value);
            if (!EnumSlots<TEnum>.IsDefined(slot) || _toWire[slot] is not null || !_fromWire.TryAdd(name, slot))
            {
                throw new InvalidOperationException($"{typeof(TEnum).Name}.{value} '{name}': each value of the enum has one wire name, and each name one value");
            }

            _toWire[slot] = name;
        }

        foreach (var value in EnumSlots<TEnum>.Values)
        {
            if (_toWire[EnumSlots<TEnum>.Of(value)] is null)
            {
                throw new InvalidOperationException($"{typeof(TEnum).Name}.{value} has no wire name");
            }
        }

        _all = Array.AsReadOnly(_toWire.OfType<string>().ToArray());
    }

    /// <summary>Every wire name, in the order of the enum's values.</summary>
    public IReadOnlyCollection<string> All => _all;

    public string this[TEnum value] => Find(value) ?? throw new KeyNotFoundException($"{typeof(TEnum).Name} {EnumSlots<TEnum>.Of(value)} has no wire name");

    /// <summary>Refuses a value this table has no name for: an enum typed in code can still hold any number, e.g. <c>(NoticeColor)42</c>.</summary>
    public TEnum Require(TEnum value, string field) =>
        Find(value) is not null ? value : throw DomainValidationException.Coded(field, ValidationCodes.NotOneOf, $"{value} is not one of: {string.Join(", ", All)}", value, string.Join(", ", All));

    public bool TryParse(string? name, out TEnum value)
    {
        if (name is not null && _fromWire.TryGetValue(name.Trim(), out var slot))
        {
            value = EnumSlots<TEnum>.From(slot);
            return true;
        }

        value = default;
        return false;
    }

    public TEnum Parse(string? name, string field)
    {
        if (TryParse(name, out var value))
        {
            return value;
        }

        var all = string.Join(", ", All);
        throw name is null
            ? DomainValidationException.Coded(field, ValidationCodes.RequiredOneOf, $"is required (one of: {all})", all)
            : DomainValidationException.Coded(field, ValidationCodes.NotOneOf, $"'{Shorten(name)}' is not one of: {all}", Shorten(name), all);
    }

    private string? Find(TEnum value)
    {
        var slot = EnumSlots<TEnum>.Of(value);
        return slot >= 0 && slot < _toWire.Length ? _toWire[slot] : null;
    }

    private static string Shorten(string name) => name.Length <= 40 ? name : string.Concat(name.AsSpan(0, 40), "…");
}
