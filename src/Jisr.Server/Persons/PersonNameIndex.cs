using System.Collections.Immutable;
using Jisr.Matching.Names;
using Microsoft.Extensions.Logging;

namespace Jisr.Server.Persons;

/// <summary>
/// The node's candidate index over every person name it holds, whatever agency holds it: it only proposes
/// candidates, and the caller's policy filter decides which of them the caller sees. One index per holding agency,
/// each asked for its own best candidates, so a large agency's names cannot push a small agency's out of the
/// candidates before the policy filter runs. Built from the database as the node starts (PersonNameIndexWarmup), or on
/// first use if that failed; persons created through this node
/// are added as they are stored, persons deleted (the retention purge) leave at once, and persons written or purged by
/// another process of the same database (the CLI, a second node) are picked up by a background check at most
/// <see cref="SyncInterval"/> after a query. That check is a few index lookups (the latest person stored, the audit
/// log's last entry and any purge audited since); all persons are counted only after such a purge, and every
/// <see cref="FullCheckInterval"/> for what the lookups cannot see (a person another process stamped earlier than the
/// latest known, its clock being behind).
/// </summary>
public sealed partial class PersonNameIndex : IDisposable
{
    /// <summary>How often a query may trigger the cheap check for persons written by another process.</summary>
    public static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two checks, however much a check costs.</summary>
    public static readonly TimeSpan MaxSyncInterval = TimeSpan.FromSeconds(10);

    /// <summary>How often the check also counts every stored person (a tenth of a CPU-second over a million persons).</summary>
    public static readonly TimeSpan FullCheckInterval = TimeSpan.FromMinutes(5);

    /// <summary>The wait between checks is at least this many times what the last check took, so a slow database never spends more than about 5% of a core on it.</summary>
    private const int SyncCostFactor = 20;

    private const int RebuildAfter = 20_000;

    private readonly PersonNames _names;
    private readonly EntityCache _entities;
    private readonly ILogger<PersonNameIndex> _logger;
    private readonly SemaphoreSlim _build = new(1, 1);
    private readonly Lock _lock = new();
    private Snapshot? _snapshot;
    // Immutable, so that a write adds in O(log n) and a query reads a consistent set without copying (a copy per
    // write made 16 parallel writers spend most of their CPU copying once the index was built at start).
    private ImmutableList<Addition> _additions = [];
    private HashSet<EntityId> _removed = [];
    private long _lastSync;
    private long _lastFullCheck = Environment.TickCount64;
    // The audit log's last entry when the check last looked (or when the build read the persons).
    private long _auditSeen;
    private long _syncEveryMs = (long)SyncInterval.TotalMilliseconds;
    private int _syncing;

    public PersonNameIndex(PersonNames names, EntityCache entities, ILogger<PersonNameIndex> logger)
    {
        _names = names;
        _entities = entities;
        _logger = logger;
        _entities.Forgotten += Remove;
    }

    /// <summary>
    /// Candidate person ids with the best-matching name and its score, best first: each agency's best
    /// <paramref name="k"/> (so at most <paramref name="k"/> times the number of holding agencies).
    /// </summary>
    public Task<IReadOnlyList<NameCandidate<EntityId>>> CandidatesAsync(string name, int k, CancellationToken cancellationToken) =>
        QueryAsync(name, k, partial: false, cancellationToken);

    /// <summary>For a partial query (one part, perhaps with initials): the persons carrying that part in any script, ranked (see <see cref="NameIndex{TId}.QueryPartial"/>).</summary>
    public Task<IReadOnlyList<NameCandidate<EntityId>>> PartialCandidatesAsync(string name, int k, CancellationToken cancellationToken) =>
        QueryAsync(name, k, partial: true, cancellationToken);

    /// <summary>Adds the names of persons just stored through this node.</summary>
    public void Add(IEnumerable<Entity> entities)
    {
        var persons = entities.OfType<Person>().ToList();
        if (persons.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_snapshot is null)
            {
                return; // not built yet: the build will read them from the database
            }

            AddLocked(new HeldPersons([.. persons.SelectMany(p => p.Names.Select(n => new HeldPersonName(p.Id, p.AgencyId, n.Text, p.CreatedAt)))], [.. persons.Select(p => p.Id)], persons.Max(p => p.CreatedAt)));
        }
    }

    /// <summary>Drops deleted persons: they leave every answer at once.</summary>
    public void Remove(IReadOnlyCollection<EntityId> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_lock)
        {
            var removed = new HashSet<EntityId>(_removed);
            removed.UnionWith(ids);
            _removed = removed;
            if (_snapshot is { } snapshot)
            {
                // They were counted when stored; the database no longer counts them.
                var gone = ids.Count(id => snapshot.Known.Contains(id) || snapshot.Added.Contains(id));
                _snapshot = snapshot with { Persons = snapshot.Persons - gone };
            }
        }
    }

    /// <summary>
    /// Builds the index now if it is not built (at the node's start, so the first person query does not pay for it);
    /// persons stored while it builds are picked up by the background check.
    /// </summary>
    public async Task WarmAsync(CancellationToken cancellationToken) => await BuildAsync(cancellationToken);

    public void Dispose()
    {
        _entities.Forgotten -= Remove;
        _build.Dispose();
    }

    private async Task<IReadOnlyList<NameCandidate<EntityId>>> QueryAsync(string name, int k, bool partial, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot ?? await BuildAsync(cancellationToken);
        SyncSoon();
        ImmutableList<Addition> additions;
        HashSet<EntityId> removed;
        lock (_lock)
        {
            additions = _additions;
            removed = _removed;
        }

        var query = NameParser.Parse(name); // once for every agency's index
        var found = new List<NameCandidate<EntityId>>();
        foreach (var index in snapshot.ByAgency.Values)
        {
            found.AddRange(partial ? index.QueryPartial(query, k) : index.Query(query, k));
        }

        if (additions.Count > 0)
        {
            foreach (var addition in additions)
            {
                if (!partial)
                {
                    found.Add(new NameCandidate<EntityId>(addition.Id, addition.Name, NameMatcher.Score(query, addition.Tokens)));
                }
                else if (NameMatcher.Carried(query, addition.Tokens) > 0)
                {
                    found.Add(new NameCandidate<EntityId>(addition.Id, addition.Name, NameMatcher.Score(query, addition.Tokens)));
                }
            }
        }

        // One line per person: the best of its names; deleted persons never.
        var best = found.Where(c => !removed.Contains(c.Id)).GroupBy(c => c.Id).Select(g => g.MaxBy(c => c.Score)!);
        if (partial)
        {
            return [.. best.OrderByDescending(c => NameMatcher.Carried(query, NameParser.Parse(c.Name))).ThenByDescending(c => c.Score)];
        }

        return [.. best.OrderByDescending(c => c.Score)];
    }

    private void AddLocked(HeldPersons held)
    {
        var snapshot = _snapshot!;
        var fresh = held.Persons.Where(id => !snapshot.Known.Contains(id) && !snapshot.Added.Contains(id)).ToHashSet();
        if (fresh.Count == 0)
        {
            return;
        }

        _additions = _additions.AddRange(held.Names.Where(n => fresh.Contains(n.PersonId)).Select(n => new Addition(n.PersonId, n.AgencyId, n.Name, NameParser.Parse(n.Name))));
        var added = snapshot.Added.Union(fresh);
        _snapshot = snapshot with { Added = added, Persons = snapshot.Persons + fresh.Count, Latest = Later(snapshot.Latest, held.Latest) };
        if (_additions.Count > RebuildAfter)
        {
            _snapshot = null; // the next query rebuilds from the database, additions included
            _additions = [];
        }
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>The same instant as stored: databases keep microseconds (PostgreSQL) where .NET keeps ticks.</summary>
    private static bool SameInstant(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null || b is null ? a == b : (a.Value - b.Value).Duration() < TimeSpan.FromMilliseconds(1);

    /// <summary>At most once per <see cref="SyncInterval"/> (longer when the check is costly), in the background: compares the stored persons with what the index holds.</summary>
    private void SyncSoon()
    {
        // Wall time of the process, not the node's (possibly adjusted) domain clock: this is an operational interval.
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastSync) < Interlocked.Read(ref _syncEveryMs) || Interlocked.CompareExchange(ref _syncing, 1, 0) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _lastSync, now);
        _ = Task.Run(async () =>
        {
            try
            {
                await SyncAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A failed check is retried by a later query; the index keeps answering from what it holds.
                LogSyncFailed(_logger, e);
            }
            finally
            {
                Interlocked.Exchange(ref _syncing, 0);
            }
        });
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        var started = Environment.TickCount64;
        var changes = await _names.ChangesAsync(Interlocked.Read(ref _auditSeen), cancellationToken);
        var every = Math.Clamp((Environment.TickCount64 - started) * SyncCostFactor, (long)SyncInterval.TotalMilliseconds, (long)MaxSyncInterval.TotalMilliseconds);
        Interlocked.Exchange(ref _syncEveryMs, every);
        var snapshot = _snapshot;
        if (snapshot is null)
        {
            return;
        }

        var latest = changes.Latest;
        if (latest is { } stored && (snapshot.Latest is null || (stored > snapshot.Latest && !SameInstant(stored, snapshot.Latest))))
        {
            // Persons another process stored: add them (those stored at the instant of the latest known are read again and skipped).
            var written = await _names.CreatedSinceAsync(snapshot.Latest?.AddMilliseconds(-1), cancellationToken);
            lock (_lock)
            {
                if (_snapshot is not null)
                {
                    AddLocked(written);
                }
            }
        }

        Interlocked.Exchange(ref _auditSeen, changes.AuditLast);
        if (!changes.Purged && started - Interlocked.Read(ref _lastFullCheck) < (long)FullCheckInterval.TotalMilliseconds)
        {
            return;
        }

        // A purge by another process, or time for the full check: count, and rebuild if the counts disagree.
        Interlocked.Exchange(ref _lastFullCheck, started);
        var (count, _) = await _names.FingerprintAsync(cancellationToken);
        if (_snapshot is { } now && now.Persons != count)
        {
            // Deleted by another process, or counts that no longer agree: rebuild from the database.
            await BuildAsync(cancellationToken, force: true);
        }
    }

    private async Task<Snapshot> BuildAsync(CancellationToken cancellationToken, bool force = false)
    {
        await _build.WaitAsync(cancellationToken);
        try
        {
            if (!force && _snapshot is { } built)
            {
                return built;
            }

            HashSet<EntityId> removedBefore;
            lock (_lock)
            {
                removedBefore = _removed;
            }

            var auditSeen = await _names.AuditLastAsync(cancellationToken);
            var held = await _names.AllHeldAsync(cancellationToken);
            var byAgency = held.Names.GroupBy(n => n.AgencyId).ToDictionary(g => g.Key, g => NameIndex<EntityId>.Build(g.Select(n => (n.PersonId, n.Name))));
            var known = held.Persons.ToHashSet();
            var snapshot = new Snapshot(byAgency, known, [], known.Count, held.Latest);
            lock (_lock)
            {
                // Removals that came in while the build read the database still apply.
                var removed = new HashSet<EntityId>(_removed);
                removed.ExceptWith(removedBefore);
                _removed = removed;
                _additions = [];
                _snapshot = snapshot with { Persons = snapshot.Persons - removed.Count(known.Contains) };
            }

            Interlocked.Exchange(ref _auditSeen, auditSeen);

            return _snapshot;
        }
        finally
        {
            _build.Release();
        }
    }

    /// <summary>What the index holds: the built indexes and the ids in them, the persons added since, how many persons and the latest stored.</summary>
    private sealed record Snapshot(Dictionary<AgencyId, NameIndex<EntityId>> ByAgency, HashSet<EntityId> Known, ImmutableHashSet<EntityId> Added, int Persons, DateTimeOffset? Latest);

    private sealed record Addition(EntityId Id, AgencyId AgencyId, string Name, IReadOnlyList<NameToken> Tokens);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The check for persons written by another process failed; the name index answers from what it holds and checks again on a later query")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);
}
