using System.Text.Json.Serialization;

namespace Jisr.Exchange.HitCheck;

/// <summary>
/// Keeps <c>hitrequest.open</c> flat on the wire: the members of <see cref="HitRequestMessage.Terms"/> follow the ids in
/// one object, as every node has sent it since the message was first defined. The payload's bytes (and so its digest
/// and signature) are what an older node writes, and nodes of either version read each other's requests. Registered
/// in <see cref="Federation.FederationJson.Options"/>, so that the nested form is read and written with the same rules
/// (unknown or repeated members refused, names as the options compare them).
/// </summary>
public sealed class FlatHitRequestJsonConverter : JsonConverter<HitRequestMessage>
{
    private static readonly string[] TermMembers = typeof(HitRequestTerms).GetProperties().Select(p => p.Name).ToArray();
    private NestedOptions? _nested;

    public override HitRequestMessage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var flat = JsonElement.ParseValue(ref reader);
        if (flat.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"a {nameof(HitRequestMessage)} is a JSON object");
        }

        var comparer = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var nodeOptions = new JsonNodeOptions { PropertyNameCaseInsensitive = options.PropertyNameCaseInsensitive };
        var termNames = TermMembers.Select(m => Name(m, options)).ToHashSet(comparer);
        var termsName = Name(nameof(HitRequestMessage.Terms), options);
        var message = new JsonObject(nodeOptions);
        var terms = new JsonObject(nodeOptions);
        foreach (var member in flat.EnumerateObject())
        {
            if (message.ContainsKey(member.Name) || terms.ContainsKey(member.Name))
            {
                throw new JsonException($"the member '{member.Name}' stands more than once");
            }

            if (comparer.Equals(member.Name, termsName))
            {
                throw new JsonException($"the member '{member.Name}' is not part of a {nameof(HitRequestMessage)}");
            }

            (termNames.Contains(member.Name) ? terms : message)[member.Name] = JsonSerializer.SerializeToNode(member.Value);
        }

        message[termsName] = terms;
        return message.Deserialize<HitRequestMessage>(Nested(options)) ?? throw new JsonException($"a {nameof(HitRequestMessage)} cannot be null");
    }

    public override void Write(Utf8JsonWriter writer, HitRequestMessage value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        var nested = Nested(options);
        writer.WriteStartObject();
        WriteMembers(writer, value, nested);
        WriteMembers(writer, value.Terms, nested);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes each member of <paramref name="value"/> (but a nested <see cref="HitRequestTerms"/>) as the serializer
    /// would inside its own object, member by member with the serializer's own converters, so every value is written
    /// (and escaped) exactly as before.
    /// </summary>
    private static void WriteMembers<T>(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        foreach (var member in options.GetTypeInfo(typeof(T)).Properties)
        {
            if (member.PropertyType == typeof(HitRequestTerms))
            {
                continue;
            }

            writer.WritePropertyName(member.Name);
            JsonSerializer.Serialize(writer, member.Get!(value!), member.PropertyType, options);
        }
    }

    private static string Name(string member, JsonSerializerOptions options) => options.PropertyNamingPolicy?.ConvertName(member) ?? member;

    /// <summary>The same options without this converter, to read and write the nested form (made once per options; one reference, so never torn).</summary>
    private JsonSerializerOptions Nested(JsonSerializerOptions options)
    {
        if (_nested is { } kept && ReferenceEquals(kept.From, options))
        {
            return kept.Nested;
        }

        var nested = new JsonSerializerOptions(options);
        nested.Converters.Remove(this);
        nested.MakeReadOnly(populateMissingResolver: true);
        _nested = new NestedOptions(options, nested);
        return nested;
    }

    private sealed record NestedOptions(JsonSerializerOptions From, JsonSerializerOptions Nested);
}
