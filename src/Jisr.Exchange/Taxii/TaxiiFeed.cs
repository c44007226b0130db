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
        var items = bundle["objects"]!.AsArray().OfType<JsonObject>().ToList();
        var added = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        string VersionOf(JsonObject item) => item["modified"]?.GetValue<string>() ?? item["created"]?.GetValue<string>() ?? TaxiiTime.Format(now);
        void Raise(string id, DateTimeOffset at) => added[id] = added.TryGetValue(id, out var known) && known >= at ? known : at;
        foreach (var item in items)
        {
            var at = TaxiiTime.Parse(VersionOf(item)) ?? now;
            Raise(item["id"]!.GetValue<string>(), at);
            if (item["type"]?.GetValue<string>() == "report" && item["object_refs"] is JsonArray refs)
            {
                foreach (var reference in refs.Select(r => r?.GetValue<string>()).OfType<string>())
                {
                    Raise(reference, at);
                }
            }
        }

        return
        [
            .. items.Select(item =>
            {
                var id = item["id"]!.GetValue<string>();
                var at = added[id] < openedAt ? openedAt : added[id];
                return new TaxiiObject(id, item["type"]!.GetValue<string>(), VersionOf(item), item["spec_version"]?.GetValue<string>() ?? "2.1", at, item.ToJsonString());
            }),
        ];
    }
}
