namespace Jisr.Storage.Records;

/// <summary>
/// Reads and writes of records: one record, the list, full-text search (a list of records cut by their search text,
/// which create and update write here too), create, update and delete. Each query starts from the policy filter for
/// the caller (<see cref="ReadableSets"/>), so nothing the caller may not see is ever fetched; every read, write and
/// search leaves an audit entry. Entities, the link graph, the review queue and subject access have their own stores.
/// </summary>
public sealed class RecordStore(JisrDbContext db, AuditLog audit, EntityCache entityCache, TimeProvider time, SqliteReadLanes? lanes = null, Fusion.LinkAdjacency? adjacency = null)
{
    /// <summary>
    /// A record with what it asserts, or null when it does not exist or the caller may not see it (the two are
    /// indistinguishable). An export names its own audit action and carries the declared purpose.
    /// </summary>
    public async Task<RecordDetails?> ReadAsync(Principal principal, RecordId id, CancellationToken cancellationToken, string action = AuditActions.RecordRead, string? purpose = null)
    {
        var now = time.GetUtcNow();
        Task? audited = null;

        // On a SQLite read lane the record, its entities and its recipients are read in the lane's one read transaction,
        // each on a kept statement; otherwise (no lane free, PostgreSQL) on the request's context.
        async Task<RecordDetails?> ReadOnAsync(JisrDbContext on)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = on is SqliteJisrDbContext lane && !ReferenceEquals(on, db)
                ? CompiledReads.RecordByIdInSteps(lane, id, principal, now)
                : await CompiledReads.RecordByIdAsync(on, id, principal, now, cancellationToken);

            // The entities and recipients are fetched while the audit entry waits for its group commit (the entry does
            // not depend on them); the answer still goes out only once the entry is durable.
            audited = audit.AppendAsync(CallerEvents.For(principal, action, id, record is null ? AuditOutcomes.NotFound : AuditOutcomes.Success, purpose));
            if (record is null)
            {
                return null;
            }

            var entities = await entityCache.MentionedByReadableRecordAsync(record.Mentions.Select(m => m.EntityId), ids => CompiledReads.MentionedEntities(on, ids), cancellationToken);
            IReadOnlyList<Guid> recipients = record.Marking.Tlp == Domain.Markings.Tlp.Red ? await CompiledReads.RecipientsOf(on, id, cancellationToken) : [];
            return new RecordDetails(record, entities, recipients);
        }

        try
        {
            return await OnLaneAsync(ReadOnAsync);
        }
        finally
        {
            if (audited is not null)
            {
                await audited;
            }
        }
    }

    /// <summary>Newest first; <paramref name="cursor"/> is the <see cref="Page{T}.Next"/> of the previous page.</summary>
    public Task<Page<RecordHeader>> ListAsync(Principal principal, string? cursor, int limit, CancellationToken cancellationToken) =>
        ListAsync(principal, RecordFilter.None, cursor, limit, cancellationToken);

    /// <summary>The headers of the readable records <paramref name="filter"/> keeps, newest first; the audit entry names the filter.</summary>
    public async Task<Page<RecordHeader>> ListAsync(Principal principal, RecordFilter filter, string? cursor, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var before = Paging.Before(cursor);
        var now = time.GetUtcNow();
        var page = await OnLaneAsync(on => Paging.HeadersAsync(CompiledPages.List(on, principal, now, filter, before, Paging.RowsFor(limit)), limit, cancellationToken));
        var detail = filter.IsEmpty ? $"{page.Items.Count} records" : $"{page.Items.Count} records; {filter}";
        await audit.AppendAsync(CallerEvents.For(principal, AuditActions.RecordList, null, AuditOutcomes.Success, detail: detail));
        return page;
    }

    /// <summary>Full-text search within what the caller may read; the declared purpose is kept in the audit log.</summary>
    public async Task<Page<RecordHeader>> SearchAsync(Principal principal, string query, string purpose, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var tokens = SearchText.Tokens(query);
        var now = time.GetUtcNow();
        var page = tokens.Count == 0
            ? new Page<RecordHeader>([], null) // no words: an empty page, whatever the cursor, still audited
            : await OnLaneAsync(async on => await Paging.HeadersAsync(await on.SearchNewestFirstAsync(principal, now, tokens, Paging.Before(cursor), Paging.RowsFor(limit), cancellationToken), limit, cancellationToken));
        await audit.AppendAsync(CallerEvents.For(principal, AuditActions.Search, null, AuditOutcomes.Success, purpose, $"q={query}; {page.Items.Count} results"));
        return page;
    }

    /// <summary>
    /// Runs a read on a SQLite <see cref="SqliteReadLanes">read lane</see> (its statements kept prepared: the list's and
    /// the search's SQL, policy rule included, was compiled anew on every request), or on the request's context.
    /// </summary>
    private Task<T> OnLaneAsync<T>(Func<JisrDbContext, Task<T>> read) => lanes is null ? read(db) : lanes.RunAsync(db, read);

    /// <summary>Stores a new record with its new entities; the record, its entities, its search text and its audit entry commit together.</summary>
    public async Task CreateAsync(Principal principal, Record record, IReadOnlyList<Entity> newEntities, IReadOnlyList<Entity> allEntities, CancellationToken cancellationToken)
    {
        var searchText = SearchText.Of(record, allEntities);
        try
        {
            await audit.AppendAsync(CallerEvents.For(principal, AuditActions.RecordCreate, record.Id, AuditOutcomes.Success), batch =>
            {
                batch.Entities.AddRange(newEntities);
                batch.Records.Add(record);
                batch.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = searchText;
            });
        }
        catch (DbUpdateException error) when (StorageErrors.IsUniqueViolation(error, "Records"))
        {
            // Only a record created with a chosen id can meet one already stored (the same form sent twice).
            throw new DomainStateException($"record {record.Id} exists already", error);
        }
    }

    /// <summary>
    /// A tracked record for changing, reviewing or releasing, with what a release copy needs (entities, links, the
    /// agreement a copy came under) and what in-memory policy checks read (recipients); null when missing or not readable.
    /// </summary>
    public Task<Record?> FindForUpdateAsync(Principal principal, RecordId id, CancellationToken cancellationToken) =>
        db.Records.Where(AccessPolicy.ReadableRecords(principal, time.GetUtcNow(), db.Agreements))
            .Include(r => r.ReleasedUnder)
            .Include(r => r.Mentions)
            .Include(r => r.Links)
            .Include(r => r.Recipients)
            .AsSplitQuery()
            .FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>Saves changes made to a record from <see cref="FindForUpdateAsync"/>, with new entities, in one transaction with the audit entry.</summary>
    public async Task UpdateAsync(Principal principal, Record record, IReadOnlyList<Entity> newEntities, IReadOnlyList<Entity> allEntities, CancellationToken cancellationToken)
    {
        db.Entities.AddRange(newEntities);
        db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, allEntities);
        await audit.SaveWithAuditAsync(db, CallerEvents.For(principal, AuditActions.RecordUpdate, record.Id, AuditOutcomes.Success), cancellationToken);
    }

    /// <summary>Deletes a record from <see cref="FindForUpdateAsync"/>; a reviewer's deletion keeps the reason in the audit entry.</summary>
    public async Task DeleteAsync(Principal principal, Record record, CancellationToken cancellationToken, string? reason = null)
    {
        db.Records.Remove(record);
        await audit.SaveWithAuditAsync(db, CallerEvents.For(principal, AuditActions.RecordDelete, record.Id, AuditOutcomes.Success, detail: reason is null ? null : $"reason={reason}"), cancellationToken);
        adjacency?.Forget([record.Id]);
    }
}

/// <summary>A record, the entities it mentions that the caller may read, and (TLP:RED only) its named recipients.</summary>
public sealed record RecordDetails(Record Record, IReadOnlyList<Entity> Entities, IReadOnlyList<Guid> Recipients);
