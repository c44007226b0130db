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
    private readonly ulong[] _possibleKeys;
    private readonly string[] _possibleParts;
    private readonly string? _identifierKey;

    private HitQuery(string kind, string text, ulong[] nameKeys, string[] nameParts, string? identifierKey, ulong[]? possibleKeys = null, string[]? possibleParts = null)
    {
        Kind = kind;
        Text = text;
        _nameKeys = nameKeys;
        _nameParts = nameParts;
        _identifierKey = identifierKey;
        _possibleKeys = possibleKeys ?? [];
        _possibleParts = possibleParts ?? [];
    }

    /// <summary><c>name</c> or <c>identifier</c>.</summary>
    public string Kind { get; }

    /// <summary>The name as given, or the identifier's normalised key.</summary>
    public string Text { get; }

    /// <summary>How many keys a check looks up in each filter (each with a <see cref="BinaryFuseFilter.FalsePositiveRate"/> chance of a filter error).</summary>
    public int KeyCount => _identifierKey is null ? _nameKeys.Length + _possibleKeys.Length : 1;

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

        // Possible-hit keys the query's own keys already hold (the same key under both) are left to the hit.
        var possible = NameMatchKeys.PossibleForQuery(name).Keys.Where(p => !keys.Any(k => k.Key == p.Key)).ToList();
        return new HitQuery(
            "name", name.Trim(), [.. keys.Select(k => k.Key)], [.. keys.Select(k => k.PartA == k.PartB ? parts[k.PartA].Original : $"{parts[k.PartA].Original} + {parts[k.PartB].Original}")], null,
            [.. possible.Select(k => k.Key)], [.. possible.Select(k => parts[k.PartA].Original)]);
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

    /// <summary>The query parts that hit in <paramref name="filter"/> under <paramref name="key"/> (distinct, in query order); empty for no hit. Possible hits are not counted (<see cref="Match"/>).</summary>
    public IReadOnlyList<string> Check(HitKey key, HitFilter filter) => Match(key, filter) is { Strength: HitStrength.Hit } match ? match.Parts : [];

    /// <summary>
    /// What <paramref name="filter"/> answers under <paramref name="key"/>: a hit with the query parts behind it; else, for
    /// a name, a possible hit with the parts found only as one part of a longer held name
    /// (<see cref="NameMatchKeys.PossibleForQuery(string?)"/>); else none.
    /// </summary>
    public HitMatch Match(HitKey key, HitFilter filter)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(filter);
        using var hasher = key.CreateHasher();
        if (_identifierKey is not null)
        {
            return filter.Filter.Contains(hasher.Identifier(_identifierKey)) ? new HitMatch(HitStrength.Hit, [Text]) : HitMatch.None;
        }

        var hits = Found(hasher, filter, _nameKeys, _nameParts);
        if (hits.Count > 0)
        {
            return new HitMatch(HitStrength.Hit, hits);
        }

        var possible = Found(hasher, filter, _possibleKeys, _possibleParts);
        return possible.Count > 0 ? new HitMatch(HitStrength.Possible, possible) : HitMatch.None;
    }

    private static List<string> Found(HitKey.Hasher hasher, HitFilter filter, ulong[] keys, string[] parts)
    {
        var found = new List<string>();
        for (var i = 0; i < keys.Length; i++)
        {
            if (filter.Filter.Contains(hasher.Name(keys[i])) && !found.Contains(parts[i]))
            {
                found.Add(parts[i]);
            }
        }

        return found;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
