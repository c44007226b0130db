namespace Jisr.Domain.Common;

/// <summary>
/// Two-way table between an enum and the names used on the wire (API, CLI, exports). One table per enum,
/// so every surface spells values the same way and an unknown name is refused with the list of known ones.
/// </summary>
public sealed class WireNames<TEnum>
    where TEnum : struct, Enum
{
    private readonly FrozenDictionary<TEnum, string> _toWire;
    private readonly FrozenDictionary<string, TEnum> _fromWire;

    public WireNames(params (TEnum Value, string Name)[] names)
    {
        _toWire = names.ToFrozenDictionary(n => n.Value, n => n.Name);
        _fromWire = names.ToFrozenDictionary(n => n.Name, n => n.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (!_toWire.ContainsKey(value))
            {
                throw new InvalidOperationException($"{typeof(TEnum).Name}.{value} has no wire name");
            }
        }
    }

    public IReadOnlyCollection<string> All => _toWire.Values;

    public string this[TEnum value] => _toWire[value];

    /// <summary>Refuses a value this table has no name for: an enum typed in code can still hold any number, e.g. <c>(NoticeColor)42</c>.</summary>
    public TEnum Require(TEnum value, string field) =>
        _toWire.ContainsKey(value) ? value : throw DomainValidationException.Coded(field, ValidationCodes.NotOneOf, $"{value} is not one of: {string.Join(", ", All)}", value, string.Join(", ", All));

    public bool TryParse(string? name, out TEnum value)
    {
        value = default;
        return name is not null && _fromWire.TryGetValue(name.Trim(), out value);
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

    private static string Shorten(string name) => name.Length <= 40 ? name : string.Concat(name.AsSpan(0, 40), "…");
}
