using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Jisr.Exchange.Federation;

/// <summary>The one JSON form of envelopes, acknowledgements and payloads between nodes (camelCase, unknown members refused).</summary>
public static class FederationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new HitCheck.FlatHitRequestJsonConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads <typeparamref name="T"/>, or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static T Read<T>(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new FormatException($"a {typeof(T).Name} cannot be null");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not a valid {typeof(T).Name}: {ex.Message}", ex);
        }
    }
}
