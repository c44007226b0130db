using System.Collections.Concurrent;

namespace Jisr.Server.HitCheck;

/// <summary>
/// What this process's filter builds described: for each agreement and owner agency, the records behind its last build
/// (a later change to one of them touches that filter) and how many builds were made; and the data version the change
/// rounds have covered. Lost on restart: the first round after a start rebuilds every filter.
/// </summary>
public sealed class HitFilterBuilds
{
    private readonly ConcurrentDictionary<(AgreementId Agreement, AgencyId Owner), IReadOnlySet<RecordId>> _described = new();
    private readonly ConcurrentDictionary<AgreementId, int> _builds = new();
    private long _changesSeen = -1;

    /// <summary>The version of this process's data changes (records, entities, links) that the last round covered; -1 before the first.</summary>
    public long ChangesSeen
    {
        get => Interlocked.Read(ref _changesSeen);
        internal set => Interlocked.Exchange(ref _changesSeen, value);
    }

    /// <summary>How many filters this process built for <paramref name="agreement"/> (each owner's, sent or not).</summary>
    public int BuildsOf(AgreementId agreement) => _builds.GetValueOrDefault(agreement);

    internal bool TryGetDescribed(AgreementId agreement, AgencyId owner, out IReadOnlySet<RecordId> records) =>
        _described.TryGetValue((agreement, owner), out records!);

    internal void Built(AgreementId agreement, AgencyId owner, IReadOnlySet<RecordId> records)
    {
        _described[(agreement, owner)] = records;
        _builds.AddOrUpdate(agreement, 1, (_, n) => n + 1);
    }
}
