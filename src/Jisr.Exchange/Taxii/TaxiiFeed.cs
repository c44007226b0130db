namespace Jisr.Exchange.Taxii;

/// <summary>
/// Turns an export bundle into a TAXII collection's object versions, with a <c>date_added</c> that never hides an object
/// from a client polling with <c>added_after</c>: an object is added to the feed when it was last modified, when a report
/// that refers to it was (a new record mentioning an old entity brings the entity in), and not before the feed itself
/// opened (<paramref name="openedAt"/>: the agreement came into force or was resumed).
/// </summary>
public static class TaxiiFeed
{
    public static List<TaxiiObject> FromBundle(JsonObject bundle, DateTimeOffset openedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return FromBundle(Encoding.UTF8.GetBytes(bundle.ToJsonString()), openedAt, now);
    }

    /// <summary>
    /// The same from the bundle's bytes as the export wrote them: each object is served as its exact text, read with one
    /// <see cref="JsonDocument"/> (no tree of nodes for the whole collection, no object written out again).
    /// </summary>
    public static List<TaxiiObject> FromBundle(ReadOnlyMemory<byte> utf8, DateTimeOffset openedAt, DateTimeOffset now)
    {
        using var document = JsonDocument.Parse(utf8);
        var items = document.RootElement.TryGetProperty("objects", out var objects) && objects.ValueKind == JsonValueKind.Array
            ? objects.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object).ToList()
            : [];
        var added = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        static string? Text(JsonElement item, string name) => item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        string VersionOf(JsonElement item) => Text(item, "modified") ?? Text(item, "created") ?? TaxiiTime.Format(now);
        void Raise(string id, DateTimeOffset at) => added[id] = added.TryGetValue(id, out var known) && known >= at ? known : at;
        foreach (var item in items)
        {
            var at = TaxiiTime.Parse(VersionOf(item)) ?? now;
            Raise(Text(item, "id")!, at);
            if (Text(item, "type") == "report" && item.TryGetProperty("object_refs", out var refs) && refs.ValueKind == JsonValueKind.Array)
            {
                foreach (var reference in refs.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!))
                {
                    Raise(reference, at);
                }
            }
        }

        return
        [
            .. items.Select(item =>
            {
                var id = Text(item, "id")!;
                var at = added[id] < openedAt ? openedAt : added[id];
                return new TaxiiObject(id, Text(item, "type")!, VersionOf(item), Text(item, "spec_version") ?? "2.1", at, item.GetRawText());
            }),
        ];
    }
}
