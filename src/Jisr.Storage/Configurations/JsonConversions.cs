using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Jisr.Storage.Configurations;

/// <summary>
/// Value objects that live inside one column: lists as JSON arrays, partial dates as their ISO text. Reading
/// goes back through the domain factories, so the database cannot hand the model an invalid value.
/// </summary>
internal static class JsonConversions
{
    public static readonly ValueConverter<IReadOnlyList<string>, string> StringList = new(
        v => JsonSerializer.Serialize(v, JsonSerializerOptions.Default),
        s => Strings(s));

    public static readonly ValueConverter<IReadOnlyList<PersonName>, string> PersonNames = new(
        v => JsonSerializer.Serialize(v.Select(n => n.Text).ToArray(), JsonSerializerOptions.Default),
        s => Strings(s).Select(t => PersonName.Create(t, "names")).ToArray());

    public static readonly ValueConverter<IReadOnlyList<PersonIdentifier>, string> PersonIdentifiers = new(
        v => JsonSerializer.Serialize(v.Select(i => new[] { i.Kind, i.Value, i.Country }).ToArray(), JsonSerializerOptions.Default),
        s => IdentifierParts(s).Select(a => PersonIdentifier.Create(a[0], a[1], a[2], "identifiers")).ToArray());

    /// <summary>A stored string list (names, nationalities) as written, before any value object is made of it.</summary>
    public static string[] Strings(string stored) => JsonSerializer.Deserialize<string[]>(stored, JsonSerializerOptions.Default) ?? [];

    /// <summary>Stored identifiers as written: kind, value and country (null where none) of each.</summary>
    public static string?[][] IdentifierParts(string stored) => JsonSerializer.Deserialize<string?[][]>(stored, JsonSerializerOptions.Default) ?? [];

    /// <summary>User ids as a JSON array of Guid strings (a typed id is written as its Guid: <see cref="TypedIdJsonConverter{TId}"/>).</summary>
    public static readonly ValueConverter<IReadOnlyList<UserId>, string> UserIdList = new(
        v => JsonSerializer.Serialize(v, JsonSerializerOptions.Default),
        s => JsonSerializer.Deserialize<UserId[]>(s, JsonSerializerOptions.Default) ?? Array.Empty<UserId>());

    public static readonly ValueConverter<Domain.Records.ReleaseProvenance?, string> Provenance = new(
        v => JsonSerializer.Serialize(v, JsonSerializerOptions.Default),
        s => JsonSerializer.Deserialize<Domain.Records.ReleaseProvenance>(s, JsonSerializerOptions.Default)!);

    // Nullable columns: EF Core keeps NULL as NULL and never hands null to a converter.
    public static readonly ValueConverter<PartialDate?, string> PartialDates = new(
        v => v!.ToString(),
        s => PartialDate.Parse(s, "date"));

    public static ValueComparer<IReadOnlyList<T>> ListComparer<T>() => new(
        (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
        v => v.Aggregate(0, (hash, item) => HashCode.Combine(hash, item == null ? 0 : item.GetHashCode())),
        v => v.ToArray());
}
