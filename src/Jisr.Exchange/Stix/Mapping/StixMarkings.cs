namespace Jisr.Exchange.Stix.Mapping;

/// <summary>Reading TLP from an object's <c>object_marking_refs</c>: the TLP 2.0 definitions, and TLP 1.0's (WHITE read as CLEAR).</summary>
public static class StixMarkings
{
    private static readonly Dictionary<string, Tlp> Known = new(StringComparer.Ordinal)
    {
        [TlpMarkings.IdOf(Tlp.Clear)] = Tlp.Clear,
        [TlpMarkings.IdOf(Tlp.Green)] = Tlp.Green,
        [TlpMarkings.IdOf(Tlp.Amber)] = Tlp.Amber,
        [TlpMarkings.IdOf(Tlp.AmberStrict)] = Tlp.AmberStrict,
        [TlpMarkings.IdOf(Tlp.Red)] = Tlp.Red,
        ["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"] = Tlp.Clear,
        ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"] = Tlp.Green,
        ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"] = Tlp.Amber,
        ["marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"] = Tlp.Red,
    };

    /// <summary>Marking definitions every STIX producer may refer to without sending them.</summary>
    public static bool IsWellKnown(string id) => Known.ContainsKey(id);

    /// <summary>The most restrictive TLP the object is marked with, or null when it carries none.</summary>
    public static Tlp? TlpOf(JsonElement item)
    {
        Tlp? found = null;
        if (item.TryGetProperty("object_marking_refs", out var refs) && refs.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in refs.EnumerateArray())
            {
                if (r.ValueKind == JsonValueKind.String && Known.TryGetValue(r.GetString()!, out var tlp) && (found is null || tlp > found))
                {
                    found = tlp;
                }
            }
        }

        return found;
    }
}
