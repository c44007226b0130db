using System.Globalization;
using Jisr.Domain.Agencies;
using Jisr.Exchange.Stix.Export;
using Jisr.Exchange.Taxii;
using Jisr.Storage.Exchange;

namespace Jisr.Server.Taxii;

/// <summary>
/// The collection an agency serves a partner under one agreement, read a page at a time from the stored records: the
/// agency's own records are read in slices in the order of their last change (a keyset on the change time and the row
/// sequence), <see cref="AccessPolicy.CanServeOverTaxii"/> judges each record of a slice, and only the objects the page
/// returns are mapped. Building the whole collection before page 1 made a 100,000-object pull wait that long for its
/// first page, and a cache of the whole collection is no longer needed to make the later pages cheap.
/// </summary>
/// <remarks>
/// The collection is what the agency export would write for the records the policy lets through. Its order is the
/// date added, then the record (change time, sequence), then within a record its entities, relationships and report,
/// each by id; the fixed objects (Jisr's identity and extension definition, the agency's identity, the TLP definitions
/// of every level a feed may carry) come first at their date added, and only when the collection holds a record. A
/// record's objects are added when it last changed (not before the feed opened); an entity mentioned by several served
/// records goes out once, with the latest of them and marked as the most restricted of them, so a record that brings in
/// an entity the partner has not had brings it in at its own date. A <c>next</c> token names the place of the last
/// object served: the next page starts after that place, so records added or changed meanwhile (their place is their
/// change time) are neither skipped nor served twice.
/// </remarks>
internal sealed class TaxiiServedCollection(StixObjectStore store, Principal principal, SharingAgreement agreement, Agency agency, DateTimeOffset now)
{
    /// <summary>The TLP levels a feed may carry (never RED): their definitions are in every collection that holds a record.</summary>
    private static readonly Tlp[] ServedTlps = [Tlp.Clear, Tlp.Green, Tlp.Amber, Tlp.AmberStrict];

    private const int FirstSlice = 32;
    private const int MaxSlice = 1000;

    private readonly string _author = StixAgencyExport.AuthorOf(agency);

    /// <summary>An object's place in the collection; the fixed objects sort before every record of their date.</summary>
    private readonly record struct Place(long DateAdded, long ChangedAt, long Sequence, int Rank, string Id) : IComparable<Place>
    {
        public int CompareTo(Place other)
        {
            var c = DateAdded.CompareTo(other.DateAdded);
            c = c != 0 ? c : ChangedAt.CompareTo(other.ChangedAt);
            c = c != 0 ? c : Sequence.CompareTo(other.Sequence);
            c = c != 0 ? c : Rank.CompareTo(other.Rank);
            return c != 0 ? c : string.CompareOrdinal(Id, other.Id);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{DateAdded}|{ChangedAt}|{Sequence}|{Rank}|{Id}");

        public static Place Parse(string text)
        {
            var parts = text.Split('|');
            return parts.Length == 5
                && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var date)
                && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var changed)
                && long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sequence)
                && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var rank)
                ? new Place(date, changed, sequence, rank, parts[4])
                : throw TaxiiQuery.NotOurs();
        }
    }

    /// <summary>An object of the collection: what the filters look at, and its text, made only if the page takes it.</summary>
    private sealed record Candidate(Place Place, TaxiiObject Item, Func<string> Json);

    public async Task<TaxiiPage> PageAsync(TaxiiFilter filter, int maxPageSize, CancellationToken cancellationToken)
    {
        var size = Math.Min(filter.Limit ?? maxPageSize, maxPageSize);
        Place? after = TaxiiQuery.PositionAfter(filter) is { } position ? Place.Parse(position) : null;
        var opened = OpenedAt();
        var fixedObjects = new Queue<Candidate>(FixedObjects(opened).Where(c => after is null || c.Place.CompareTo(after.Value) > 0));
        var page = new List<Candidate>();
        var more = false;
        bool? holdsRecords = null;

        // Takes an object into the page if it comes after the cursor and the filters choose it; false once the page is
        // full and one more object is known to follow.
        bool Offer(Candidate candidate)
        {
            if ((after is { } cursor && candidate.Place.CompareTo(cursor) <= 0) || !TaxiiQuery.SelectsOnlyVersion(candidate.Item, filter))
            {
                return true;
            }

            if (page.Count == size)
            {
                more = true;
                return false;
            }

            page.Add(candidate);
            return true;
        }

        var from = StartOf(after, filter.AddedAfter, opened);
        var sliceSize = FirstSlice;
        long scanned = 0, objects = 0;
        while (!more)
        {
            var slice = await store.OwnRecordsAfterAsync(principal.AgencyId, from, sliceSize, cancellationToken);
            if (slice.Count == 0)
            {
                break;
            }

            from = (slice[^1].Record.UpdatedAt, slice[^1].Sequence);
            foreach (var group in await GroupsAsync(slice, opened, cancellationToken))
            {
                holdsRecords = true;
                objects += group.Count;
                foreach (var candidate in group)
                {
                    while (!more && fixedObjects.TryPeek(out var first) && first.Place.CompareTo(candidate.Place) < 0)
                    {
                        Offer(fixedObjects.Dequeue());
                    }

                    if (more || !Offer(candidate))
                    {
                        break;
                    }
                }

                if (more)
                {
                    break;
                }
            }

            // The next slice is sized to what the page still needs, at the objects per record seen so far.
            scanned += slice.Count;
            var perRecord = Math.Max(objects, 1) / (double)scanned;
            sliceSize = (int)Math.Clamp(Math.Ceiling((size - page.Count + 1) / perRecord), FirstSlice, MaxSlice);
        }

        while (!more && fixedObjects.Count > 0)
        {
            holdsRecords ??= await HoldsRecordsAsync(cancellationToken);
            if (holdsRecords == false)
            {
                break;
            }

            Offer(fixedObjects.Dequeue());
        }

        List<TaxiiObject> items = [.. page.Select(c => c.Item with { Json = c.Json() })];
        return new TaxiiPage(items, more, more ? TaxiiQuery.NextToken(page[^1].Place.ToString(), filter) : null);
    }

    /// <summary>The feed opened when the agreement came into force: accepted, valid from, or resumed after a suspension.</summary>
    private DateTimeOffset OpenedAt() =>
        new[] { agreement.AcceptedAt ?? agreement.ProposedAt, agreement.StatusChangedAt ?? agreement.ProposedAt, new DateTimeOffset(agreement.ValidFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) }.Max();

    /// <summary>A record's objects are added when it last changed (to the millisecond of their version), not before the feed opened.</summary>
    private static long DateAdded(DateTimeOffset changedAt, DateTimeOffset opened)
    {
        var ticks = changedAt.UtcTicks - (changedAt.UtcTicks % TimeSpan.TicksPerMillisecond);
        return Math.Max(ticks, opened.UtcTicks);
    }

    /// <summary>
    /// Where to start reading records (exclusive): every record before it has all its objects at or before the cursor,
    /// or added no later than <c>added_after</c>. Only a bound: each object is still compared with both.
    /// </summary>
    private static (DateTimeOffset, long)? StartOf(Place? after, DateTimeOffset? addedAfter, DateTimeOffset opened)
    {
        (DateTimeOffset, long)? start = null;
        if (after is { } cursor)
        {
            start = cursor.ChangedAt == long.MinValue
                ? cursor.DateAdded > opened.UtcTicks ? (new DateTimeOffset(cursor.DateAdded - 1, TimeSpan.Zero), long.MaxValue) : null // a fixed object: the records of its date on
                : (new DateTimeOffset(cursor.ChangedAt, TimeSpan.Zero), cursor.Sequence - 1); // the cursor's own record on: its later objects
        }

        if (addedAfter is { } since && since >= opened)
        {
            // Added after it: changed at or after its millisecond (records changed earlier are added no later than it).
            var bound = (new DateTimeOffset(since.UtcTicks - (since.UtcTicks % TimeSpan.TicksPerMillisecond) - 1, TimeSpan.Zero), long.MaxValue);
            start = start is not { } known || bound.CompareTo(known) > 0 ? bound : start;
        }

        return start;
    }

    private List<Candidate> FixedObjects(DateTimeOffset opened)
    {
        var result = new List<Candidate>();
        var rank = 0;
        foreach (var item in StixAgencyExport.FixedObjects(agency, ServedTlps))
        {
            var version = item["modified"]?.GetValue<string>() ?? item["created"]!.GetValue<string>();
            var date = Math.Max((TaxiiTime.Parse(version) ?? now).UtcTicks, opened.UtcTicks);
            var id = item["id"]!.GetValue<string>();
            var text = StixAgencyExport.Text(item);
            var dateAdded = new DateTimeOffset(date, TimeSpan.Zero);
            result.Add(new Candidate(new Place(date, long.MinValue, long.MinValue, rank++, id), new TaxiiObject(id, item["type"]!.GetValue<string>(), version, item["spec_version"]?.GetValue<string>() ?? "2.1", dateAdded, string.Empty), () => text));
        }

        result.Sort((a, b) => a.Place.CompareTo(b.Place));
        return result;
    }

    /// <summary>
    /// The objects of the records of a slice the policy lets into the feed, a list per record in collection order. An
    /// entity goes with the latest served record that mentions it (which may be outside the slice), marked as the most
    /// restricted of them.
    /// </summary>
    private async Task<List<List<Candidate>>> GroupsAsync(List<(Record Record, long Sequence)> slice, DateTimeOffset opened, CancellationToken cancellationToken)
    {
        var sliceIds = slice.Select(s => s.Record.Id).ToList();
        var allowed = await ServedAsync(slice.Select(s => (s.Record, s.Sequence, s.Record.Mentions.Select(m => m.EntityId).ToList())).ToList(), cancellationToken);
        if (allowed.Count == 0)
        {
            return [];
        }

        var mentioned = allowed.SelectMany(a => a.Mentions).ToHashSet();
        var entities = await store.EntitiesAsync(mentioned, cancellationToken);
        var others = await store.OtherRecordsMentioningAsync(mentioned, sliceIds, cancellationToken);
        var home = new Dictionary<EntityId, (DateTimeOffset ChangedAt, long Sequence, Tlp Tlp, RecordId Record)>();
        foreach (var (record, sequence, mentions) in allowed.Concat(await ServedAsync(others, cancellationToken)))
        {
            foreach (var entity in mentions)
            {
                var tlp = record.Marking.Tlp;
                if (home.TryGetValue(entity, out var known))
                {
                    tlp = known.Tlp > tlp ? known.Tlp : tlp;
                    if ((known.ChangedAt, known.Sequence).CompareTo((record.UpdatedAt, sequence)) > 0)
                    {
                        home[entity] = known with { Tlp = tlp };
                        continue;
                    }
                }

                home[entity] = (record.UpdatedAt, sequence, tlp, record.Id);
            }
        }

        string IdOf(EntityId id) => StixAgencyExport.EntityObjectId(entities[id]);
        var groups = new List<List<Candidate>>();
        foreach (var (record, sequence, _) in allowed)
        {
            var date = DateAdded(record.UpdatedAt, opened);
            var dateAdded = new DateTimeOffset(date, TimeSpan.Zero);
            var changed = record.UpdatedAt.UtcTicks;
            var version = StixAgencyExport.RecordVersion(record);
            var group = new List<Candidate>();
            foreach (var mention in record.Mentions)
            {
                if (entities.TryGetValue(mention.EntityId, out var entity) && home[mention.EntityId].Record == record.Id)
                {
                    var id = IdOf(entity.Id);
                    var tlp = home[mention.EntityId].Tlp;
                    group.Add(new Candidate(new Place(date, changed, sequence, 0, id), new TaxiiObject(id, StixAgencyExport.StixTypeOf(entity), StixAgencyExport.EntityVersion(entity), "2.1", dateAdded, string.Empty),
                        () => StixAgencyExport.Text(StixAgencyExport.EntityObject(entity, _author, tlp))));
                }
            }

            var links = StixAgencyExport.LinksOf(record, entities);
            foreach (var link in links)
            {
                var id = StixAgencyExport.RelationshipId(link);
                group.Add(new Candidate(new Place(date, changed, sequence, 1, id), new TaxiiObject(id, "relationship", version, "2.1", dateAdded, string.Empty),
                    () => StixAgencyExport.Text(StixAgencyExport.Relationship(link, record, _author, IdOf(link.FromEntityId), IdOf(link.ToEntityId)))));
            }

            var reportId = StixAgencyExport.ReportId(record);
            group.Add(new Candidate(new Place(date, changed, sequence, 2, reportId), new TaxiiObject(reportId, "report", version, "2.1", dateAdded, string.Empty),
                () => StixAgencyExport.Text(StixAgencyExport.Report(record, agency, _author, StixAgencyExport.ReportRefs(record, entities, links, IdOf, _author)))));
            group.Sort((a, b) => a.Place.CompareTo(b.Place));
            groups.Add(group);
        }

        return groups;
    }

    /// <summary>The records the policy lets into this feed (the third-party rule asks which were made from received STIX).</summary>
    private async Task<List<(Record Record, long Sequence, List<EntityId> Mentions)>> ServedAsync(List<(Record Record, long Sequence, List<EntityId> Mentions)> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return records;
        }

        var received = await store.ReceivedRecordsAsync(principal.AgencyId, [.. records.Select(r => r.Record.Id)], cancellationToken);
        return [.. records.Where(r => AccessPolicy.CanServeOverTaxii(principal, r.Record, agreement, received.Contains(r.Record.Id), now).IsAllowed)];
    }

    /// <summary>Whether the feed serves any record (else it is empty: no fixed objects either).</summary>
    private async Task<bool> HoldsRecordsAsync(CancellationToken cancellationToken)
    {
        (DateTimeOffset, long)? from = null;
        while (true)
        {
            var slice = await store.OwnRecordsAfterAsync(principal.AgencyId, from, MaxSlice, cancellationToken);
            if (slice.Count == 0)
            {
                return false;
            }

            if ((await ServedAsync([.. slice.Select(s => (s.Record, s.Sequence, new List<EntityId>()))], cancellationToken)).Count > 0)
            {
                return true;
            }

            from = (slice[^1].Record.UpdatedAt, slice[^1].Sequence);
        }
    }
}
