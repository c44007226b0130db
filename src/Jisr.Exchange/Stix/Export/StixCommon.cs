namespace Jisr.Exchange.Stix.Export;

/// <summary>What every STIX object Jisr writes has in common, for the record export and the agency export alike.</summary>
internal static class StixCommon
{
    /// <summary>A domain or relationship object's common properties; its id is derived from the Jisr id (<see cref="StixIds.For"/>).</summary>
    public static JsonObject Sdo(string type, Guid jisrId, DateTimeOffset created, DateTimeOffset modified, string author, JsonArray markings) => new()
    {
        ["type"] = type,
        ["spec_version"] = "2.1",
        ["id"] = StixIds.For(type, jisrId),
        ["created"] = Timestamp(created),
        ["modified"] = Timestamp(modified < created ? created : modified),
        ["created_by_ref"] = author,
        ["object_marking_refs"] = markings,
    };

    /// <summary>A STIX timestamp: UTC with milliseconds.</summary>
    public static string Timestamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A day as the STIX timestamp of its first instant.</summary>
    public static string Timestamp(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00.000Z";
}
