using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Jisr.Storage;

/// <summary>
/// Counters of committed changes to records, entities and links made by this process, one per database, for caches of
/// answers derived from them (the link graph) to drop what a write may have changed in place. A change of who may
/// read what is not counted here: such caches key on what the caller may read, read on every query. A counter is
/// bumped after the save commits, so an answer computed from data read before a change is never stored under the
/// version that follows it.
/// </summary>
public static partial class DataChanges
{
    private static readonly ConditionalWeakTable<DbContext, PendingChange> Pending = [];
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, StrongBox<long>> Versions = new(StringComparer.Ordinal);

    /// <summary>The version of the data in the database <paramref name="db"/> is connected to.</summary>
    public static long VersionOf(JisrDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return Versions.TryGetValue(db.Database.GetConnectionString() ?? "", out var version) ? Interlocked.Read(ref version.Value) : 0;
    }

    /// <summary>The interceptors to add to every context: saves note a change, and it counts once committed.</summary>
    internal static IInterceptor[] Interceptors { get; } = [new Saves(), new Commits()];

    private static void Bump(DbContext? context)
    {
        if (context is not null && Pending.TryGetValue(context, out var data) && data.Value)
        {
            data.Value = false;
            var database = context.Database.GetConnectionString() ?? "";
            var counter = Versions.GetOrAdd(database, _ => new StrongBox<long>());
            lock (counter)
            {
                // The journal entry and the version it ends at are written together, so a reader never sees one without the other.
                Journal(database, Interlocked.Increment(ref counter.Value), data.TakeTouched());
            }
        }
    }

    /// <summary>A save inside an explicit transaction counts when the transaction commits, not before.</summary>
    private sealed class Commits : DbTransactionInterceptor
    {
        public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Bump(eventData.Context);

        public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Bump(eventData.Context);
            return Task.CompletedTask;
        }

        public override void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

        public override Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Forget(eventData.Context);
            return Task.CompletedTask;
        }

        private static void Forget(DbContext? context)
        {
            if (context is not null && Pending.TryGetValue(context, out var data))
            {
                data.Value = false;
                data.TakeTouched();
            }
        }
    }

    private sealed class Saves : SaveChangesInterceptor
    {
        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Note(eventData.Context);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Note(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            Saved(eventData.Context);
            return result;
        }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Saved(eventData.Context);
            return ValueTask.FromResult(result);
        }

        private static void Saved(DbContext? context)
        {
            if (context?.Database.CurrentTransaction is null)
            {
                Bump(context);
            }
        }

        private static void Note(DbContext? context)
        {
            if (context is null)
            {
                return;
            }

            var pending = Pending.GetValue(context, _ => new PendingChange());
            foreach (var entry in context.ChangeTracker.Entries())
            {
                if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
                {
                    continue;
                }

                switch (entry.Entity)
                {
                    case Record record:
                        pending.Touch(record.Id);
                        break;
                    case RecordMention mention:
                        pending.Touch(mention.RecordId);
                        break;
                    case Entity entity:
                        pending.Touch(entity.Id);
                        break;
                    case Link:
                        pending.Value = true;
                        break;
                }
            }
        }
    }
}
