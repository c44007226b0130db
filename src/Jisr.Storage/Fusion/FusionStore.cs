using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Jisr.Storage.Configurations;
using Microsoft.Data.Sqlite;

namespace Jisr.Storage.Fusion;

/// <summary>
/// What entity resolution, cross-reference and the link graph's analytics work on, read for one caller: the persons
/// and entities they may read (<see cref="ReadableSets"/>), the links of the records they may read, and their agency's
/// judgements on pairs they may see both sides of. Nothing else is fetched, so nothing the caller may not see can
/// reach a proposal, a hit, a path or a cell. Judgements are written here with their audit entry in one transaction.
/// With <paramref name="adjacency"/> (a node's, not a one-off command's), neighbourhoods are searched over the links
/// held in memory when they are current for the caller's readable records (<see cref="LinkAdjacency"/>).
/// </summary>
public sealed class FusionStore(JisrDbContext db, AuditLog audit, TimeProvider time, EntityCache entityCache, LinkAdjacency? adjacency = null)
{
    /// <summary>
    /// The persons the caller may read, and which of them their agency asserted itself (mentioned by a readable record
    /// the agency originated, as against one only in copies partners released to it).
    /// </summary>
    public async Task<FusionPersons> ReadablePersonsAsync(Principal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var persons = await db.ReadableEntities(principal, time).OfType<Person>().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return new FusionPersons(persons, await OwnAsync(principal, cancellationToken));
    }

    /// <summary>
    /// What a cross-reference scores of each person the caller may read (names, date of birth, nationalities,
    /// identifiers, gender) and shows of them (the label: no key or place of birth, no entity object), and which of
    /// them their agency asserted itself, as <see cref="ReadablePersonsAsync"/> says.
    /// </summary>
    /// <remarks>
    /// The query is the policy's filter as EF Core builds it (the same SQL and parameters as every other person read);
    /// only the reading of its rows differs: each column is taken as stored, the names and identifiers as the strings
    /// the model wrote (<see cref="JsonConversions"/>), with no value object made per name or identifier, which cost
    /// most of a 200,000-person read. The model wrote them already checked, so they are what its converters would give.
    /// The rows are read as text and parsed on every core in batches while the next ones are read: the parsing was most
    /// of the read. They come in no particular order: ordered by id, SQLite walked the table in the id index's order,
    /// one random page per row (2,000,000 persons: 20 s against 9 s in the table's order).
    /// </remarks>
    public Task<FusionPersonRows> ReadablePersonRowsAsync(Principal principal, CancellationToken cancellationToken) =>
        ReadablePersonRowsAsync(principal, RowBatch, cancellationToken);

    /// <summary><see cref="ReadablePersonRowsAsync(Principal, CancellationToken)"/> with batches of <paramref name="rowBatch"/> rows (tests fill the channel with small ones).</summary>
    internal async Task<FusionPersonRows> ReadablePersonRowsAsync(Principal principal, int rowBatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var query = db.ReadableEntities(principal, time).OfType<Person>()
            .Select(p => new { p.Id, p.AgencyId, p.Label, p.Names, p.DateOfBirth, p.Nationalities, p.Identifiers, p.Gender });
        // Nationalities and dates of birth repeat across persons (a few hundred and some tens of thousands of values
        // among millions of rows): each value is parsed once and its one immutable object shared.
        var sharedNationalities = new SharedValues<IReadOnlyList<string>>(JsonConversions.Strings);
        var sharedDates = new SharedValues<PartialDate>(text => PartialDate.Parse(text, "dateOfBirth"));
        PersonRow Parse(StoredPerson row)
        {
            var names = JsonConversions.Strings(row.Names);
            return new PersonRow(
                new EntityId(row.Id),
                new AgencyId(row.AgencyId),
                names.Length > 0 && names[0] == row.Label ? names[0] : row.Label, // the label is most often the first name: one string
                names,
                row.DateOfBirth is null ? null : sharedDates.Of(row.DateOfBirth),
                sharedNationalities.Of(row.Nationalities),
                [.. JsonConversions.IdentifierParts(row.Identifiers).Select(a => new IdentifierRow(a[0]!, a[1]!, a[2]))],
                EnumNumbers.Parse<Gender>(row.Gender, "gender"));
        }

        await using var command = query.CreateDbCommand();
        await db.Database.OpenConnectionAsync(cancellationToken);

        // The rows are parsed in batches on every core while the next ones are read: parsing cost as much as reading,
        // and the rows' text never all waits in memory at once.
        var batches = Channel.CreateBounded<StoredPerson[]>(new BoundedChannelOptions(2 * Environment.ProcessorCount) { SingleWriter = true });
        var parsed = new ConcurrentBag<PersonRow[]>();
        Exception? damaged = null;
        var parsers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
                {
                    parsed.Add(Array.ConvertAll(batch, Parse));
                }
            }
            catch (Exception failed)
            {
                // A damaged row fails the read as it would one row at a time (the caller tells a bad value from a crash).
                Interlocked.CompareExchange(ref damaged, failed, null);
                batches.Writer.TryComplete(failed);
            }
        })).ToArray();

        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var (id, agency, label, names, born, nationalities, identifiers, gender) = (
                reader.GetOrdinal(nameof(Person.Id)), reader.GetOrdinal(nameof(Person.AgencyId)), reader.GetOrdinal(nameof(Person.Label)),
                reader.GetOrdinal(nameof(Person.Names)), reader.GetOrdinal(nameof(Person.DateOfBirth)), reader.GetOrdinal(nameof(Person.Nationalities)),
                reader.GetOrdinal(nameof(Person.Identifiers)), reader.GetOrdinal(nameof(Person.Gender)));
            var batch = new List<StoredPerson>(rowBatch);
            while (await reader.ReadAsync(cancellationToken))
            {
                batch.Add(new StoredPerson(
                    reader.GetGuid(id), reader.GetGuid(agency), reader.GetString(label), reader.GetString(names),
                    reader.IsDBNull(born) ? null : reader.GetString(born), reader.GetString(nationalities), reader.GetString(identifiers), reader.GetInt32(gender)));
                if (batch.Count == rowBatch)
                {
                    await batches.Writer.WriteAsync([.. batch], cancellationToken);
                    batch.Clear();
                }
            }

            await batches.Writer.WriteAsync([.. batch], cancellationToken);
            batches.Writer.TryComplete();
        }
        catch (ChannelClosedException) when (damaged is not null)
        {
            // A parser failed and closed the channel: its error is thrown below.
        }
        catch (Exception failed)
        {
            batches.Writer.TryComplete(failed);
            throw;
        }
        finally
        {
            await Task.WhenAll(parsers);
            await db.Database.CloseConnectionAsync();
        }

        if (damaged is not null)
        {
            ExceptionDispatchInfo.Throw(damaged);
        }

        var persons = parsed.SelectMany(rows => rows).ToArray();
        return new FusionPersonRows(persons, await OwnAsync(principal, cancellationToken));
    }

    /// <summary>
    /// Keeps the connection open for the reads of a whole table that follow (a cross-reference's persons, own set and
    /// links) and, on SQLite, has them read the file with <c>pread</c> rather than through the memory map the node's
    /// reads use (<see cref="JisrDatabase.SqliteMemoryMapBytes"/>): a scan through the map leaves every page it touched
    /// resident in the process, 1.7 GB of a 1.9 GB file at 2,000,000 persons, while read calls leave them in the
    /// kernel's page cache, shared and reclaimable. Disposing restores the map and closes the connection.
    /// </summary>
    public async Task<IAsyncDisposable> WholeTableReadsAsync(CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var scope = new WholeTableReads(db);
        try
        {
            scope.Map(0);
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }

        return scope;
    }

    private sealed class WholeTableReads(JisrDbContext db) : IAsyncDisposable
    {
        public void Map(long bytes)
        {
            if (db.Database.IsSqlite())
            {
                JisrDatabase.MapSqliteFile((SqliteConnection)db.Database.GetDbConnection(), bytes);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                // The pooled connection goes back with the map every other read of the node expects.
                Map(JisrDatabase.SqliteMemoryMapBytes);
            }
            catch (SqliteException)
            {
                // Not mapped again: the pool lets this connection go rather than hand it on without its map (only the
                // speed of later reads depends on it, so the read that ran is not failed for it).
                SqliteConnection.ClearPool((SqliteConnection)db.Database.GetDbConnection());
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>
    /// A column's values parsed once each and shared by the rows that hold them (the values must be immutable). Bounded:
    /// past <see cref="MaxShared"/> distinct values a column is not one that repeats, and each row gets its own.
    /// </summary>
    private sealed class SharedValues<T>(Func<string, T> parse)
        where T : class
    {
        private const int MaxShared = 100_000;

        private readonly ConcurrentDictionary<string, T> shared = new(StringComparer.Ordinal);

        /// <summary>About how many values are shared (the dictionary's own count takes every lock).</summary>
        private int count;

        public T Of(string stored)
        {
            if (shared.TryGetValue(stored, out var value))
            {
                return value;
            }

            if (Volatile.Read(ref count) >= MaxShared)
            {
                return parse(stored);
            }

            Interlocked.Increment(ref count);
            return shared.GetOrAdd(stored, parse);
        }
    }

    /// <summary>How many rows a parser takes at a time.</summary>
    private const int RowBatch = 2048;

    /// <summary>A person row's columns as stored, before parsing.</summary>
    private readonly record struct StoredPerson(Guid Id, Guid AgencyId, string Label, string Names, string? DateOfBirth, string Nationalities, string Identifiers, int Gender);

    /// <summary>
    /// The ends and kind of every link asserted by records the caller may read (<see cref="ReadableLinksAsync"/> without
    /// the rest of each link), in no particular order: ordered by id, SQLite read the table in the id index's order
    /// (1,000,000 links: 2.0 s against 0.5 s).
    /// </summary>
    public Task<List<GraphLinkRow>> ReadableLinkRowsAsync(Principal principal, CancellationToken cancellationToken)
    {
        var readable = db.ReadableRecords(principal, time);
        return db.Links.AsNoTracking().Where(l => readable.Any(r => r.Id == l.RecordId))
            .Select(l => new GraphLinkRow(l.Id, l.FromEntityId, l.ToEntityId, l.Type)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The entities mentioned by readable records the caller's agency originated. The set drops repeats: DISTINCT in the
    /// query made SQLite walk the mentions in entity order, five times slower at a million.
    /// </summary>
    private async Task<HashSet<EntityId>> OwnAsync(Principal principal, CancellationToken cancellationToken)
    {
        var ownRecords = db.ReadableRecords(principal, time).Where(r => r.OriginatorAgencyId == principal.AgencyId);
        return await db.Mentions.AsNoTracking()
            .Where(m => ownRecords.Any(r => r.Id == m.RecordId))
            .Select(m => m.EntityId).ToHashSetAsync(cancellationToken);
    }

    /// <summary>The entities among <paramref name="ids"/> the caller may read (unknown and hidden ids are simply absent), the ids sent as one parameter.</summary>
    public Task<Dictionary<EntityId, Entity>> ReadableEntitiesByIdAsync(Principal principal, IReadOnlyCollection<EntityId> ids, CancellationToken cancellationToken) =>
        ReadableEntitiesAmongAsync(principal, ids, cancellationToken);

    /// <summary>The entities among <paramref name="ids"/> the caller may read, whole, the ids sent as one parameter however many (an answer may hold thousands).</summary>
    public async Task<Dictionary<EntityId, Entity>> ReadableEntitiesAmongAsync(Principal principal, IReadOnlyCollection<EntityId> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var list = ids.ToList();
        return await db.ReadableEntities(principal, time).Where(e => EF.Parameter(list).Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
    }

    /// <summary>Every entity the caller may read (graph nodes and their labels).</summary>
    public Task<List<Entity>> ReadableEntitiesAsync(Principal principal, CancellationToken cancellationToken) =>
        db.ReadableEntities(principal, time).OrderBy(e => e.Id).ToListAsync(cancellationToken);

    /// <summary>The version of records, entities and links in this database as this process changed them (<see cref="DataChanges"/>).</summary>
    public long DataVersion => DataChanges.VersionOf(db);

    /// <summary>
    /// What decides the caller's link graph, as one hash: the id and version of every record they may read
    /// (<see cref="AccessPolicy.RecordReadRule"/>). The graph is a function of that set (its entities are those the
    /// records mention, its links those they assert, and a record's mentions and links change only with its version),
    /// so two callers with equal stamps are shown the same graph, and any change of who may read what (an agreement
    /// suspended, ended or past its end, a clearance lowered, a marking raised, recipients changed, a retention passed),
    /// made by this process or another over the same database, is a new stamp at the next read. One row per record,
    /// never a link or an entity: a graph of a million links comes from ten thousand records.
    /// </summary>
    public async Task<string> ReadableRecordsStampAsync(Principal principal, CancellationToken cancellationToken)
    {
        var rows = await db.ReadableRecords(principal, time).Select(r => new { r.Id, r.Version }).ToListAsync(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var row = new byte[20];
        foreach (var record in rows.OrderBy(r => r.Id.Value))
        {
            record.Id.Value.TryWriteBytes(row);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(row.AsSpan(16), record.Version);
            hash.AppendData(row);
        }

        return $"{rows.Count}:{Convert.ToHexString(hash.GetHashAndReset())}";
    }

    /// <summary>The links asserted by records the caller may read (both ends are then readable: a link joins entities its record mentions).</summary>
    public Task<List<Link>> ReadableLinksAsync(Principal principal, CancellationToken cancellationToken)
    {
        var readable = db.ReadableRecords(principal, time);
        return db.Links.AsNoTracking().Where(l => readable.Any(r => r.Id == l.RecordId)).OrderBy(l => l.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The part of the caller's link graph within <paramref name="depth"/> steps of <paramref name="centre"/>, read from
    /// the database one ring at a time: the links touching the last ring (ids, ends, kind and record: index seeks, no
    /// filter per row), kept when their record is readable (<see cref="AccessPolicy.CanReadLink"/>, the records reached
    /// checked by the record rule in one query per ring), and their other ends, readable entities by that rule, as the
    /// next ring. A query costs what it reaches, not the whole graph, and no entity is read until the answer is known
    /// (<see cref="SliceEntitiesAsync"/>). Expansion stops early once more than <paramref name="maxNodes"/> entities
    /// are reached, where <c>LinkGraph.Neighbourhood</c> stops too. Every link touching an entity of an inner ring is
    /// here; the entities of the outermost ring are not expanded, so the links among them are fetched separately
    /// (<see cref="ReadableLinkRowsAmongAsync"/>). Null when the centre is not readable.
    /// With the node's <see cref="LinkAdjacency"/>, the neighbourhood itself is searched over the links it holds once
    /// the records the caller may read (read here under the record rule, with their versions) are all held at those
    /// versions: the slice then carries it (<see cref="GraphSlice.Searched"/>) and the entities it reached; otherwise
    /// the rings are read from the database (a test compares the two).
    /// </summary>
    public async Task<GraphSlice?> ReadableNeighbourhoodAsync(Principal principal, EntityId centre, int depth, int maxNodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var whole = await ReadableEntitiesAmongAsync(principal, [centre], cancellationToken);
        if (whole.Count == 0)
        {
            return null;
        }

        if (adjacency is not null
            && await adjacency.NeighbourhoodAsync(await ReadableRecordVersionsAsync(principal, cancellationToken), centre, depth, maxNodes, cancellationToken) is { } held)
        {
            return new GraphSlice([.. held.Reached.Select(r => r.Id)], [], [], whole, held);
        }

        var records = new RecordChecks(db, time, principal);
        var entities = new HashSet<EntityId> { centre };
        var links = new Dictionary<Guid, GraphLinkRow>();
        List<EntityId> ring = [centre];
        for (var d = 1; d <= depth && ring.Count > 0 && entities.Count <= maxNodes; d++)
        {
            var next = new List<EntityId>();
            foreach (var link in await records.ReadableAsync(LinksTouching(ring), cancellationToken))
            {
                links.TryAdd(link.Id, link);
                foreach (var end in new[] { link.From, link.To })
                {
                    if (entities.Add(end))
                    {
                        next.Add(end);
                    }
                }
            }

            ring = next;
        }

        return new GraphSlice(entities, [.. links.Values], ring, whole);
    }

    /// <summary>
    /// The id and version of every record the caller may read: the record rule's query as EF Core builds it, its rows
    /// read as stored (ten thousand at a million links, on every neighbourhood searched in memory).
    /// </summary>
    public async Task<List<(RecordId Id, int Version)>> ReadableRecordVersionsAsync(Principal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var versions = new List<(RecordId, int)>();
        await using var command = db.ReadableRecords(principal, time).Select(r => new { r.Id, r.Version }).CreateDbCommand();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var (id, version) = (reader.GetOrdinal(nameof(Record.Id)), reader.GetOrdinal(nameof(Record.Version)));
            while (await reader.ReadAsync(cancellationToken))
            {
                versions.Add((new RecordId(reader.GetGuid(id)), reader.GetInt32(version)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return versions;
    }

    /// <summary>
    /// The part of the caller's link graph a shortest path between <paramref name="from"/> and <paramref name="to"/>
    /// (both readable, distinct) is searched in, read from the database one ring at a time: the same search as
    /// <c>LinkGraph.ShortestPath</c>, from both ends, each step expanding the smaller frontier (the links touching it
    /// whose record is readable, <see cref="AccessPolicy.CanReadLink"/>, and their other ends, readable by that rule),
    /// stopping once the two searches meet, a frontier runs dry or <paramref name="maxLength"/> steps are taken. Every
    /// expanded entity has all its readable links here, so that search run on this slice expands the same entities in
    /// the same order and finds the same path. Ids only, as for a neighbourhood.
    /// </summary>
    public async Task<GraphSlice> ReadablePathSliceAsync(Principal principal, EntityId from, EntityId to, int maxLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var records = new RecordChecks(db, time, principal);
        var entities = new HashSet<EntityId> { from, to };
        var links = new Dictionary<Guid, GraphLinkRow>();
        HashSet<EntityId> seenFrom = [from], seenTo = [to];
        List<EntityId> frontFrom = [from], frontTo = [to];
        for (var step = 0; step < maxLength && frontFrom.Count > 0 && frontTo.Count > 0 && from != to; step++)
        {
            var expandFrom = frontFrom.Count <= frontTo.Count;
            var (front, mine, theirs) = expandFrom ? (frontFrom, seenFrom, seenTo) : (frontTo, seenTo, seenFrom);
            var next = new List<EntityId>();
            foreach (var link in await records.ReadableAsync(LinksTouching(front), cancellationToken))
            {
                links.TryAdd(link.Id, link);
                foreach (var end in new[] { link.From, link.To })
                {
                    entities.Add(end);
                    if (mine.Add(end))
                    {
                        next.Add(end);
                    }
                }
            }

            if (next.Any(theirs.Contains))
            {
                break;
            }

            if (expandFrom)
            {
                frontFrom = next;
            }
            else
            {
                frontTo = next;
            }
        }

        return new GraphSlice(entities, [.. links.Values], []);
    }

    /// <summary>The links of readable records with both ends among <paramref name="ids"/>, as rows.</summary>
    public Task<List<GraphLinkRow>> ReadableLinkRowsAmongAsync(Principal principal, IReadOnlyCollection<EntityId> ids, CancellationToken cancellationToken)
    {
        var list = ids.ToList();
        return new RecordChecks(db, time, principal).ReadableAsync(db.Links.Where(l => EF.Parameter(list).Contains(l.FromEntityId) && EF.Parameter(list).Contains(l.ToEntityId)), cancellationToken);
    }

    /// <summary>
    /// The entities among <paramref name="ids"/> that <paramref name="slice"/> reached, whole, by id: each is an end of a
    /// link whose record the caller may read (or the slice's readable centre), hence readable
    /// (<see cref="AccessPolicy.CanReadLink"/>) and mentioned by that record, so they come from <see cref="EntityCache"/>
    /// where it holds them; ids the slice did not reach are left out, never read.
    /// </summary>
    public async Task<Dictionary<EntityId, Entity>> SliceEntitiesAsync(GraphSlice slice, IReadOnlyCollection<EntityId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slice);
        ArgumentNullException.ThrowIfNull(ids);
        var found = new Dictionary<EntityId, Entity>();
        var wanted = new List<EntityId>();
        foreach (var id in ids.Where(slice.Entities.Contains))
        {
            if (slice.Whole?.TryGetValue(id, out var entity) == true)
            {
                found[id] = entity;
            }
            else
            {
                wanted.Add(id);
            }
        }

        if (wanted.Count > 0)
        {
            foreach (var entity in await entityCache.MentionedByReadableRecordAsync(wanted, missing => CompiledReads.MentionedEntities(db, missing), cancellationToken))
            {
                found[entity.Id] = entity;
            }
        }

        return found;
    }

    /// <summary>Every link with either end among <paramref name="ids"/>, before the record filter.</summary>
    private IQueryable<Link> LinksTouching(IReadOnlyCollection<EntityId> ids)
    {
        var list = ids.ToList();
        return db.Links.Where(l => EF.Parameter(list).Contains(l.FromEntityId) || EF.Parameter(list).Contains(l.ToEntityId));
    }

    /// <summary>
    /// Which records one caller may read, asked of the database (the record rule) only for records not asked about
    /// before in this read: a neighbourhood's or a path's rings reach thousands of links from far fewer records.
    /// </summary>
    private sealed class RecordChecks(JisrDbContext db, TimeProvider time, Principal principal)
    {
        private readonly HashSet<RecordId> _readable = [];
        private readonly HashSet<RecordId> _checked = [];

        /// <summary>
        /// The links among <paramref name="links"/> the caller may read, as rows (ends, kind): the links read with their
        /// record ids and no filter per row, then the records not yet checked, in one query under the record rule.
        /// </summary>
        public async Task<List<GraphLinkRow>> ReadableAsync(IQueryable<Link> links, CancellationToken cancellationToken)
        {
            var rows = await links.AsNoTracking().Select(l => new { l.Id, l.RecordId, l.FromEntityId, l.ToEntityId, l.Type }).ToListAsync(cancellationToken);
            var unknown = rows.Select(r => r.RecordId).Where(_checked.Add).ToList();
            if (unknown.Count > 0)
            {
                _readable.UnionWith(await db.ReadableRecords(principal, time).Where(r => EF.Parameter(unknown).Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken));
            }

            return [.. rows.Where(r => AccessPolicy.CanReadLink(r.RecordId, _readable)).Select(r => new GraphLinkRow(r.Id, r.FromEntityId, r.ToEntityId, r.Type))];
        }
    }

    /// <summary>The ids of the records the caller may read that mention each of <paramref name="entityIds"/>, newest first.</summary>
    public async Task<Dictionary<EntityId, List<Record>>> ReadableRecordsMentioningAsync(Principal principal, IReadOnlyCollection<EntityId> entityIds, CancellationToken cancellationToken)
    {
        var readable = db.ReadableRecords(principal, time);
        var ids = entityIds.ToList();
        var rows = await db.Mentions.AsNoTracking()
            .Where(m => EF.Parameter(ids).Contains(m.EntityId))
            .Join(readable, m => m.RecordId, r => r.Id, (m, r) => new { m.EntityId, Record = r })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(x => x.EntityId).ToDictionary(g => g.Key, g => g.Select(x => x.Record).OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id).ToList());
    }

    /// <summary>The judgements the caller is shown: their agency's, on pairs whose two persons they may read (<see cref="AccessPolicy.JudgementShownRule"/>).</summary>
    public Task<List<MatchJudgement>> ShownJudgementsAsync(Principal principal, CancellationToken cancellationToken) =>
        db.MatchJudgements.AsNoTracking()
            .Where(AccessPolicy.ShownJudgements(principal, db.ReadableEntities(principal, time)))
            .OrderBy(j => j.JudgedAt).ThenBy(j => j.Id)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Stores the caller's decision on the pair (the caller checked <see cref="AccessPolicy.CanJudgeMatch"/>): a new
    /// judgement, or a new decision on their agency's judgement of that pair, with its audit entry in one transaction.
    /// With <paramref name="expectedVersion"/> the change applies only to the judgement the analyst saw; two analysts
    /// judging one pair at once: the second gets a conflict (409) and the audit log keeps both attempts' outcome.
    /// </summary>
    public async Task<MatchJudgement> JudgeAsync(
        Principal principal, EntityId a, EntityId b, MatchDecision decision, string? note, int? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var now = time.GetUtcNow();
        var (first, second) = MatchJudgement.Order(a, b);
        var judgement = await db.MatchJudgements.FirstOrDefaultAsync(
            j => j.AgencyId == principal.AgencyId && j.FirstEntityId == first && j.SecondEntityId == second, cancellationToken);
        if (expectedVersion is { } expected && (judgement?.Version ?? 0) != expected)
        {
            throw new DomainStateException(judgement is null
                ? $"this pair has no judgement yet (version 0), not version {expected}: reload it and decide again"
                : $"this pair was judged again since you looked ({judgement.Decision.ToString().ToLowerInvariant()}, version {judgement.Version}, at {judgement.JudgedAt:u}): reload it and decide again");
        }

        if (judgement is null)
        {
            judgement = MatchJudgement.Create(principal.AgencyId, a, b, decision, principal.UserId, note, now);
            db.MatchJudgements.Add(judgement);
        }
        else
        {
            judgement.Decide(decision, principal.UserId, note, now);
        }

        var detail = $"{first} {second} {decision.ToString().ToLowerInvariant()} (version {judgement.Version})";
        try
        {
            await audit.SaveWithAuditAsync(db, CallerEvents.For(principal, AuditActions.FusionJudge, null, AuditOutcomes.Success, detail: detail, targetType: AuditTargets.MatchJudgement, targetId: judgement.Id.ToString("D")), cancellationToken);
        }
        catch (DbUpdateException exception) when (StorageErrors.IsUniqueViolation(exception, "MatchJudgements"))
        {
            db.ChangeTracker.Clear();
            throw new DomainStateException("another analyst judged this pair at the same moment: reload it and decide again");
        }

        return judgement;
    }

    /// <summary>Appends the audit entry of a fusion or graph read (group-committed, like every read).</summary>
    public Task AuditReadAsync(Principal principal, string action, string outcome, string? purpose, string? detail, EntityId? about = null) =>
        audit.AppendAsync(CallerEvents.For(principal, action, null, outcome, purpose, detail, about is null ? null : AuditTargets.Entity, about?.ToString()));
}

/// <summary>What a cross-reference scores of the persons a caller may read, and the ids of those their own agency asserted.</summary>
public sealed record FusionPersonRows(IReadOnlyList<PersonRow> Persons, IReadOnlySet<EntityId> Own);

/// <summary>A person as a cross-reference scores and shows them: the label, the names as written, the identifiers as stored.</summary>
public sealed record PersonRow(
    EntityId Id, AgencyId AgencyId, string Label, IReadOnlyList<string> Names, PartialDate? DateOfBirth, IReadOnlyList<string> Nationalities, IReadOnlyList<IdentifierRow> Identifiers, Gender Gender);

/// <summary>An identifier a person holds, as stored (<see cref="PersonIdentifier"/>'s parts).</summary>
public readonly record struct IdentifierRow(string Kind, string Value, string? Country);

/// <summary>The persons a caller may read, and the ids of those their own agency asserted.</summary>
public sealed record FusionPersons(IReadOnlyList<Person> Persons, IReadOnlySet<EntityId> Own);

/// <summary>
/// The ids of readable entities around a centre (or between two ends) and the readable links touching all but the
/// outermost ring (<see cref="FusionStore.ReadableNeighbourhoodAsync"/>); <see cref="OuterRing"/> is that ring, not
/// expanded, whose links among its entities are still to be read. <see cref="Searched"/>: the neighbourhood itself
/// when it was searched over <see cref="LinkAdjacency"/> (then <see cref="Entities"/> are the entities it reached, and
/// no link or ring is left to read). <see cref="Whole"/>: the entities the slice read whole (its centre). Made by the
/// store only: its entities are what the caller may read, which <see cref="FusionStore.SliceEntitiesAsync"/> relies on.
/// </summary>
public sealed class GraphSlice
{
    internal GraphSlice(HashSet<EntityId> entities, List<GraphLinkRow> links, IReadOnlyList<EntityId> outerRing, IReadOnlyDictionary<EntityId, Entity>? whole = null, HeldNeighbourhood? searched = null) =>
        (Entities, Links, OuterRing, Whole, Searched) = (entities, links, outerRing, whole, searched);

    public IReadOnlySet<EntityId> Entities { get; }

    public IReadOnlyList<GraphLinkRow> Links { get; }

    public IReadOnlyList<EntityId> OuterRing { get; }

    public IReadOnlyDictionary<EntityId, Entity>? Whole { get; }

    public HeldNeighbourhood? Searched { get; }
}

/// <summary>A link as the graph reads it: its id, its ends and its kind.</summary>
public readonly record struct GraphLinkRow(Guid Id, EntityId From, EntityId To, LinkType Type);
