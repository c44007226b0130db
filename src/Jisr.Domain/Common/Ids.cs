using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Jisr.Domain.Common;

// Typed ids: one small value type per kind of thing, each a Guid underneath, so that passing an agency's id where a
// user's is expected does not compile. No conversion operator exists between kinds or from Guid (a test checks it):
// an id is made with New (a version-7 Guid, time-ordered, as the model has always made them), Parse/TryParse, or the
// constructor where a Guid crosses a boundary (HTTP contracts, Identity's user key, the database's converters).
// ToString() is the Guid's "D" form; in JSON an id is that string.

/// <summary>What every typed id offers; generic code (JSON, EF Core converters) works through it.</summary>
/// <typeparam name="TSelf">The id type itself.</typeparam>
public interface ITypedId<TSelf> : IEquatable<TSelf>, IComparable<TSelf>, ISpanFormattable, IParsable<TSelf>
    where TSelf : struct, ITypedId<TSelf>
{
    /// <summary>The Guid underneath.</summary>
    Guid Value { get; }

    /// <summary>The id of this kind for <paramref name="value"/>: the one way generic code crosses from a Guid.</summary>
    static abstract TSelf From(Guid value);
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
    /// <summary>A new id: a version-7 Guid whose time part is <paramref name="now"/>.</summary>
    public static AgencyId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static AgencyId From(Guid value) => new(value);

    public static AgencyId Parse(string s) => new(Guid.Parse(s));

    static AgencyId IParsable<AgencyId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, out AgencyId result)
    {
        var parsed = Guid.TryParse(s, out var value);
        result = new(value);
        return parsed;
    }

    static bool IParsable<AgencyId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out AgencyId result) => TryParse(s, out result);

    public static bool operator <(AgencyId left, AgencyId right) => left.CompareTo(right) < 0;

    public static bool operator <=(AgencyId left, AgencyId right) => left.CompareTo(right) <= 0;

    public static bool operator >(AgencyId left, AgencyId right) => left.CompareTo(right) > 0;

    public static bool operator >=(AgencyId left, AgencyId right) => left.CompareTo(right) >= 0;

    public int CompareTo(AgencyId other) => Value.CompareTo(other.Value);

    /// <summary>The Guid's "D" form (lower-case hex with hyphens), as ids have always been written.</summary>
    public override string ToString() => Value.ToString("D");

    /// <summary>The Guid in <paramref name="format"/> ("D", "N"...), as <see cref="Guid.ToString(string?)"/> writes it.</summary>
    public string ToString([StringSyntax(StringSyntaxAttribute.GuidFormat)] string? format) => Value.ToString(format);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format);
}

/// <summary>A user's id: the Identity user's key, typed so it cannot be taken for an agency's or a record's.</summary>
[JsonConverter(typeof(TypedIdJsonConverter<UserId>))]
public readonly record struct UserId(Guid Value) : ITypedId<UserId>
{
    /// <summary>A new id: a version-7 Guid whose time part is <paramref name="now"/>.</summary>
    public static UserId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static UserId From(Guid value) => new(value);

    public static UserId Parse(string s) => new(Guid.Parse(s));

    static UserId IParsable<UserId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, out UserId result)
    {
        var parsed = Guid.TryParse(s, out var value);
        result = new(value);
        return parsed;
    }

    static bool IParsable<UserId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out UserId result) => TryParse(s, out result);

    public static bool operator <(UserId left, UserId right) => left.CompareTo(right) < 0;

    public static bool operator <=(UserId left, UserId right) => left.CompareTo(right) <= 0;

    public static bool operator >(UserId left, UserId right) => left.CompareTo(right) > 0;

    public static bool operator >=(UserId left, UserId right) => left.CompareTo(right) >= 0;

    public int CompareTo(UserId other) => Value.CompareTo(other.Value);

    /// <summary>The Guid's "D" form (lower-case hex with hyphens), as ids have always been written.</summary>
    public override string ToString() => Value.ToString("D");

    /// <summary>The Guid in <paramref name="format"/> ("D", "N"...), as <see cref="Guid.ToString(string?)"/> writes it.</summary>
    public string ToString([StringSyntax(StringSyntaxAttribute.GuidFormat)] string? format) => Value.ToString(format);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format);
}

/// <summary>A record's id (<see cref="Records.Record.Id"/>), a release copy's included.</summary>
[JsonConverter(typeof(TypedIdJsonConverter<RecordId>))]
public readonly record struct RecordId(Guid Value) : ITypedId<RecordId>
{
    /// <summary>A new id: a version-7 Guid whose time part is <paramref name="now"/>.</summary>
    public static RecordId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static RecordId From(Guid value) => new(value);

    public static RecordId Parse(string s) => new(Guid.Parse(s));

    static RecordId IParsable<RecordId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, out RecordId result)
    {
        var parsed = Guid.TryParse(s, out var value);
        result = new(value);
        return parsed;
    }

    static bool IParsable<RecordId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out RecordId result) => TryParse(s, out result);

    public static bool operator <(RecordId left, RecordId right) => left.CompareTo(right) < 0;

    public static bool operator <=(RecordId left, RecordId right) => left.CompareTo(right) <= 0;

    public static bool operator >(RecordId left, RecordId right) => left.CompareTo(right) > 0;

    public static bool operator >=(RecordId left, RecordId right) => left.CompareTo(right) >= 0;

    public int CompareTo(RecordId other) => Value.CompareTo(other.Value);

    /// <summary>The Guid's "D" form (lower-case hex with hyphens), as ids have always been written.</summary>
    public override string ToString() => Value.ToString("D");

    /// <summary>The Guid in <paramref name="format"/> ("D", "N"...), as <see cref="Guid.ToString(string?)"/> writes it.</summary>
    public string ToString([StringSyntax(StringSyntaxAttribute.GuidFormat)] string? format) => Value.ToString(format);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format);
}

/// <summary>An entity's id (<see cref="Entities.Entity.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<EntityId>))]
public readonly record struct EntityId(Guid Value) : ITypedId<EntityId>
{
    /// <summary>A new id: a version-7 Guid whose time part is <paramref name="now"/>.</summary>
    public static EntityId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static EntityId From(Guid value) => new(value);

    public static EntityId Parse(string s) => new(Guid.Parse(s));

    static EntityId IParsable<EntityId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, out EntityId result)
    {
        var parsed = Guid.TryParse(s, out var value);
        result = new(value);
        return parsed;
    }

    static bool IParsable<EntityId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out EntityId result) => TryParse(s, out result);

    public static bool operator <(EntityId left, EntityId right) => left.CompareTo(right) < 0;

    public static bool operator <=(EntityId left, EntityId right) => left.CompareTo(right) <= 0;

    public static bool operator >(EntityId left, EntityId right) => left.CompareTo(right) > 0;

    public static bool operator >=(EntityId left, EntityId right) => left.CompareTo(right) >= 0;

    public int CompareTo(EntityId other) => Value.CompareTo(other.Value);

    /// <summary>The Guid's "D" form (lower-case hex with hyphens), as ids have always been written.</summary>
    public override string ToString() => Value.ToString("D");

    /// <summary>The Guid in <paramref name="format"/> ("D", "N"...), as <see cref="Guid.ToString(string?)"/> writes it.</summary>
    public string ToString([StringSyntax(StringSyntaxAttribute.GuidFormat)] string? format) => Value.ToString(format);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format);
}

/// <summary>A sharing agreement's id (<see cref="Sharing.SharingAgreement.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<AgreementId>))]
public readonly record struct AgreementId(Guid Value) : ITypedId<AgreementId>
{
    /// <summary>A new id: a version-7 Guid whose time part is <paramref name="now"/>.</summary>
    public static AgreementId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static AgreementId From(Guid value) => new(value);

    public static AgreementId Parse(string s) => new(Guid.Parse(s));

    static AgreementId IParsable<AgreementId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, out AgreementId result)
    {
        var parsed = Guid.TryParse(s, out var value);
        result = new(value);
        return parsed;
    }

    static bool IParsable<AgreementId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out AgreementId result) => TryParse(s, out result);

    public static bool operator <(AgreementId left, AgreementId right) => left.CompareTo(right) < 0;

    public static bool operator <=(AgreementId left, AgreementId right) => left.CompareTo(right) <= 0;

    public static bool operator >(AgreementId left, AgreementId right) => left.CompareTo(right) > 0;

    public static bool operator >=(AgreementId left, AgreementId right) => left.CompareTo(right) >= 0;

    public int CompareTo(AgreementId other) => Value.CompareTo(other.Value);

    /// <summary>The Guid's "D" form (lower-case hex with hyphens), as ids have always been written.</summary>
    public override string ToString() => Value.ToString("D");

    /// <summary>The Guid in <paramref name="format"/> ("D", "N"...), as <see cref="Guid.ToString(string?)"/> writes it.</summary>
    public string ToString([StringSyntax(StringSyntaxAttribute.GuidFormat)] string? format) => Value.ToString(format);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format);
}

/// <summary>A release's id (<see cref="Sharing.Release.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<ReleaseId>))]
public readonly record struct ReleaseId(Guid Value) : ITypedId<ReleaseId>
{
    /// <summary>A new id: a version-7 Guid whose time part is <paramref name="now"/>.</summary>
    public static ReleaseId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static ReleaseId From(Guid value) => new(value);

    public static ReleaseId Parse(string s) => new(Guid.Parse(s));

    static ReleaseId IParsable<ReleaseId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, out ReleaseId result)
    {
        var parsed = Guid.TryParse(s, out var value);
        result = new(value);
        return parsed;
    }

    static bool IParsable<ReleaseId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ReleaseId result) => TryParse(s, out result);

    public static bool operator <(ReleaseId left, ReleaseId right) => left.CompareTo(right) < 0;

    public static bool operator <=(ReleaseId left, ReleaseId right) => left.CompareTo(right) <= 0;

    public static bool operator >(ReleaseId left, ReleaseId right) => left.CompareTo(right) > 0;

    public static bool operator >=(ReleaseId left, ReleaseId right) => left.CompareTo(right) >= 0;

    public int CompareTo(ReleaseId other) => Value.CompareTo(other.Value);

    /// <summary>The Guid's "D" form (lower-case hex with hyphens), as ids have always been written.</summary>
    public override string ToString() => Value.ToString("D");

    /// <summary>The Guid in <paramref name="format"/> ("D", "N"...), as <see cref="Guid.ToString(string?)"/> writes it.</summary>
    public string ToString([StringSyntax(StringSyntaxAttribute.GuidFormat)] string? format) => Value.ToString(format);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format);
}

/// <summary>A consent request's id (<see cref="Sharing.ConsentRequest.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<ConsentId>))]
public readonly record struct ConsentId(Guid Value) : ITypedId<ConsentId>
{
    /// <summary>A new id: a version-7 Guid whose time part is <paramref name="now"/>.</summary>
    public static ConsentId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static ConsentId From(Guid value) => new(value);

    public static ConsentId Parse(string s) => new(Guid.Parse(s));

    static ConsentId IParsable<ConsentId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, out ConsentId result)
    {
        var parsed = Guid.TryParse(s, out var value);
        result = new(value);
        return parsed;
    }

    static bool IParsable<ConsentId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ConsentId result) => TryParse(s, out result);

    public static bool operator <(ConsentId left, ConsentId right) => left.CompareTo(right) < 0;

    public static bool operator <=(ConsentId left, ConsentId right) => left.CompareTo(right) <= 0;

    public static bool operator >(ConsentId left, ConsentId right) => left.CompareTo(right) > 0;

    public static bool operator >=(ConsentId left, ConsentId right) => left.CompareTo(right) >= 0;

    public int CompareTo(ConsentId other) => Value.CompareTo(other.Value);

    /// <summary>The Guid's "D" form (lower-case hex with hyphens), as ids have always been written.</summary>
    public override string ToString() => Value.ToString("D");

    /// <summary>The Guid in <paramref name="format"/> ("D", "N"...), as <see cref="Guid.ToString(string?)"/> writes it.</summary>
    public string ToString([StringSyntax(StringSyntaxAttribute.GuidFormat)] string? format) => Value.ToString(format);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format);
}

/// <summary>A notice's id (<see cref="Notices.Notice.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<NoticeId>))]
public readonly record struct NoticeId(Guid Value) : ITypedId<NoticeId>
{
    /// <summary>A new id: a version-7 Guid whose time part is <paramref name="now"/>.</summary>
    public static NoticeId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static NoticeId From(Guid value) => new(value);

    public static NoticeId Parse(string s) => new(Guid.Parse(s));

    static NoticeId IParsable<NoticeId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, out NoticeId result)
    {
        var parsed = Guid.TryParse(s, out var value);
        result = new(value);
        return parsed;
    }

    static bool IParsable<NoticeId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out NoticeId result) => TryParse(s, out result);

    public static bool operator <(NoticeId left, NoticeId right) => left.CompareTo(right) < 0;

    public static bool operator <=(NoticeId left, NoticeId right) => left.CompareTo(right) <= 0;

    public static bool operator >(NoticeId left, NoticeId right) => left.CompareTo(right) > 0;

    public static bool operator >=(NoticeId left, NoticeId right) => left.CompareTo(right) >= 0;

    public int CompareTo(NoticeId other) => Value.CompareTo(other.Value);

    /// <summary>The Guid's "D" form (lower-case hex with hyphens), as ids have always been written.</summary>
    public override string ToString() => Value.ToString("D");

    /// <summary>The Guid in <paramref name="format"/> ("D", "N"...), as <see cref="Guid.ToString(string?)"/> writes it.</summary>
    public string ToString([StringSyntax(StringSyntaxAttribute.GuidFormat)] string? format) => Value.ToString(format);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format);
}

/// <summary>A declassification request's id (<see cref="Records.Declassification.Id"/>).</summary>
[JsonConverter(typeof(TypedIdJsonConverter<DeclassificationId>))]
public readonly record struct DeclassificationId(Guid Value) : ITypedId<DeclassificationId>
{
    /// <summary>A new id: a version-7 Guid whose time part is <paramref name="now"/>.</summary>
    public static DeclassificationId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static DeclassificationId From(Guid value) => new(value);

    public static DeclassificationId Parse(string s) => new(Guid.Parse(s));

    static DeclassificationId IParsable<DeclassificationId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, out DeclassificationId result)
    {
        var parsed = Guid.TryParse(s, out var value);
        result = new(value);
        return parsed;
    }

    static bool IParsable<DeclassificationId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DeclassificationId result) => TryParse(s, out result);

    public static bool operator <(DeclassificationId left, DeclassificationId right) => left.CompareTo(right) < 0;

    public static bool operator <=(DeclassificationId left, DeclassificationId right) => left.CompareTo(right) <= 0;

    public static bool operator >(DeclassificationId left, DeclassificationId right) => left.CompareTo(right) > 0;

    public static bool operator >=(DeclassificationId left, DeclassificationId right) => left.CompareTo(right) >= 0;

    public int CompareTo(DeclassificationId other) => Value.CompareTo(other.Value);

    /// <summary>The Guid's "D" form (lower-case hex with hyphens), as ids have always been written.</summary>
    public override string ToString() => Value.ToString("D");

    /// <summary>The Guid in <paramref name="format"/> ("D", "N"...), as <see cref="Guid.ToString(string?)"/> writes it.</summary>
    public string ToString([StringSyntax(StringSyntaxAttribute.GuidFormat)] string? format) => Value.ToString(format);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format);
}
