using Jisr.Fusion.Identifiers;
using Jisr.Matching.Names;

namespace Jisr.Exchange.HitCheck;

/// <summary>
/// What a user checks, made into unkeyed query keys once (each agreement's key then hashes them): a name's
/// name-matching keys with the pair of parts behind each, or an identifier's normalised key.
/// </summary>
public sealed class HitQuery
{
    private readonly ulong[] _nameKeys;
    private readonly string[] _nameParts;
    private readonly string? _identifierKey;

    private HitQuery(string kind, string text, ulong[] nameKeys, string[] nameParts, string? identifierKey)
    {
        Kind = kind;
        Text = text;
        _nameKeys = nameKeys;
        _nameParts = nameParts;
        _identifierKey = identifierKey;
    }

    /// <summary><c>name</c> or <c>identifier</c>.</summary>
    public string Kind { get; }

    /// <summary>The name as given, or the identifier's normalised key.</summary>
    public string Text { get; }

    public int KeyCount => _identifierKey is null ? _nameKeys.Length : 1;

    /// <summary>
    /// A name query: its part pairs, and each part alone (which meets only names held as that one part); a validation
    /// error (400) for a name with no readable part.
    /// </summary>
    public static HitQuery ForName(string? name)
    {
        if (name is null || name.Length > NameParser.MaxNameLength)
        {
            throw DomainValidationException.Coded("name", ValidationCodes.LengthBetween, $"give a name of 1 to {NameParser.MaxNameLength} characters", 1, NameParser.MaxNameLength);
        }

        var (parts, keys) = NameMatchKeys.ForQuery(name);
        if (keys.Count == 0)
        {
            throw DomainValidationException.Coded("name", ValidationCodes.NameUnreadable, "has no readable name part: give a person's or organisation's name in Arabic or Latin script");
        }

        return new HitQuery("name", name.Trim(), [.. keys.Select(k => k.Key)], [.. keys.Select(k => k.PartA == k.PartB ? parts[k.PartA].Original : $"{parts[k.PartA].Original} + {parts[k.PartB].Original}")], null);
    }

    /// <summary>An identifier query from <c>KIND:VALUE</c> (phone, email, iban, passport, identity-card, imei, bitcoin, ethereum...); a validation error for an unknown kind or a value that does not check out.</summary>
    public static HitQuery ForIdentifier(string? kindAndValue)
    {
        var text = kindAndValue?.Trim() ?? string.Empty;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon > 0 ? Identifier.ParseKind(text[..colon]) : null;
        if (kind is null)
        {
            throw DomainValidationException.Coded("identifier", ValidationCodes.NotKindValue, $"'{Shorten(text)}' is not KIND:VALUE with a known kind ({string.Join(", ", Enum.GetValues<IdentifierKind>().Select(Identifier.Wire))})", Shorten(text), string.Join(", ", Enum.GetValues<IdentifierKind>().Select(Identifier.Wire)));
        }

        // Documents and plates carry their issuing country first: passport:MA:AB1234567.
        var value = text[(colon + 1)..];
        string? country = null;
        if (kind is IdentifierKind.Passport or IdentifierKind.IdentityCard or IdentifierKind.VehiclePlate)
        {
            var second = value.IndexOf(':', StringComparison.Ordinal);
            if (second != 2)
            {
                throw DomainValidationException.Coded("identifier", ValidationCodes.IdentifierNeedsCountry, $"give the issuing country before the number: {Identifier.Wire(kind.Value)}:CC:NUMBER (CC = ISO 3166-1 alpha-2, e.g. {Identifier.Wire(kind.Value)}:MA:{Shorten(value)})", Identifier.Wire(kind.Value));
            }

            country = value[..2];
            value = value[3..];
        }

        var identifier = IdentifierNormaliser.Normalise(kind.Value, value, country);
        var key = HitFilter.IdentifierKey(identifier)
            ?? throw DomainValidationException.Coded("identifier", ValidationCodes.IdentifierInvalid, $"{Identifier.Wire(kind.Value)} '{Shorten(value)}' {identifier.Problem}", Identifier.Wire(kind.Value), Shorten(value), identifier.Problem ?? string.Empty);
        return new HitQuery("identifier", key, [], [], key);
    }

    /// <summary>The query parts that hit in <paramref name="filter"/> under <paramref name="key"/> (distinct, in query order); empty for no hit.</summary>
    public IReadOnlyList<string> Check(HitKey key, HitFilter filter)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(filter);
        using var hasher = key.CreateHasher();
        if (_identifierKey is not null)
        {
            return filter.Filter.Contains(hasher.Identifier(_identifierKey)) ? [Text] : [];
        }

        var hits = new List<string>();
        for (var i = 0; i < _nameKeys.Length; i++)
        {
            if (filter.Filter.Contains(hasher.Name(_nameKeys[i])) && !hits.Contains(_nameParts[i]))
            {
                hits.Add(_nameParts[i]);
            }
        }

        return hits;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
