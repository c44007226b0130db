using System.Threading.Channels;
using Jisr.Storage.Federation;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jisr.Storage.Audit;

/// <summary>When the audit log signs a checkpoint: every <see cref="EveryEntries"/> entries, every <see cref="Interval"/> if it wrote since, and at shutdown.</summary>
public sealed record AuditCheckpointPolicy(AuditSigningKey Key)
{
    public const int DefaultEveryEntries = 1000;

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(5);

    public int EveryEntries { get; init; } = DefaultEveryEntries;

    public TimeSpan Interval { get; init; } = DefaultInterval;
}

/// <summary>
/// The writer of the hash-chained audit log for this node process; other processes (the CLI, more node processes) may
/// write the same database at the same time.
/// <list type="bullet">
/// <item>Changes are saved together with their audit entry in one transaction: a change is never committed
/// without its entry. Changes to tracked objects go through <see cref="SaveWithAuditAsync"/>.</item>
/// <item>Reads, searches and new objects (<see cref="AppendAsync"/>) are group-committed: many concurrent
/// requests share one transaction, and each waits until its own entry (and its new objects) are durable before
/// it answers. If a shared batch fails, its items are retried one by one, so one bad item fails alone. The queue is
/// bounded: when it is full, callers wait (back-pressure) instead of the process filling its memory.</item>
/// </list>
/// The chain head is read inside the writing transaction under the database's write lock (SQLite <c>BEGIN IMMEDIATE</c>,
/// a PostgreSQL transaction-scoped advisory lock), so writers in several processes take turns and the chain never forks.
/// With a <see cref="AuditCheckpointPolicy"/>, the log signs checkpoints with the node's key (see <see cref="AuditCheckpoint"/>).
/// </summary>
public sealed partial class AuditLog : IAsyncDisposable
{
    public const int DefaultQueueCapacity = 8192;

    private const int MaxBatch = 1024;

    private const string HeadQuery = """SELECT "Sequence", "Hash" FROM "AuditLog" ORDER BY "Sequence" DESC LIMIT 1""";

    /// <summary>
    /// PostgreSQL: the advisory lock every process of every node takes to append to the chain (key "JISRAUDT" in ASCII),
    /// then the head. One round trip; in READ COMMITTED the second statement's snapshot is taken after the lock is held.
    /// </summary>
    private const string PostgresLockAndHeadQuery = "SELECT pg_advisory_xact_lock(5352901244855075924); " + HeadQuery;

    private readonly Func<JisrDbContext> _openContext;
    private readonly TimeProvider _time;
    private readonly AuditCheckpointPolicy? _checkpoints;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _chainLock = new(1, 1);
    private readonly Channel<PendingEntry> _pending;
    private readonly Task _writer;
    private readonly ITimer? _checkpointTimer;
    private readonly Lock _timerGate = new();
    private Task _timedCheckpoint = Task.CompletedTask;
    private bool _closed;

    /// <summary>The last checkpoint this process knows of; -1 until read from the database.</summary>
    private long _lastCheckpoint = -1;

    /// <summary>Whether this process appended entries that no checkpoint covers yet.</summary>
    private bool _unsigned;

    /// <summary>The group commit's kept context (SQLite), see <see cref="KeptWriterAsync"/>; touched by the writer loop only.</summary>
    private JisrDbContext? _writerDb;

    /// <summary>The kept INSERT of entries on <see cref="_writerDb"/>'s connection, for batches of entries alone; writer loop only.</summary>
    private AuditEntryInsert? _entryInsert;

    /// <summary>Set once the writer found its engine keeps no context between batches.</summary>
    private bool _writerNotKept;

    /// <summary>The public half of the key that signs checkpoints (null when none signs them): what peers check them with.</summary>
    public AuditPublicKey? CheckpointKey => _checkpoints?.Key.PublicKey;

    public AuditLog(Func<JisrDbContext> openContext, TimeProvider time, AuditCheckpointPolicy? checkpoints = null, ILogger<AuditLog>? logger = null, int queueCapacity = DefaultQueueCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _openContext = openContext;
        _time = time;
        _checkpoints = checkpoints;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _pending = Channel.CreateBounded<PendingEntry>(new BoundedChannelOptions(queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteBatchesAsync);
        if (checkpoints is not null && checkpoints.Interval > TimeSpan.Zero)
        {
            _checkpointTimer = time.CreateTimer(_ => StartTimedCheckpoint(), null, checkpoints.Interval, checkpoints.Interval);
        }
    }

    /// <summary>Entries waiting for the group commit.</summary>
    public int QueueDepth => _pending.Reader.Count;

    /// <summary>The public key of this log's checkpoints, or null when it signs none.</summary>
    public AuditPublicKey? SigningKey => _checkpoints?.Key.PublicKey;

    /// <summary>Appends an entry (group commit) and returns once it is durably stored.</summary>
    public Task AppendAsync(AuditEvent auditEvent) => EnqueueAsync(new PendingEntry(auditEvent, null));

    /// <summary>
    /// Appends an entry (group commit) with new objects that <paramref name="addNew"/> adds to the batch's context;
    /// they commit in the same transaction as the entry, or not at all. For stores only: the context stays in Storage.
    /// </summary>
    internal Task AppendAsync(AuditEvent auditEvent, Action<JisrDbContext> addNew) => EnqueueAsync(new PendingEntry(auditEvent, addNew));

    private async Task EnqueueAsync(PendingEntry pending)
    {
        try
        {
            await _pending.Writer.WriteAsync(pending); // waits while the queue is full
        }
        catch (ChannelClosedException closed)
        {
            throw new InvalidOperationException("the audit log is shut down", closed);
        }

        await pending.Completion.Task;
    }

    /// <summary>
    /// Saves the context's pending changes and the audit entries in one transaction. If saving fails, nothing
    /// is written, the entries are taken back out of the context, and the chain is unchanged.
    /// </summary>
    public async Task SaveWithAuditAsync(JisrDbContext db, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(events);

        List<AuditEntry> entries = [];
        AuditCheckpoint? checkpoint = null;
        await UnderChainLockAsync(db, async savepoints =>
        {
            await using var transaction = await BeginChainTransactionAsync(db, cancellationToken);

            // A failed save rolls the whole transaction back: a savepoint before it would be one more round trip for nothing.
            db.Database.AutoSavepointsEnabled = transaction is null && savepoints;
            using var detected = DetectChangesOnce(db);
            var head = await LockAndLoadHeadAsync(db, cancellationToken);
            entries = Chain(head, await OutboxSequencing.AssignAsync(db, events, cancellationToken));
            db.AuditLog.AddRange(entries);
            checkpoint = await AddCheckpointIfDueAsync(db, entries[^1], cancellationToken);

            await db.SaveChangesAsync(cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return Committed(checkpoint, entries.Count);
        },
        undo: () =>
        {
            foreach (var entry in entries)
            {
                db.Entry(entry).State = EntityState.Detached;
            }

            if (checkpoint is not null)
            {
                db.Entry(checkpoint).State = EntityState.Detached;
            }
        }, cancellationToken);
    }

    public Task SaveWithAuditAsync(JisrDbContext db, AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        SaveWithAuditAsync(db, [auditEvent], cancellationToken);

    /// <summary>
    /// Several units of change in one transaction: <paramref name="nextUnit"/> stages one unit on <paramref name="db"/>
    /// and returns its audit events (null when there are no more); each unit is flushed with its entries before the
    /// next is staged, so a later unit reads what an earlier one wrote, and all commit at once (one commit instead of
    /// one per unit). If anything fails nothing is written and the context is cleared. The chain's lock is held
    /// throughout, so <paramref name="nextUnit"/> must not append to this log itself; returns the number of units.
    /// </summary>
    public async Task<int> SaveEachWithAuditAsync(JisrDbContext db, Func<CancellationToken, Task<IReadOnlyList<AuditEvent>?>> nextUnit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(nextUnit);
        if (db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("units saved together take their own transaction");
        }

        return await UnderChainLockAsync(db, async _ =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Database.AutoSavepointsEnabled = false;
            var head = await LockAndLoadHeadAsync(db, cancellationToken);
            AuditCheckpoint? checkpoint = null;
            var units = 0;
            while (await nextUnit(cancellationToken) is { } events)
            {
                if (events.Count == 0)
                {
                    throw new InvalidOperationException("every unit of change carries at least one audit event");
                }

                using var detected = DetectChangesOnce(db);
                var entries = Chain(head, await OutboxSequencing.AssignAsync(db, events, cancellationToken));
                db.AuditLog.AddRange(entries);
                checkpoint ??= await AddCheckpointIfDueAsync(db, entries[^1], cancellationToken);

                await db.SaveChangesAsync(cancellationToken);
                head = new ChainHead(entries[^1].Sequence, entries[^1].Hash);
                units++;
            }

            await transaction.CommitAsync(cancellationToken);
            if (units > 0)
            {
                _unsigned = checkpoint is null || checkpoint.Sequence != head.Sequence;
                _lastCheckpoint = checkpoint?.Sequence ?? _lastCheckpoint;
            }

            return units;
        },
        undo: db.ChangeTracker.Clear, cancellationToken);
    }

    /// <summary>
    /// Runs one save of the chain holding the chain's lock (one writer at a time in this process, so this process's
    /// writers queue here rather than on the database lock). <paramref name="save"/> gets the context's savepoint
    /// setting, restored afterwards; on any failure <paramref name="undo"/> takes the staged entries back out, and a
    /// lost optimistic-concurrency race becomes the caller's conflict (409), told in words, not EF Core's exception.
    /// </summary>
    private async Task<T> UnderChainLockAsync<T>(JisrDbContext db, Func<bool, Task<T>> save, Action undo, CancellationToken cancellationToken)
    {
        await _chainLock.WaitAsync(cancellationToken);
        var savepoints = db.Database.AutoSavepointsEnabled;
        try
        {
            return await save(savepoints);
        }
        catch (Exception failure)
        {
            undo();
            if (failure is DbUpdateConcurrencyException)
            {
                throw new Domain.Common.DomainStateException("someone else changed this at the same moment; reload it and try again", failure);
            }

            throw;
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
            _chainLock.Release();
        }
    }

    /// <summary>
    /// Signs a checkpoint for the chain's current head now (or returns the one this key signed for it already);
    /// null when the log is empty. Needs a <see cref="AuditCheckpointPolicy"/>.
    /// </summary>
    public async Task<AuditCheckpoint?> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        var key = _checkpoints?.Key ?? throw new InvalidOperationException("this audit log has no signing key");
        await _chainLock.WaitAsync(cancellationToken);
        try
        {
            await using var db = _openContext();
            await using var transaction = await BeginChainTransactionAsync(db, cancellationToken);
            var head = await LockAndLoadHeadAsync(db, cancellationToken);
            if (head.Sequence == 0)
            {
                return null;
            }

            var checkpoint = await db.AuditCheckpoints.AsNoTracking()
                .FirstOrDefaultAsync(c => c.Sequence == head.Sequence && c.KeyId == key.PublicKey.KeyId, cancellationToken);
            if (checkpoint is null)
            {
                checkpoint = key.Sign(head.Sequence, head.Hash, Now());
                db.AuditCheckpoints.Add(checkpoint);
                await db.SaveChangesAsync(cancellationToken);
                await transaction!.CommitAsync(cancellationToken);
            }

            _lastCheckpoint = head.Sequence;
            _unsigned = false;
            return checkpoint;
        }
        finally
        {
            _chainLock.Release();
        }
    }

    /// <summary>Drains the queue, then signs a last checkpoint if this process wrote entries no checkpoint covers.</summary>
    public async ValueTask DisposeAsync()
    {
        Task timed;
        lock (_timerGate)
        {
            _closed = true;
            timed = _timedCheckpoint;
        }

        if (_checkpointTimer is not null)
        {
            await _checkpointTimer.DisposeAsync();
        }

        await timed;
        _pending.Writer.TryComplete();
        await _writer;
        await CloseKeptWriterAsync();
        if (_checkpoints is not null && _unsigned)
        {
            try
            {
                await CheckpointAsync();
            }
#pragma warning disable CA1031 // Shutdown goes on; the entries stay chained and the next checkpoint covers them.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogCheckpointFailed(ex);
            }
        }

        _chainLock.Dispose();
        _checkpoints?.Key.Dispose();
    }

    /// <summary>
    /// Finds the context's changes once, then stops EF Core from scanning every tracked object again until disposed:
    /// without it the scan runs three times a save (the outbox renumbering and the change counter list the tracked
    /// entries, and SaveChanges looks again). Everything staged after this (audit entries, a checkpoint, re-sealed
    /// outbox messages) goes through the context's own Add and entry API, which track it without a scan.
    /// A caller that turned the scan off itself (a bulk import) keeps it off: its changes go through the entry API.
    /// </summary>
    private static AutoDetectPause DetectChangesOnce(JisrDbContext db)
    {
        var tracker = db.ChangeTracker;
        var enabled = tracker.AutoDetectChangesEnabled;
        if (enabled)
        {
            tracker.DetectChanges();
            tracker.AutoDetectChangesEnabled = false;
        }

        return new AutoDetectPause(tracker, enabled);
    }

    private readonly record struct AutoDetectPause(Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker Tracker, bool Enabled) : IDisposable
    {
        public void Dispose() => Tracker.AutoDetectChangesEnabled = Enabled;
    }

    /// <summary>
    /// Starts the transaction that appends to the chain (unless the caller has one). On SQLite, Microsoft.Data.Sqlite
    /// begins transactions with <c>BEGIN IMMEDIATE</c>, which takes the file's write lock (waiting up to the busy timeout
    /// for another process) and holds it to the commit; PostgreSQL takes its lock in <see cref="LockAndLoadHeadAsync"/>.
    /// </summary>
    private static async Task<IDbContextTransaction?> BeginChainTransactionAsync(JisrDbContext db, CancellationToken cancellationToken) =>
        db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;

    /// <summary>
    /// Takes the chain's lock (PostgreSQL) and reads the newest entry, in the chain transaction. Constant statements
    /// through the context's own connection: this runs for every batch, and EF Core's query pipeline cost more than the read.
    /// </summary>
    private static async Task<ChainHead> LockAndLoadHeadAsync(JisrDbContext db, CancellationToken cancellationToken)
    {
        var postgres = db is PostgresJisrDbContext;
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = postgres ? PostgresLockAndHeadQuery : HeadQuery;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (postgres)
        {
            await reader.NextResultAsync(cancellationToken); // past the lock's empty result
        }

        return await reader.ReadAsync(cancellationToken)
            ? new ChainHead(reader.GetInt64(0), (byte[])reader.GetValue(1))
            : new ChainHead(0, AuditHasher.GenesisHash);
    }

    private async Task<bool> CheckpointDueAsync(JisrDbContext db, long head, CancellationToken cancellationToken)
    {
        if (_checkpoints is null)
        {
            return false;
        }

        if (_lastCheckpoint < 0)
        {
            _lastCheckpoint = await db.AuditCheckpoints.MaxAsync(c => (long?)c.Sequence, cancellationToken) ?? 0;
        }

        return head - _lastCheckpoint >= _checkpoints.EveryEntries;
    }

    private DateTimeOffset Now() => Domain.Common.Instants.Normalize(_time.GetUtcNow());

    private List<AuditEntry> Chain(ChainHead head, IReadOnlyList<AuditEvent> events)
    {
        var at = Now();
        var entries = new List<AuditEntry>(events.Count);
        var sequence = head.Sequence;
        var previous = head.Hash;
        foreach (var auditEvent in events)
        {
            var entry = auditEvent.ToEntry(++sequence, at, previous);
            entries.Add(entry);
            previous = entry.Hash;
        }

        return entries;
    }

    private void StartTimedCheckpoint()
    {
        lock (_timerGate)
        {
            if (!_closed && _unsigned && _timedCheckpoint.IsCompleted)
            {
                _timedCheckpoint = Task.Run(async () =>
                {
                    try
                    {
                        await CheckpointAsync();
                    }
#pragma warning disable CA1031 // A timer must not crash the process; the next tick or the next batch tries again.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        LogCheckpointFailed(ex);
                    }
                });
            }
        }
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<PendingEntry>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await SaveBatchAsync(batch);
                foreach (var item in batch)
                {
                    item.Completion.TrySetResult();
                }
            }
#pragma warning disable CA1031 // The writer loop must survive a failed batch; the callers get the exception.
            catch (Exception ex) when (batch.Count(i => i.AddNew is not null) > 0 && batch.Count > 1)
            {
                // One item may have spoilt the batch: give each its own transaction, so only that one fails.
                LogBatchRetried(ex, batch.Count);
                foreach (var item in batch)
                {
                    try
                    {
                        await SaveBatchAsync([item]);
                        item.Completion.TrySetResult();
                    }
                    catch (Exception single)
                    {
                        LogBatchFailed(single, 1);
                        item.Completion.TrySetException(single);
                    }
                }
            }
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogBatchFailed(ex, batch.Count);
                foreach (var item in batch)
                {
                    item.Completion.TrySetException(ex);
                }
            }
        }
    }

    private async Task SaveBatchAsync(IReadOnlyList<PendingEntry> batch)
    {
        var kept = await KeptWriterAsync();
        var db = kept ?? _openContext();
        var saved = false;
        try
        {
            foreach (var item in batch)
            {
                item.AddNew?.Invoke(db);
            }

            if ((kept is not null || db is PostgresJisrDbContext) && batch.All(p => p.AddNew is null))
            {
                await SaveEntriesOnlyAsync(db, [.. batch.Select(p => p.Event)]);
            }
            else
            {
                await SaveWithAuditAsync(db, [.. batch.Select(p => p.Event)]);
            }

            saved = true;
        }
        finally
        {
            if (kept is null)
            {
                await db.DisposeAsync();
            }
            else if (saved)
            {
                db.ChangeTracker.Clear();
            }
            else
            {
                await CloseKeptWriterAsync(); // the next batch starts on a fresh connection
            }
        }
    }

    /// <summary>A checkpoint signed over the batch's last entry and added to the context, when one is due; else null.</summary>
    private async Task<AuditCheckpoint?> AddCheckpointIfDueAsync(JisrDbContext db, AuditEntry last, CancellationToken cancellationToken)
    {
        if (!await CheckpointDueAsync(db, last.Sequence, cancellationToken))
        {
            return null;
        }

        var checkpoint = _checkpoints!.Key.Sign(last.Sequence, last.Hash, Now());
        db.AuditCheckpoints.Add(checkpoint);
        return checkpoint;
    }

    /// <summary>After a batch committed: whether the chain's head is signed now, and the last signed sequence.</summary>
    private int Committed(AuditCheckpoint? checkpoint, int written)
    {
        _unsigned = checkpoint is null;
        _lastCheckpoint = checkpoint?.Sequence ?? _lastCheckpoint;
        return written;
    }

    /// <summary>
    /// A batch of entries and nothing else (reads, searches, lists) on the kept SQLite writer or a pooled PostgreSQL
    /// context: chained as
    /// <see cref="SaveWithAuditAsync(JisrDbContext, IReadOnlyList{AuditEvent}, CancellationToken)"/> chains them, in the
    /// same kind of transaction (the file's write lock, the head read under it), but stored by the kept INSERT
    /// (<see cref="AuditEntryInsert"/>; on PostgreSQL one batch of it, one round trip) rather than through EF Core's
    /// change tracker; a due checkpoint is saved with them.
    /// </summary>
    private async Task SaveEntriesOnlyAsync(JisrDbContext db, IReadOnlyList<AuditEvent> events)
    {
        AuditCheckpoint? checkpoint = null;
        await UnderChainLockAsync(db, async _ =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Database.AutoSavepointsEnabled = false; // a failure rolls the whole transaction back
            var head = await LockAndLoadHeadAsync(db, CancellationToken.None);
            var entries = Chain(head, events);
            if (db is PostgresJisrDbContext)
            {
                await AuditEntryInsert.InsertBatchAsync(db, entries, transaction.GetDbTransaction(), CancellationToken.None);
            }
            else
            {
                _entryInsert ??= AuditEntryInsert.For(db);
                await _entryInsert.InsertAsync(entries, transaction.GetDbTransaction(), CancellationToken.None);
            }

            checkpoint = await AddCheckpointIfDueAsync(db, entries[^1], CancellationToken.None);
            if (checkpoint is not null)
            {
                await db.SaveChangesAsync();
            }

            await transaction.CommitAsync();
            return Committed(checkpoint, entries.Count);
        },
        undo: () =>
        {
            if (checkpoint is not null)
            {
                db.Entry(checkpoint).State = EntityState.Detached;
            }
        }, CancellationToken.None);
    }

    /// <summary>
    /// SQLite: the group commit's context, kept between batches with its connection open, so the statements of a batch
    /// (EF Core's inserts for a batch of the same shape) are prepared once and reused (<see cref="Records.SqliteReadLanes"/>'s
    /// kept statements), not compiled again for every commit. Its statements are reset after each batch, so it holds no
    /// lock and no snapshot between batches. Null on PostgreSQL (Npgsql prepares on its pooled connections).
    /// Used only by the writer loop, one batch at a time.
    /// </summary>
    private async Task<JisrDbContext?> KeptWriterAsync()
    {
        if (_writerDb is not null || _writerNotKept)
        {
            return _writerDb;
        }

        var db = _openContext();
        if (db is not SqliteJisrDbContext)
        {
            _writerNotKept = true;
            await db.DisposeAsync();
            return null;
        }

        try
        {
            await db.Database.OpenConnectionAsync(); // opened by hand: EF Core leaves it open between batches
            Records.SqliteReadLanes.KeptStatements.Track(db.Database.GetDbConnection(), auditWriter: true);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }

        return _writerDb = db;
    }

    private async Task CloseKeptWriterAsync()
    {
        if (_writerDb is not { } db)
        {
            return;
        }

        _writerDb = null;
        _entryInsert?.Dispose(); // its statement belongs to the connection that closes now
        _entryInsert = null;
        Records.SqliteReadLanes.KeptStatements.Forget(db.Database.GetDbConnection());
        await db.Database.CloseConnectionAsync(); // finalizes the kept statements with the connection
        await db.DisposeAsync();
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Audit entries could not be stored ({Count} in the batch); their requests fail")]
    private partial void LogBatchFailed(Exception exception, int count);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "A batch of {Count} audit entries failed; retrying them one by one")]
    private partial void LogBatchRetried(Exception exception, int count);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Signing an audit checkpoint failed; the next batch or tick tries again")]
    private partial void LogCheckpointFailed(Exception exception);

    private sealed record ChainHead(long Sequence, byte[] Hash);

    private sealed class PendingEntry(AuditEvent auditEvent, Action<JisrDbContext>? addNew)
    {
        public AuditEvent Event { get; } = auditEvent;

        public Action<JisrDbContext>? AddNew { get; } = addNew;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
