using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Audit;

/// <summary>
/// The single writer of the hash-chained audit log for this node process.
/// <list type="bullet">
/// <item>Changes are saved together with their audit entry in one transaction: a change is never committed
/// without its entry. Changes to tracked objects go through <see cref="SaveWithAuditAsync"/>.</item>
/// <item>Reads, searches and new objects (<see cref="AppendAsync"/>) are group-committed: many concurrent
/// requests share one transaction, and each waits until its own entry (and its new objects) are durable before
/// it answers. If a shared batch fails, its items are retried one by one, so one bad item fails alone.</item>
/// </list>
/// Sequence numbers and hashes are assigned under one lock, so the chain never forks; the primary key on
/// Sequence makes a second process writing the same database fail loudly instead of forking it.
/// </summary>
public sealed class AuditLog : IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly Func<JisrDbContext> _openContext;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _chainLock = new(1, 1);
    private readonly Channel<PendingEntry> _pending = Channel.CreateUnbounded<PendingEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private ChainHead? _head;

    // Counted here: a single-reader channel cannot count its items.
    private int _pendingCount;

    public AuditLog(Func<JisrDbContext> openContext, TimeProvider time)
    {
        _openContext = openContext;
        _time = time;
        _writer = Task.Run(WriteBatchesAsync);
    }

    /// <summary>Entries waiting for the writer: the queue's depth, for the node's metrics.</summary>
    public int PendingCount => Volatile.Read(ref _pendingCount);

    /// <summary>Appends an entry (group commit) and returns once it is durably stored.</summary>
    public Task AppendAsync(AuditEvent auditEvent) => Enqueue(new PendingEntry(auditEvent, null));

    /// <summary>
    /// Appends an entry (group commit) with new objects that <paramref name="addNew"/> adds to the batch's context;
    /// they commit in the same transaction as the entry, or not at all. For stores only: the context stays in Storage.
    /// </summary>
    internal Task AppendAsync(AuditEvent auditEvent, Action<JisrDbContext> addNew) => Enqueue(new PendingEntry(auditEvent, addNew));

    private Task Enqueue(PendingEntry pending)
    {
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("the audit log is shut down");
        }

        Interlocked.Increment(ref _pendingCount);
        return pending.Completion.Task;
    }

    /// <summary>
    /// Saves the context's pending changes and the audit entries in one transaction. If saving fails, nothing
    /// is written, the entries are taken back out of the context, and the chain is unchanged.
    /// </summary>
    public async Task SaveWithAuditAsync(JisrDbContext db, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(events);
        await _chainLock.WaitAsync(cancellationToken);
        try
        {
            var head = _head ??= await LoadHeadAsync(db, cancellationToken);
            var entries = Chain(head, events);
            db.AuditLog.AddRange(entries);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (Exception failure)
            {
                foreach (var entry in entries)
                {
                    db.Entry(entry).State = EntityState.Detached;
                }

                // A lost optimistic-concurrency race is the caller's conflict (409), told in words, not EF Core's exception.
                if (failure is DbUpdateConcurrencyException)
                {
                    throw new Domain.Common.DomainStateException("someone else changed this at the same moment; reload it and try again", failure);
                }

                throw;
            }

            _head = new ChainHead(entries[^1].Sequence, entries[^1].Hash);
        }
        finally
        {
            _chainLock.Release();
        }
    }

    public Task SaveWithAuditAsync(JisrDbContext db, AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        SaveWithAuditAsync(db, [auditEvent], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
        _chainLock.Dispose();
    }

    private static async Task<ChainHead> LoadHeadAsync(JisrDbContext db, CancellationToken cancellationToken)
    {
        var last = await db.AuditLog.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        return last is null ? new ChainHead(0, AuditHasher.GenesisHash) : new ChainHead(last.Sequence, last.Hash);
    }

    private List<AuditEntry> Chain(ChainHead head, IReadOnlyList<AuditEvent> events)
    {
        var at = Jisr.Domain.Common.Instants.Normalize(_time.GetUtcNow());
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

    private async Task WriteBatchesAsync()
    {
        var batch = new List<PendingEntry>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item))
            {
                Interlocked.Decrement(ref _pendingCount);
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
            catch (Exception) when (batch.Count(i => i.AddNew is not null) > 0 && batch.Count > 1)
            {
                // One item may have spoilt the batch: give each its own transaction, so only that one fails.
                _head = null;
                foreach (var item in batch)
                {
                    try
                    {
                        await SaveBatchAsync([item]);
                        item.Completion.TrySetResult();
                    }
                    catch (Exception ex)
                    {
                        _head = null;
                        item.Completion.TrySetException(ex);
                    }
                }
            }
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _head = null; // reload from the database before the next batch
                foreach (var item in batch)
                {
                    item.Completion.TrySetException(ex);
                }
            }
        }
    }

    private async Task SaveBatchAsync(IReadOnlyList<PendingEntry> batch)
    {
        await using var db = _openContext();
        foreach (var item in batch)
        {
            item.AddNew?.Invoke(db);
        }

        await SaveWithAuditAsync(db, [.. batch.Select(p => p.Event)]);
    }

    private sealed record ChainHead(long Sequence, byte[] Hash);

    private sealed class PendingEntry(AuditEvent auditEvent, Action<JisrDbContext>? addNew)
    {
        public AuditEvent Event { get; } = auditEvent;

        public Action<JisrDbContext>? AddNew { get; } = addNew;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
