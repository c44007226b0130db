namespace Jisr.Exchange.Stix.Mapping;

/// <summary>
/// Jisr's STIX <c>extension-definition</c>: a property-extension that carries what STIX has no property for (a record's
/// classification, handling code, legal basis, purpose, retention, review, originator, Admiralty grading; an entity's
/// names in several scripts, date of birth, identifiers...). Its id and its creator identity are fixed, so every Jisr
/// node's exports name the same extension.
/// </summary>
public static class JisrExtension
{
    public const string Id = "extension-definition--a4b1f3e2-6c2d-4f8a-9b7e-3d5c1e9f0a21";
    public const string CreatorId = "identity--0b6f2a44-7c1d-4e39-a8f5-2e9d4c6b1a37";
    public const string Schema = "https://github.com/jisr-project/jisr/blob/main/docs/stix-exchange.md";
    private const string Created = "2026-01-01T00:00:00.000Z";

    /// <summary>The identity that defines the extension (the schema requires a creator).</summary>
    public static JsonObject Creator() => new()
    {
        ["type"] = "identity",
        ["spec_version"] = "2.1",
        ["id"] = CreatorId,
        ["created"] = Created,
        ["modified"] = Created,
        ["name"] = "Jisr",
        ["identity_class"] = "system",
    };

    public static JsonObject Definition() => new()
    {
        ["type"] = "extension-definition",
        ["spec_version"] = "2.1",
        ["id"] = Id,
        ["created_by_ref"] = CreatorId,
        ["created"] = Created,
        ["modified"] = Created,
        ["name"] = "Jisr record, entity and marking properties",
        ["description"] = "Classification, handling code, legal basis, purpose, retention, review date, originator and Admiralty grading of a record; the full description of an entity (names in several scripts, dates of birth, identifiers).",
        ["schema"] = Schema,
        ["version"] = "1.0",
        ["extension_types"] = new JsonArray("property-extension"),
    };

    /// <summary>Wraps Jisr properties as the object's <c>extensions</c> entry.</summary>
    public static JsonObject Wrap(JsonObject properties)
    {
        properties["extension_type"] = "property-extension";
        return new JsonObject { [Id] = properties };
    }
}
