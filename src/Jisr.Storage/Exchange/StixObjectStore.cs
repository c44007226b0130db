using Jisr.Domain.Exchange;

namespace Jisr.Storage.Exchange;

/// <summary>
/// Writes a STIX (or MISP) import in one transaction, and reads what an agency exports. An import streams in: its
/// entities and received objects are saved in batches inside the open transaction (the change tracker is cleared after
/// each, so memory stays flat), its records at the end; it commits with its audit entries (one per record, one for the
/// import) only when <see cref="StixImportSession.CommitAsync"/> is called, and disposing an uncommitted session rolls
/// everything back.
/// </summary>
public sealed class StixObjectStore(JisrDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<StixImportSession> BeginImportAsync(Principal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var sqlite = db.Database.IsSqlite();
        if (sqlite)
        {
            // SQLite's default page cache (2 MB) is far smaller than the indexes an import inserts into at random places
            // (ids are random UUIDs): pages were evicted and read back from the OS for nearly every row, a fifth of the
            // import's CPU in the kernel. A fixed 64 MiB for the import's connection (native memory, the same for any
            // bundle size), back to the default when the session ends.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-65536;", cancellationToken);
        }

        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        return new StixImportSession(db, audit, principal, transaction, sqlite);
    }

    /// <summary>The agency's own records (not copies partners released to it: those are theirs to pass on) that the policy lets it export.</summary>
    public async Task<List<Record>> RecordsToExportAsync(Principal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var now = time.GetUtcNow();
        var records = await db.Records.AsNoTracking()
            .Where(r => r.HolderAgencyId == principal.AgencyId && r.OriginatorAgencyId == principal.AgencyId && r.Provenance == null)
            .Include(r => r.Mentions)
            .Include(r => r.Links)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        return [.. records.Where(r => AccessPolicy.CanExport(principal, r, now).IsAllowed).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)];
    }

    public async Task<Dictionary<EntityId, Entity>> EntitiesAsync(IEnumerable<EntityId> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<EntityId, Entity>();
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            foreach (var entity in await db.Entities.AsNoTracking().Where(e => chunk.Contains(e.Id)).ToListAsync(cancellationToken))
            {
                result[entity.Id] = entity;
            }
        }

        return result;
    }

    /// <summary>Jisr ids of the agency's records and entities that came from STIX, with the STIX id they came as.</summary>
    public async Task<Dictionary<Guid, string>> ReceivedIdsAsync(AgencyId agencyId, CancellationToken cancellationToken)
    {
        var rows = await db.StixObjects.AsNoTracking()
            .Where(o => o.AgencyId == agencyId && (o.RecordId != null || o.EntityId != null))
            .Select(o => new { o.StixId, o.RecordId, o.EntityId })
            .ToListAsync(cancellationToken);
        var ids = new Dictionary<Guid, string>();
        foreach (var row in rows)
        {
            ids.TryAdd(row.RecordId?.Value ?? row.EntityId!.Value.Value, row.StixId);
        }

        return ids;
    }

    /// <summary>
    /// A fingerprint of everything a TAXII collection of the agency is made from: its records (how many, the sum of
    /// their versions and of their row sequences, the latest change) and what it received (how many, the last
    /// sequence). A record added or deleted changes the count, a change bumps its version and its time; a deletion and
    /// an addition between two pages still move the latest change (the new record's time). Two aggregates over the
    /// agency's index (every page of a pull asks): reading and hashing every record's id and version cost a page of a
    /// 100,000-record agency more than the page itself.
    /// </summary>
    public async Task<string> ServedStampAsync(AgencyId agencyId, CancellationToken cancellationToken)
    {
        var records = await db.Records.AsNoTracking().Where(r => r.HolderAgencyId == agencyId)
            .GroupBy(r => 1)
            .Select(g => new
            {
                Count = g.Count(),
                Versions = g.Sum(r => (long)r.Version),
                Sequences = g.Sum(r => EF.Property<long>(r, Configurations.RecordConfiguration.SequenceColumn)),
                Changed = g.Max(r => r.UpdatedAt),
            })
            .FirstOrDefaultAsync(cancellationToken);
        var received = await db.StixObjects.AsNoTracking().Where(o => o.AgencyId == agencyId)
            .GroupBy(o => 1)
            .Select(g => new { Count = g.Count(), Last = g.Max(o => o.Sequence) })
            .FirstOrDefaultAsync(cancellationToken);
        return records is null
            ? $"0|{received?.Count ?? 0}|{received?.Last ?? 0}"
            : $"{records.Count}|{records.Versions}|{records.Sequences}|{records.Changed.UtcTicks}|{received?.Count ?? 0}|{received?.Last ?? 0}";
    }

    /// <summary>What the agency received, in the order it came, streamed.</summary>
    public IAsyncEnumerable<ReceivedStixObject> ReceivedAsync(AgencyId agencyId) =>
        db.StixObjects.AsNoTracking().Where(o => o.AgencyId == agencyId).OrderBy(o => o.Sequence).AsAsyncEnumerable();

    /// <summary>Keeps the status resource of a TAXII POST to the agency's collection (and drops those past <see cref="TaxiiStatus.KeptFor"/>).</summary>
    public async Task SaveTaxiiStatusAsync(AgencyId agencyId, Guid id, string json, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = now - TaxiiStatus.KeptFor;
        await db.TaxiiStatuses.Where(s => s.CreatedAt < expired).ExecuteDeleteAsync(cancellationToken);
        db.TaxiiStatuses.Add(new TaxiiStatus { Id = id, AgencyId = agencyId.Value, CreatedAt = now, Json = json });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>A TAXII status of the agency (another agency's and a missing one are the same null).</summary>
    public Task<string?> TaxiiStatusAsync(AgencyId agencyId, Guid id, CancellationToken cancellationToken) =>
        db.TaxiiStatuses.AsNoTracking().Where(s => s.Id == id && s.AgencyId == agencyId.Value).Select(s => s.Json).FirstOrDefaultAsync(cancellationToken);

    /// <summary>A TAXII read (collections, objects, manifest, versions, status), found or not, in the caller's agency's trail.</summary>
    public Task AuditTaxiiReadAsync(Principal principal, string? collectionId, bool found, string detail) =>
        audit.AppendAsync(AuditEvent.Read(principal, AuditActions.TaxiiRead, collectionId is null ? null : AuditTargets.TaxiiCollection, collectionId, found, detail));

    public Task AuditExportAsync(Principal principal, string detail) =>
        audit.AppendAsync(CallerEvents.For(principal, AuditActions.StixExport, null, AuditOutcomes.Success, detail: detail));
}

/// <summary>One import's open transaction (see <see cref="StixObjectStore"/>).</summary>
public sealed class StixImportSession : IAsyncDisposable
{
    private const int BatchSize = 2000;

    private readonly JisrDbContext _db;
    private readonly AuditLog _audit;
    private readonly Principal _principal;
    private readonly Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction _transaction;
    private readonly List<AuditEvent> _events = [];
    private readonly List<object> _rows = [];
    private readonly HashSet<EntityId> _revisedEntities = [];
    private ImportRowWriter? _writer;
    private bool _entitiesQueued;
    private int _pending;
    private bool _committed;
    private bool? _heldAny;
    private readonly bool _sqliteConnectionOpened;

    internal StixImportSession(JisrDbContext db, AuditLog audit, Principal principal, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, bool sqliteConnectionOpened)
    {
        _sqliteConnectionOpened = sqliteConnectionOpened;
        _db = db;
        _audit = audit;
        _principal = principal;
        _transaction = transaction;
    }

    public ValueTask AddEntityAsync(Entity entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        _rows.Add(entity);
        _entitiesQueued = true;
        return CountAsync(cancellationToken);
    }

    /// <summary>
    /// Entities and received objects (the bulk of an import) skip the change tracker: they are queued and written in
    /// the order they came with prepared INSERTs (<see cref="ImportRowWriter"/>), an object after the entity or record
    /// it became (its foreign key).
    /// </summary>
    public ValueTask AddObjectAsync(ReceivedStixObject received, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        _rows.Add(received);
        return CountAsync(cancellationToken);
    }

    public async ValueTask AddRecordAsync(Record record, IReadOnlyList<string> entityTexts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_entitiesQueued)
        {
            await FlushAsync(cancellationToken); // the entities it mentions first (after the records before it)
        }

        // Only the record goes through the change tracker (Entry().State tracks the record alone, not its collections);
        // its mentions and links, as many rows as the entities it names, are written with the prepared INSERTs right
        // after it is saved (FlushAsync saves tracked rows first, then the queue).
        _db.Entry(record).State = EntityState.Added;
        _db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.OfTexts(record, entityTexts);
        _rows.AddRange(record.Mentions);
        _rows.AddRange(record.Links);
        _events.Add(CallerEvents.For(_principal, AuditActions.RecordCreate, record.Id, AuditOutcomes.Success, detail: "imported"));
        await CountAsync(cancellationToken, 1 + record.Mentions.Count + record.Links.Count); // its mentions and links are rows too
    }

    public async Task<IReadOnlySet<string>> KnownIdsAsync(IReadOnlyCollection<string> stixIds, CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in stixIds.Chunk(500))
        {
            known.UnionWith(await _db.StixObjects.AsNoTracking()
                .Where(o => o.AgencyId == _principal.AgencyId && chunk.Contains(o.StixId))
                .Select(o => o.StixId)
                .ToListAsync(cancellationToken));
        }

        return known;
    }

    /// <summary>
    /// The versions of these ids the agency already holds, with what each became. An agency that held no STIX object
    /// when the import began is answered without a query (what this import writes, the importer knows itself).
    /// </summary>
    public async Task<IReadOnlyList<(string StixId, string? Modified, RecordId? RecordId, EntityId? EntityId)>> HeldVersionsAsync(IReadOnlyCollection<string> stixIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stixIds);
        _heldAny ??= await _db.StixObjects.AnyAsync(o => o.AgencyId == _principal.AgencyId, cancellationToken);
        if (_heldAny == false || stixIds.Count == 0)
        {
            return [];
        }

        var held = new List<(string, string?, RecordId?, EntityId?)>();
        foreach (var chunk in stixIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            held.AddRange(await _db.StixObjects.AsNoTracking()
                .Where(o => o.AgencyId == _principal.AgencyId && chunk.Contains(o.StixId) && o.Json.Length > 0)
                .Select(o => new { o.StixId, o.Modified, o.RecordId, o.EntityId })
                .AsAsyncEnumerable()
                .Select(o => (o.StixId, o.Modified, o.RecordId, o.EntityId))
                .ToListAsync(cancellationToken));
        }

        return held;
    }

    /// <summary>
    /// Every version of a STIX id the agency holds, as stored (not what this import has queued and not yet written: the
    /// importer asks before it queues the new version).
    /// </summary>
    public async Task<IReadOnlyList<(string? Modified, string Json)>> HeldTextsAsync(string stixId, CancellationToken cancellationToken) =>
        [.. (await _db.StixObjects.AsNoTracking()
            .Where(o => o.AgencyId == _principal.AgencyId && o.StixId == stixId && o.Json.Length > 0)
            .OrderBy(o => o.Sequence)
            .Select(o => new { o.Modified, o.Json })
            .ToListAsync(cancellationToken)).Select(o => (o.Modified, o.Json))];

    /// <summary>The agency's records that assert a link of this type from one entity to the other.</summary>
    public async Task<IReadOnlyList<RecordId>> RecordsWithLinkAsync(EntityId from, EntityId to, LinkType type, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var ids = await _db.Set<Link>().AsNoTracking()
            .Where(l => l.FromEntityId == from && l.ToEntityId == to && l.Type == type)
            .Select(l => l.RecordId)
            .Distinct()
            .ToListAsync(cancellationToken);
        return ids.Count == 0
            ? []
            : await _db.Records.AsNoTracking().Where(r => ids.Contains(r.Id) && r.HolderAgencyId == _principal.AgencyId).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
    }

    /// <summary>A record the agency holds, tracked with what a change reads and replaces (mentions, links, recipients); null when gone.</summary>
    public async Task<Record?> HeldRecordAsync(RecordId recordId, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken); // what it will mention may still be queued
        return await _db.Records
            .Include(r => r.Mentions)
            .Include(r => r.Links)
            .Include(r => r.Recipients)
            .AsSplitQuery()
            .FirstOrDefaultAsync(r => r.Id == recordId && r.HolderAgencyId == _principal.AgencyId, cancellationToken);
    }

    /// <summary>
    /// Saves a record from <see cref="HeldRecordAsync"/> that the import changed (its search text made again from the
    /// entities it now mentions), with its audit entry, inside the import's transaction.
    /// </summary>
    public async Task UpdateRecordAsync(Record record, string detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await WriteRowsAsync(cancellationToken); // entities it now mentions, queued since
        var ids = record.Mentions.Select(m => m.EntityId).ToList();
        var entities = new List<Entity>(ids.Count);
        foreach (var chunk in ids.Chunk(500))
        {
            entities.AddRange(await _db.Entities.AsNoTracking().Where(e => chunk.Contains(e.Id)).ToListAsync(cancellationToken));
        }

        _db.ChangeTracker.DetectChanges(); // the session turned automatic detection off
        _db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, entities);
        _events.Add(CallerEvents.For(_principal, AuditActions.RecordUpdate, record.Id, AuditOutcomes.Success, detail: detail));
        await _db.SaveChangesAsync(cancellationToken);
        _db.ChangeTracker.Clear();
    }

    /// <summary>
    /// Gives an entity of the agency the content of <paramref name="newer"/> (an entity of the same type made from a
    /// newer version of its STIX object): every column but its id, agency and creation time. False when the entity is
    /// gone or of another type.
    /// </summary>
    public async Task<bool> ReviseEntityAsync(EntityId entityId, Entity newer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newer);
        await FlushAsync(cancellationToken); // it may have been written by this import and still be queued
        var held = await _db.Entities.FirstOrDefaultAsync(e => e.Id == entityId && e.AgencyId == _principal.AgencyId, cancellationToken);
        if (held is null || held.GetType() != newer.GetType())
        {
            _db.ChangeTracker.Clear();
            return false;
        }

        var target = _db.Entry(held);
        var source = _db.Entry(newer); // not tracked: read only
        foreach (var property in target.Properties)
        {
            var name = property.Metadata.Name;
            if (property.Metadata.IsShadowProperty() || property.Metadata.IsKey() || property.Metadata.IsForeignKey() || name == nameof(Entity.CreatedAt))
            {
                continue;
            }

            property.CurrentValue = source.Property(name).CurrentValue;
        }

        _db.ChangeTracker.DetectChanges();
        await _db.SaveChangesAsync(cancellationToken);
        _db.ChangeTracker.Clear();
        _revisedEntities.Add(entityId);
        return true;
    }

    /// <summary>
    /// The search text of every record of the agency that mentions an entity this import revised, made again from the
    /// entities' new content (a search for a person's new name finds the records about them; the old name no longer does).
    /// </summary>
    private async Task RebuildSearchTextAsync(CancellationToken cancellationToken)
    {
        if (_revisedEntities.Count == 0)
        {
            return;
        }

        var recordIds = new HashSet<RecordId>();
        foreach (var chunk in _revisedEntities.Chunk(500))
        {
            recordIds.UnionWith(await _db.Mentions.AsNoTracking().Where(m => chunk.Contains(m.EntityId)).Select(m => m.RecordId).ToListAsync(cancellationToken));
        }

        foreach (var chunk in recordIds.Chunk(100))
        {
            var records = await _db.Records.Include(r => r.Mentions)
                .Where(r => chunk.Contains(r.Id) && r.HolderAgencyId == _principal.AgencyId)
                .ToListAsync(cancellationToken);
            var mentioned = records.SelectMany(r => r.Mentions.Select(m => m.EntityId)).ToHashSet();
            var entities = new Dictionary<EntityId, Entity>();
            foreach (var ids in mentioned.Chunk(500))
            {
                foreach (var entity in await _db.Entities.AsNoTracking().Where(e => ids.Contains(e.Id)).ToListAsync(cancellationToken))
                {
                    entities[entity.Id] = entity;
                }
            }

            foreach (var record in records)
            {
                _db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue =
                    SearchText.Of(record, record.Mentions.Select(m => entities.GetValueOrDefault(m.EntityId)).OfType<Entity>());
            }

            _db.ChangeTracker.DetectChanges();
            await _db.SaveChangesAsync(cancellationToken);
            _db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Saves where a TAXII pull stands in the import's own transaction, so the page and the position after it are
    /// committed together (or neither).
    /// </summary>
    public void SavePosition(TaxiiSyncPosition position, bool exists)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (exists)
        {
            _db.TaxiiSyncPositions.Update(position);
        }
        else
        {
            _db.TaxiiSyncPositions.Add(position);
        }
    }

    /// <summary>Saves the rest with the audit entries and commits.</summary>
    public async Task CommitAsync(string detail, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await RebuildSearchTextAsync(cancellationToken);
        _events.Add(CallerEvents.For(_principal, AuditActions.StixImport, null, AuditOutcomes.Success, detail: detail));
        await _audit.SaveWithAuditAsync(_db, _events, cancellationToken);
        await _transaction.CommitAsync(cancellationToken);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            await _transaction.RollbackAsync();
            _db.ChangeTracker.Clear();
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        await _transaction.DisposeAsync();
        _db.ChangeTracker.AutoDetectChangesEnabled = true;
        if (_sqliteConnectionOpened)
        {
            await _db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-2000;"); // SQLite's default again for the pooled connection
            await _db.Database.CloseConnectionAsync();
        }
    }

    private async ValueTask CountAsync(CancellationToken cancellationToken, int rows = 1)
    {
        _pending += rows;
        if (_pending < BatchSize)
        {
            return;
        }

        await FlushAsync(cancellationToken);
        _pending = 0;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        // Everything tracked here was added or marked changed explicitly: no DetectChanges, which would also find a
        // record's mentions and links again through its collections and insert them a second time.
        if (_db.ChangeTracker.HasChanges())
        {
            await _db.SaveChangesAsync(cancellationToken);
            _db.ChangeTracker.Clear();
        }

        await WriteRowsAsync(cancellationToken);
    }

    private async Task WriteRowsAsync(CancellationToken cancellationToken)
    {
        if (_rows.Count == 0)
        {
            return;
        }

        _writer ??= new ImportRowWriter(_db, _transaction);
        foreach (var row in _rows)
        {
            await _writer.WriteAsync(row, cancellationToken);
        }

        _rows.Clear();
        _entitiesQueued = false;
    }
}
