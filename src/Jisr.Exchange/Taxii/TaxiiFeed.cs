using Jisr.Exchange.Stix.Export;

namespace Jisr.Exchange.Taxii;

/// <summary>
/// Turns an export's objects into a TAXII collection's object versions, with a <c>date_added</c> that never hides an
/// object from a client polling with <c>added_after</c>: an object is added to the feed when it was last modified, when
/// a report that refers to it was (a new record mentioning an old entity brings the entity in), and not before the feed
/// itself opened (<c>openedAt</c>: the agreement came into force or was resumed).
/// </summary>
public static class TaxiiFeed
{
    /// <summary>
    /// Each planned object's version in the feed, in the plan's order and without its text (<see cref="TaxiiObject.Json"/>
    /// is empty): the texts are made afterwards, in page order (<see cref="TaxiiObjectSet.Making"/>).
    /// </summary>
    public static List<TaxiiObject> Outlines(IReadOnlyList<StixAgencyExport.PlannedObject> entries, DateTimeOffset openedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var added = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        string VersionOf(StixAgencyExport.PlannedObject entry) => entry.Modified ?? entry.Created ?? TaxiiTime.Format(now);
        void Raise(string id, DateTimeOffset at) => added[id] = added.TryGetValue(id, out var known) && known >= at ? known : at;
        foreach (var entry in entries)
        {
            var at = TaxiiTime.Parse(VersionOf(entry)) ?? now;
            Raise(entry.Id, at);
            if (entry.Type == "report")
            {
                foreach (var reference in entry.Refs)
                {
                    Raise(reference, at);
                }
            }
        }

        return
        [
            .. entries.Select(entry =>
            {
                var at = added[entry.Id] < openedAt ? openedAt : added[entry.Id];
                return new TaxiiObject(entry.Id, entry.Type, VersionOf(entry), entry.SpecVersion, at, string.Empty);
            }),
        ];
    }
}
