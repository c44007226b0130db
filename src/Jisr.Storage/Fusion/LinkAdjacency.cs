using System.Data.Common;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Jisr.Storage.Fusion;

/// <summary>
/// Every link in the database held in memory by entity (its id, ends, kind and the record asserting it), so that a
/// neighbourhood is searched without reading its rings from the database: around a hub of a million-link graph those
/// were thousands of index seeks and rows per query, and a graph built of them. Nothing here decides what a caller sees.
/// On every query the records the caller may read are read under the record rule (<see cref="AccessPolicy.RecordReadRule"/>:
/// id and version), and a link is followed only when its record is one of them (<see cref="AccessPolicy.CanReadLink(int, ReadOnlySpan{bool})"/>),
/// as on the ring path.
/// What is held is current because a record's links change only with its version (<c>Record.SetAssertions</c>): a
/// record's links and its version are read here in one statement, and a query searches here only when every record the
/// caller may read is held at the version that query just read (written by this process or another). Records not held,
/// or held at another version, have their links read again first: a few within the query, many in the background while
/// queries read their rings from the database (<see cref="FusionStore.ReadableNeighbourhoodAsync"/>).
/// </summary>
public sealed partial class LinkAdjacency(DatabaseLocation location, ILogger<LinkAdjacency>? logger = null)
{
    /// <summary>How many records' links a query reads itself before it searches; more are read in the background.</summary>
    public const int LoadedInQuery = 500;

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Dictionary<EntityId, int> _entityIndex = [];
    private readonly List<EntityId> _entities = [];
    private readonly List<List<Touching>> _touching = [];
    private readonly Dictionary<RecordId, int> _recordIndex = [];
    private readonly List<HeldRecord> _records = [];
    private readonly List<HeldLink> _links = [];
    private readonly Stack<int> _freeLinks = [];
    private long _searches;

    /// <summary>How many neighbourhoods were searched here rather than read ring by ring (for tests and benches).</summary>
    public long Searches => Interlocked.Read(ref _searches);

    /// <summary>How many links are held (for tests and benches).</summary>
    public int HeldLinks
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _links.Count - _freeLinks.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// Lets go of the links of <paramref name="records"/>, deleted from the database by this process (a retention
    /// purge, a deletion by its author or a reviewer): no query would follow them again, since no caller may read a
    /// record that is gone, but a node that runs for years would keep every deleted record's links. What stays is a
    /// few bytes per record and entity ever held (their positions). Not let go of yet: copies removed by a recall or
    /// by federation, records another process deleted (no caller's readable records name them again, so nothing here
    /// learns of it), and a record whose links a load read just before it was deleted and holds just after this
    /// call. All cost memory only, until the node restarts.
    /// </summary>
    public void Forget(IEnumerable<RecordId> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        _lock.EnterWriteLock();
        try
        {
            foreach (var id in records)
            {
                if (_recordIndex.ContainsKey(id))
                {
                    Hold(id, (0, []));
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// The neighbourhood of <paramref name="centre"/> over the links of <paramref name="readable"/> (the records the
    /// caller may read, with their versions, just read under the record rule), as <c>LinkGraph.Neighbourhood</c> finds
    /// it in the graph of those links (<see cref="HeldNeighbourhood"/>), searched here without building that graph.
    /// Null when those records are not all held at those versions (the caller reads the rings instead).
    /// </summary>
    internal async Task<HeldNeighbourhood?> NeighbourhoodAsync(
        IReadOnlyList<(RecordId Id, int Version)> readable, EntityId centre, int depth, int maxNodes, CancellationToken cancellationToken)
    {
        for (var loaded = false; ; loaded = true)
        {
            List<RecordId> missing;
            _lock.EnterReadLock();
            try
            {
                var scratch = Rent();
                try
                {
                    missing = Mark(readable, scratch.Readable);
                    if (missing.Count == 0)
                    {
                        Interlocked.Increment(ref _searches);
                        return Search(scratch, centre, depth, maxNodes);
                    }
                }
                finally
                {
                    Return(scratch);
                }
            }
            finally
            {
                _lock.ExitReadLock();
            }

            if (loaded)
            {
                return null; // changed again while it was read: the rings are read from the database this time
            }

            if (missing.Count > LoadedInQuery)
            {
                LoadInBackground(missing);
                return null;
            }

            await LoadAsync(missing, cancellationToken);
        }
    }

    /// <summary>
    /// Marks the held records among <paramref name="readable"/> held at the version given (a link is followed only
    /// when its record is marked: <see cref="AccessPolicy.CanReadLink"/>, by position) and returns the others.
    /// Called with the read lock held.
    /// </summary>
    private List<RecordId> Mark(IReadOnlyList<(RecordId Id, int Version)> readable, bool[] marked)
    {
        var missing = new List<RecordId>();
        foreach (var (id, version) in readable)
        {
            if (_recordIndex.TryGetValue(id, out var at) && _records[at].Version == version)
            {
                marked[at] = true;
            }
            else
            {
                missing.Add(id);
            }
        }

        return missing;
    }

    /// <summary>
    /// <c>LinkGraph.Neighbourhood</c> over the graph <c>GraphService.Build</c> makes of the marked records' links, with
    /// the same answer in the same order: that graph orders entities by id and each entity's neighbours by the first
    /// of their links in (from, to, kind) order, merges the links of a pair into one edge (its weight counts them, its
    /// kinds in that order) and drops self-links; this search follows the held links in that order. Ring by ring up to
    /// <paramref name="depth"/>, stopping at <paramref name="maxNodes"/> entities and counting those left out of the
    /// ring where it stopped; then each reached entity's edges to reached entities after it by id. Called with the
    /// read lock held.
    /// </summary>
    private HeldNeighbourhood Search(Scratch scratch, EntityId centre, int depth, int maxNodes)
    {
        if (!_entityIndex.TryGetValue(centre, out var start))
        {
            return new HeldNeighbourhood([(centre, 0)], [], 0);
        }

        var distance = scratch.Distance;
        var visited = new List<int> { start };
        distance[start] = 0;
        var omitted = 0;
        try
        {
            var ring = 0;
            for (var d = 1; d <= depth && omitted == 0 && ring < visited.Count; d++)
            {
                var end = visited.Count;
                for (var at = ring; at < end; at++)
                {
                    foreach (var next in Neighbours(scratch, visited[at], reachedAfter: false))
                    {
                        var t = next.Entity;
                        if (distance[t] >= 0)
                        {
                            continue;
                        }

                        distance[t] = visited.Count >= maxNodes ? Omitted : d;
                        omitted += distance[t] == Omitted ? 1 : 0;
                        visited.Add(t);
                    }
                }

                ring = end;
            }

            var reached = new List<(EntityId Id, int Distance)>(visited.Count - omitted);
            var edges = new List<HeldEdge>();
            foreach (var node in visited)
            {
                if (distance[node] == Omitted)
                {
                    continue;
                }

                reached.Add((_entities[node], distance[node]));
                foreach (var edge in Neighbours(scratch, node, reachedAfter: true))
                {
                    edges.Add(new HeldEdge(_entities[node], _entities[edge.Entity], edge.Weight, edge.Types()));
                }
            }

            return new HeldNeighbourhood(reached, edges, omitted);
        }
        finally
        {
            foreach (var node in visited)
            {
                distance[node] = -1;
            }
        }
    }

    /// <summary>
    /// The neighbours of <paramref name="node"/> over marked links (self-links dropped), each once with the number and
    /// kinds of those links, in the order of their first link by (from, to, kind), entities compared by id (as their
    /// ids' text sorts); with <paramref name="reachedAfter"/>, only neighbours reached and not left out whose id
    /// sorts after the node's. Fills and returns the scratch's list (valid until the next call).
    /// </summary>
    private List<Neighbour> Neighbours(Scratch scratch, int node, bool reachedAfter)
    {
        var (found, slotOf, readable, distance) = (scratch.Neighbours, scratch.NeighbourSlot, scratch.Readable, scratch.Distance);
        var entities = CollectionsMarshal.AsSpan(_entities);
        found.Clear();
        var id = entities[node].Value;
        foreach (ref readonly var touching in CollectionsMarshal.AsSpan(_touching[node]))
        {
            var other = touching.Other;
            if (!AccessPolicy.CanReadLink(touching.Record, readable) || other == node)
            {
                continue;
            }

            var link = touching.Outgoing ? (From: node, To: other, touching.Type) : (From: other, To: node, touching.Type);
            if (reachedAfter && (distance[other] < 0 || distance[other] == Omitted || entities[other].Value.CompareTo(id) <= 0))
            {
                continue;
            }

            var at = slotOf[other];
            if (at < 0)
            {
                slotOf[other] = at = found.Count;
                found.Add(new Neighbour(other, link.From, link.To, link.Type));
            }
            else
            {
                ref var known = ref CollectionsMarshal.AsSpan(found)[at];
                known.Weight++;
                if (Compare(link.From, link.To, link.Type, known.From, known.To, known.Type) < 0)
                {
                    (known.From, known.To, known.Type) = (link.From, link.To, link.Type);
                }
            }

            ref var kinds = ref CollectionsMarshal.AsSpan(found)[at];
            if (link.From == node)
            {
                kinds.Outgoing |= 1 << (int)link.Type;
            }
            else
            {
                kinds.Incoming |= 1 << (int)link.Type;
            }
        }

        foreach (var neighbour in found)
        {
            slotOf[neighbour.Entity] = -1;
        }

        if (found.Count > 1)
        {
            found.Sort(_byFirstLink);
        }

        return found;
    }

    /// <summary>Links in the graph's order: by their ends' ids (from, then to; a <see cref="Guid"/> compares as its text sorts), then kind.</summary>
    private int Compare(int from, int to, LinkType type, int otherFrom, int otherTo, LinkType otherType)
    {
        var entities = CollectionsMarshal.AsSpan(_entities);
        var order = from == otherFrom ? 0 : entities[from].Value.CompareTo(entities[otherFrom].Value);
        if (order == 0 && to != otherTo)
        {
            order = entities[to].Value.CompareTo(entities[otherTo].Value);
        }

        return order != 0 ? order : type.CompareTo(otherType);
    }

    private const int Omitted = int.MaxValue;

    private Comparison<Neighbour> _byFirstLink => field ??= (a, b) => Compare(a.From, a.To, a.Type, b.From, b.To, b.Type);

    private readonly System.Collections.Concurrent.ConcurrentBag<Scratch> _scratch = [];

    /// <summary>A search's working arrays, sized for what is held now and pooled (reset after use): a query allocates what it returns.</summary>
    private Scratch Rent()
    {
        if (!_scratch.TryTake(out var scratch) || scratch.Readable.Length < _records.Count || scratch.Distance.Length < _entities.Count)
        {
            scratch = new Scratch(_records.Count, _entities.Count);
        }

        return scratch;
    }

    private void Return(Scratch scratch)
    {
        Array.Clear(scratch.Readable);
        _scratch.Add(scratch);
    }

    /// <summary>Starts reading <paramref name="records"/>' links in the background, unless a read is under way (a later query asks again).</summary>
    private void LoadInBackground(List<RecordId> records)
    {
        if (_loading.CurrentCount == 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await LoadAsync(records, CancellationToken.None);
            }
            catch (Exception exception) when (exception is DbException or InvalidOperationException)
            {
                if (logger is not null)
                {
                    LogLoadFailed(logger, exception, records.Count);
                }
            }
        });
    }

    /// <summary>
    /// Reads the links of <paramref name="records"/> with each record's version, in one statement (so the links held for
    /// a record are the ones it asserted at the version held with them), and holds them in place of what was held.
    /// A record no longer in the database is held with no version and no link.
    /// </summary>
    private async Task LoadAsync(List<RecordId> records, CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            var read = new Dictionary<RecordId, (int Version, List<(Guid Id, EntityId From, EntityId To, LinkType Type)> Links)>();
            await using (var db = JisrDatabase.Open(location))
            {
                var ids = records;
                var query = from r in db.Records.AsNoTracking()
                            where EF.Parameter(ids).Contains(r.Id)
                            from l in db.Links.AsNoTracking().Where(l => l.RecordId == r.Id).DefaultIfEmpty()
                            select new { Record = r.Id, r.Version, Link = (Guid?)l!.Id, From = l!.FromEntityId, To = l!.ToEntityId, Type = l!.Type };
                await using var command = query.CreateDbCommand();
                await db.Database.OpenConnectionAsync(cancellationToken);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var (record, version, link, from, to, type) = (reader.GetOrdinal("Record"), reader.GetOrdinal("Version"), reader.GetOrdinal("Link"), reader.GetOrdinal("From"), reader.GetOrdinal("To"), reader.GetOrdinal("Type"));
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = new RecordId(reader.GetGuid(record));
                    if (!read.TryGetValue(id, out var held))
                    {
                        read[id] = held = (reader.GetInt32(version), []);
                    }

                    if (!reader.IsDBNull(link))
                    {
                        held.Links.Add((reader.GetGuid(link), new EntityId(reader.GetGuid(from)), new EntityId(reader.GetGuid(to)), EnumNumbers.Parse<LinkType>(reader.GetInt32(type), "type")));
                    }
                }
            }

            _lock.EnterWriteLock();
            try
            {
                foreach (var id in records)
                {
                    Hold(id, read.TryGetValue(id, out var held) ? held : (0, []));
                }
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Holds <paramref name="id"/> at <paramref name="held"/>'s version with its links, in place of what was held for it. Called with the write lock held.</summary>
    private void Hold(RecordId id, (int Version, List<(Guid Id, EntityId From, EntityId To, LinkType Type)> Links) held)
    {
        if (_recordIndex.TryGetValue(id, out var record))
        {
            foreach (var slot in _records[record].Links)
            {
                var old = _links[slot];
                Untouch(old.From, slot);
                Untouch(old.To, slot);
                _freeLinks.Push(slot);
            }
        }
        else
        {
            record = _records.Count;
            _recordIndex[id] = record;
            _records.Add(new HeldRecord(0, []));
        }

        var slots = new int[held.Links.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            var (_, from, to, type) = held.Links[i];
            var link = new HeldLink(Entity(from), Entity(to));
            if (_freeLinks.TryPop(out var slot))
            {
                _links[slot] = link;
            }
            else
            {
                slot = _links.Count;
                _links.Add(link);
            }

            slots[i] = slot;
            _touching[link.From].Add(new Touching(slot, link.To, record, type, Outgoing: true));
            if (link.To != link.From)
            {
                _touching[link.To].Add(new Touching(slot, link.From, record, type, Outgoing: false));
            }
        }

        _records[record] = new HeldRecord(held.Version, slots);
    }

    /// <summary>Drops the link held at <paramref name="slot"/> from <paramref name="entity"/>'s links. Called with the write lock held.</summary>
    private void Untouch(int entity, int slot)
    {
        var touching = _touching[entity];
        var at = touching.FindIndex(t => t.Slot == slot);
        if (at >= 0)
        {
            touching.RemoveAt(at);
        }
    }

    private int Entity(EntityId id)
    {
        if (!_entityIndex.TryGetValue(id, out var at))
        {
            at = _entities.Count;
            _entityIndex[id] = at;
            _entities.Add(id);
            _touching.Add([]);
        }

        return at;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Reading the links of {Count} records into memory failed; neighbourhoods are read from the database until a later query reads them again")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, int count);

    /// <summary>The arrays a search works in: readable records and reached entities by position, and one entity's neighbours.</summary>
    private sealed class Scratch(int records, int entities)
    {
        public bool[] Readable { get; } = new bool[records];

        public int[] Distance { get; } = Filled(entities);

        public int[] NeighbourSlot { get; } = Filled(entities);

        public List<Neighbour> Neighbours { get; } = [];

        private static int[] Filled(int length)
        {
            var array = new int[length];
            Array.Fill(array, -1);
            return array;
        }
    }

    /// <summary>
    /// A neighbour of the entity searched from: its first link in the graph's order, how many links join them, and
    /// their kinds from the entity (<see cref="Outgoing"/>) and to it (<see cref="Incoming"/>), one bit per kind.
    /// </summary>
    private struct Neighbour(int entity, int from, int to, LinkType type)
    {
        public int Entity = entity;
        public int From = from;
        public int To = to;
        public LinkType Type = type;
        public int Weight = 1;
        public int Outgoing;
        public int Incoming;

        /// <summary>
        /// The kinds as the graph lists them for an edge from the entity searched from to this neighbour (its id sorts
        /// first): those of the links from it, then of those to it, each by kind and once.
        /// </summary>
        public readonly IReadOnlyList<LinkType> Types() => KindLists.GetOrAdd((Outgoing << 16) | Incoming, static key =>
        {
            var (outgoing, incoming) = (key >> 16, key & 0xffff);
            return [.. Enum.GetValues<LinkType>().Where(t => (outgoing & (1 << (int)t)) != 0), .. Enum.GetValues<LinkType>().Where(t => (incoming & ~outgoing & (1 << (int)t)) != 0)];
        });
    }

    /// <summary>The kinds' lists of edges, one per combination (shared: an answer holds thousands of edges of a few combinations).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, LinkType[]> KindLists = new();

    /// <summary>A record held: its version when its links were read, and where they are.</summary>
    private readonly record struct HeldRecord(int Version, int[] Links);

    /// <summary>
    /// A link held as one of its ends sees it: where it is held, its other end, its record and kind, and whether it
    /// leaves this end. A search reads these one after another rather than each link where it is held.
    /// </summary>
    private readonly record struct Touching(int Slot, int Other, int Record, LinkType Type, bool Outgoing);

    /// <summary>A link held, by its ends' positions: all its record's change needs to take it off them (a search reads <see cref="Touching"/>).</summary>
    private readonly record struct HeldLink(int From, int To);
}

/// <summary>
/// A neighbourhood searched over the links held in memory (<see cref="LinkAdjacency"/>): the entities reached, nearest
/// first, with their distance from the centre; the edges among them (one per pair of entities, the first id first,
/// with how many links join them and their kinds); how many entities were left out past the cap. The order is
/// <c>LinkGraph.Neighbourhood</c>'s over the same links.
/// </summary>
public sealed record HeldNeighbourhood(IReadOnlyList<(EntityId Id, int Distance)> Reached, IReadOnlyList<HeldEdge> Edges, int Omitted);

/// <summary>An edge of a <see cref="HeldNeighbourhood"/>: its ends (<paramref name="A"/>'s id sorts first), how many links join them, their kinds.</summary>
public readonly record struct HeldEdge(EntityId A, EntityId B, int Weight, IReadOnlyList<LinkType> Types);
