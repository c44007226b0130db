using System.Text.Json;

namespace Jisr.Domain.Common;

/// <summary>A value object whose wire form is one string ("B2", "1985-03"), read back only through its validating parse.</summary>
public interface IWireText<TSelf>
    where TSelf : class, IWireText<TSelf>
{
    /// <summary>The value <paramref name="text"/> stands for; a <see cref="DomainValidationException"/> naming <paramref name="field"/> otherwise.</summary>
    static abstract TSelf Parse(string? text, string field);
}

/// <summary>
/// Writes a <see cref="IWireText{TSelf}"/> value as its text and reads it back through its parse, so JSON can neither
/// produce a value the factories would refuse nor turn an object such as <c>{}</c> into one.
/// </summary>
public sealed class WireTextJsonConverter<T> : JsonConverter<T>
    where T : class, IWireText<T>
{
    private static readonly string Field = JsonNamingPolicy.CamelCase.ConvertName(typeof(T).Name);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? T.Parse(reader.GetString(), Field)
            : throw DomainValidationException.Coded(Field, ValidationCodes.NotAString, $"must be written as a string, not as JSON {reader.TokenType}");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.ToString());
    }
}
