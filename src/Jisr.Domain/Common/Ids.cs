using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Jisr.Domain.Common;

// Typed ids: one small value type per kind of thing, each a Guid underneath, so that passing an agency's id where a
// user's is expected does not compile. No conversion operator exists between kinds or from Guid (a test checks it):
// an id is made with New (a version-7 Guid, time-ordered, as the model has always made them), Parse/TryParse, or the
// constructor where a Guid crosses a boundary (HTTP contracts, Identity's user key, the database's converters).
// ToString() is the Guid's "D" form; in JSON an id is that string. New makes a version-7 Guid of the given time.

/// <summary>What every typed id offers; generic code (JSON, EF Core converters) works through it.</summary>
/// <typeparam name="TSelf">The id type itself.</typeparam>
public interface ITypedId<TSelf> : IEquatable<TSelf>, IComparable<TSelf>, ISpanFormattable, IParsable<TSelf>
    where TSelf : struct, ITypedId<TSelf>
{
    /// <summary>The Guid underneath.</summary>
    Guid Value { get; }

    /// <summary>The id of this kind for <paramref name="value"/>: the one way generic code crosses from a Guid.</summary>
    static abstract TSelf From(Guid value);

    // What every kind does the same way is written once here; a kind declares only New, From and ToString.
    int IComparable<TSelf>.CompareTo(TSelf other) => Value.CompareTo(other.Value);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format);

    static TSelf IParsable<TSelf>.Parse(string s, IFormatProvider? provider) => TSelf.From(Guid.Parse(s));

    static bool IParsable<TSelf>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out TSelf result)
    {
        var parsed = Guid.TryParse(s, out var value);
        result = TSelf.From(value);
        return parsed;
    }
}

/// <summary>Parsing for every id kind: <c>TypedId.Parse&lt;RecordId&gt;(text)</c>.</summary>
public static class TypedId
{
    /// <summary>The id written in <paramref name="s"/> (a Guid in any of its forms); <see cref="FormatException"/> otherwise.</summary>
    public static TId Parse<TId>(string s)
        where TId : struct, ITypedId<TId> => TId.Parse(s, null);

    /// <summary>Whether <paramref name="s"/> holds a Guid, and the id it names.</summary>
    public static bool TryParse<TId>([NotNullWhen(true)] string? s, out TId result)
        where TId : struct, ITypedId<TId> => TId.TryParse(s, null, out result);
}

/// <summary>Writes a typed id as its Guid string ("D" form), also as a property name, and reads it back.</summary>
/// <typeparam name="TId">The id type.</typeparam>
public sealed class TypedIdJsonConverter<TId> : JsonConverter<TId>
    where TId : struct, ITypedId<TId>
{
    public override TId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => TId.From(reader.GetGuid());

    public override void Write(Utf8JsonWriter writer, TId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }

    public override TId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TId.From(Guid.Parse(reader.GetString() ?? string.Empty));

    public override void WriteAsPropertyName(Utf8JsonWriter writer, TId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.Value.ToString("D"));
    }
}

/// <summary>An agency's id (<see cref="Agencies.Agency.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<AgencyId>))]
public readonly record struct AgencyId(Guid Value) : ITypedId<AgencyId>
{
    public static AgencyId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static AgencyId From(Guid value) => new(value);

    public override string ToString() => Value.ToString("D");
}

/// <summary>A user's id: the Identity user's key, typed so it cannot be taken for an agency's or a record's.</summary>
[JsonConverter(typeof(TypedIdJsonConverter<UserId>))]
public readonly record struct UserId(Guid Value) : ITypedId<UserId>
{
    public static UserId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static UserId From(Guid value) => new(value);

    public override string ToString() => Value.ToString("D");
}

/// <summary>A record's id (<see cref="Records.Record.Id"/>), a release copy's included.</summary>
[JsonConverter(typeof(TypedIdJsonConverter<RecordId>))]
public readonly record struct RecordId(Guid Value) : ITypedId<RecordId>
{
    public static RecordId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static RecordId From(Guid value) => new(value);

    public override string ToString() => Value.ToString("D");
}

/// <summary>An entity's id (<see cref="Entities.Entity.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<EntityId>))]
public readonly record struct EntityId(Guid Value) : ITypedId<EntityId>
{
    public static EntityId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static EntityId From(Guid value) => new(value);

    public override string ToString() => Value.ToString("D");
}

/// <summary>A sharing agreement's id (<see cref="Sharing.SharingAgreement.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<AgreementId>))]
public readonly record struct AgreementId(Guid Value) : ITypedId<AgreementId>
{
    public static AgreementId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static AgreementId From(Guid value) => new(value);

    public override string ToString() => Value.ToString("D");
}

/// <summary>A release's id (<see cref="Sharing.Release.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<ReleaseId>))]
public readonly record struct ReleaseId(Guid Value) : ITypedId<ReleaseId>
{
    public static ReleaseId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static ReleaseId From(Guid value) => new(value);

    public override string ToString() => Value.ToString("D");
}

/// <summary>A consent request's id (<see cref="Sharing.ConsentRequest.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<ConsentId>))]
public readonly record struct ConsentId(Guid Value) : ITypedId<ConsentId>
{
    public static ConsentId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static ConsentId From(Guid value) => new(value);

    public override string ToString() => Value.ToString("D");
}

/// <summary>A notice's id (<see cref="Notices.Notice.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<NoticeId>))]
public readonly record struct NoticeId(Guid Value) : ITypedId<NoticeId>
{
    public static NoticeId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static NoticeId From(Guid value) => new(value);

    public override string ToString() => Value.ToString("D");
}

/// <summary>A declassification request's id (<see cref="Records.Declassification.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<DeclassificationId>))]
public readonly record struct DeclassificationId(Guid Value) : ITypedId<DeclassificationId>
{
    public static DeclassificationId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static DeclassificationId From(Guid value) => new(value);

    public override string ToString() => Value.ToString("D");
}
