namespace Jisr.Storage;

/// <summary>
/// Which records and entities each committed change touched, kept for the last <see cref="JournalLength"/> changes per
/// database, so that what is derived per record (hit/no-hit filters) can redo only what a change touched.
/// </summary>
public static partial class DataChanges
{
    /// <summary>How many committed changes the journal keeps per database; a reader further behind is told it must redo all.</summary>
    public const int JournalLength = 4096;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Queue<(long Version, TouchedData Touched)>> Journals = new(StringComparer.Ordinal);

    /// <summary>
    /// The version of the data now and what the changes after <paramref name="since"/> touched; <c>null</c> when the
    /// journal no longer holds all of them (a reader that far behind redoes everything).
    /// </summary>
    public static (long Version, TouchedData? Touched) Since(JisrDbContext db, long since)
    {
        ArgumentNullException.ThrowIfNull(db);
        var database = db.Database.GetConnectionString() ?? "";
        if (!Versions.TryGetValue(database, out var counter))
        {
            return (0, since == 0 ? TouchedData.Nothing : null);
        }

        lock (counter)
        {
            var version = Interlocked.Read(ref counter.Value);
            if (version == since)
            {
                return (version, TouchedData.Nothing);
            }

            var journal = Journals.GetValueOrDefault(database);
            if (since > version || journal is null || journal.Count == 0 || journal.Peek().Version > since + 1)
            {
                return (version, null);
            }

            var records = new HashSet<RecordId>();
            var entities = new HashSet<EntityId>();
            foreach (var (at, touched) in journal)
            {
                if (at > since)
                {
                    records.UnionWith(touched.Records);
                    entities.UnionWith(touched.Entities);
                }
            }

            return (version, new TouchedData(records, entities));
        }
    }

    /// <summary>Called with the database's counter locked.</summary>
    private static void Journal(string database, long version, TouchedData touched)
    {
        var journal = Journals.GetOrAdd(database, _ => new Queue<(long, TouchedData)>());
        journal.Enqueue((version, touched));
        while (journal.Count > JournalLength)
        {
            journal.Dequeue();
        }
    }

    /// <summary>What one context's pending save touched; <see cref="StrongBox{T}.Value"/>: whether it touched records, entities or links at all.</summary>
    private sealed class PendingChange : System.Runtime.CompilerServices.StrongBox<bool>
    {
        private HashSet<RecordId> _records = [];
        private HashSet<EntityId> _entities = [];

        public void Touch(RecordId id)
        {
            Value = true;
            _records.Add(id);
        }

        public void Touch(EntityId id)
        {
            Value = true;
            _entities.Add(id);
        }

        public TouchedData TakeTouched()
        {
            var touched = new TouchedData(_records, _entities);
            (_records, _entities) = ([], []);
            return touched;
        }
    }
}

/// <summary>The records and entities some committed changes added, changed or deleted (ids only).</summary>
public sealed record TouchedData(IReadOnlySet<RecordId> Records, IReadOnlySet<EntityId> Entities)
{
    public static TouchedData Nothing { get; } = new(new HashSet<RecordId>(), new HashSet<EntityId>());
}
