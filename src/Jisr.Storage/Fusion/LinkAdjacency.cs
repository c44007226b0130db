using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Jisr.Storage.Fusion;

/// <summary>
/// Every link in the database held in memory by entity (its id, ends, kind and the record asserting it), so that a
/// neighbourhood is searched without reading its rings from the database: around a hub of a million-link graph those
/// were thousands of index seeks and rows per query. Nothing here decides what a caller sees. On every query the records
/// the caller may read are read under the record rule (<see cref="AccessPolicy.RecordReadRule"/>: id and version), and a
/// link is followed only when its record is one of them (<see cref="AccessPolicy.CanReadLink"/>), as on the ring path.
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
    private readonly List<List<int>> _touching = [];
    private readonly Dictionary<RecordId, int> _recordIndex = [];
    private readonly List<RecordId> _recordIds = [];
    private readonly List<HeldRecord> _records = [];
    private readonly List<HeldLink> _links = [];
    private readonly Stack<int> _freeLinks = [];
    private long _searches;

    /// <summary>How many neighbourhoods were searched here rather than read ring by ring (for tests and benches).</summary>
    public long Searches => Interlocked.Read(ref _searches);

    /// <summary>
    /// The slice <see cref="FusionStore.ReadableNeighbourhoodAsync"/> reads ring by ring, searched here over the links of
    /// <paramref name="readable"/> (the records the caller may read, with their versions, just read under the record
    /// rule), with the links among the outermost ring added (its <see cref="GraphSlice.OuterRing"/> is empty: nothing is
    /// left to read). Null when those records are not all held at those versions (the caller reads the rings instead).
    /// </summary>
    internal async Task<GraphSlice?> NeighbourhoodAsync(
        IReadOnlyList<(RecordId Id, int Version)> readable, EntityId centre, int depth, int maxNodes, IReadOnlyDictionary<EntityId, Entity> whole, CancellationToken cancellationToken)
    {
        var missing = Missing(readable);
        if (missing.Count > LoadedInQuery)
        {
            LoadInBackground(missing);
            return null;
        }

        if (missing.Count > 0)
        {
            await LoadAsync(missing, cancellationToken);
        }

        var readableIds = readable.Select(r => r.Id).ToHashSet();
        _lock.EnterReadLock();
        try
        {
            if (!AllHeld(readable))
            {
                return null; // changed again while it was read: the rings are read from the database this time
            }

            Interlocked.Increment(ref _searches);
            return Search(readableIds, centre, depth, maxNodes, whole);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The ring path's search (<see cref="FusionStore.ReadableNeighbourhoodAsync"/>) over what is held: ring by ring, the
    /// readable links touching the last ring and their other ends as the next, stopping past <paramref name="maxNodes"/>
    /// entities; then the readable links among the outermost ring. Called with the read lock held.
    /// </summary>
    private GraphSlice Search(HashSet<RecordId> readable, EntityId centre, int depth, int maxNodes, IReadOnlyDictionary<EntityId, Entity> whole)
    {
        var entities = new HashSet<EntityId> { centre };
        var links = new Dictionary<Guid, GraphLinkRow>();
        List<int> ring = _entityIndex.TryGetValue(centre, out var start) ? [start] : [];
        for (var d = 1; d <= depth && ring.Count > 0 && entities.Count <= maxNodes; d++)
        {
            var next = new List<int>();
            foreach (var link in ReadableTouching(ring, readable))
            {
                links.TryAdd(link.Id, Row(link));
                foreach (var end in new[] { link.From, link.To })
                {
                    if (entities.Add(_entities[end]))
                    {
                        next.Add(end);
                    }
                }
            }

            ring = next;
        }

        var outer = ring.ToHashSet();
        foreach (var link in ReadableTouching(ring, readable))
        {
            if (outer.Contains(link.From) && outer.Contains(link.To))
            {
                links.TryAdd(link.Id, Row(link));
            }
        }

        return new GraphSlice(entities, [.. links.Values], [], whole);
    }

    /// <summary>The held links touching <paramref name="ring"/> whose record is readable (a link between two of its entities twice).</summary>
    private IEnumerable<HeldLink> ReadableTouching(List<int> ring, HashSet<RecordId> readable)
    {
        foreach (var entity in ring)
        {
            foreach (var slot in _touching[entity])
            {
                var link = _links[slot];
                if (AccessPolicy.CanReadLink(_recordIds[link.Record], readable))
                {
                    yield return link;
                }
            }
        }
    }

    private GraphLinkRow Row(HeldLink link) => new(link.Id, _entities[link.From], _entities[link.To], link.Type);

    /// <summary>The records among <paramref name="readable"/> not held at the version given.</summary>
    private List<RecordId> Missing(IReadOnlyList<(RecordId Id, int Version)> readable)
    {
        _lock.EnterReadLock();
        try
        {
            return [.. readable.Where(r => !Holds(r.Id, r.Version)).Select(r => r.Id)];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private bool AllHeld(IReadOnlyList<(RecordId Id, int Version)> readable) => readable.All(r => Holds(r.Id, r.Version));

    private bool Holds(RecordId id, int version) => _recordIndex.TryGetValue(id, out var at) && _records[at].Version == version;

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
                _touching[old.From].Remove(slot);
                _touching[old.To].Remove(slot);
                _freeLinks.Push(slot);
            }
        }
        else
        {
            record = _records.Count;
            _recordIndex[id] = record;
            _recordIds.Add(id);
            _records.Add(new HeldRecord(0, []));
        }

        var slots = new int[held.Links.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            var (linkId, from, to, type) = held.Links[i];
            var link = new HeldLink(linkId, record, Entity(from), Entity(to), type);
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
            _touching[link.From].Add(slot);
            if (link.To != link.From)
            {
                _touching[link.To].Add(slot);
            }
        }

        _records[record] = new HeldRecord(held.Version, slots);
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

    /// <summary>A record held: its version when its links were read, and where they are.</summary>
    private readonly record struct HeldRecord(int Version, int[] Links);

    /// <summary>A link held: its id, its record and ends (by position here), its kind.</summary>
    private readonly record struct HeldLink(Guid Id, int Record, int From, int To, LinkType Type);
}
