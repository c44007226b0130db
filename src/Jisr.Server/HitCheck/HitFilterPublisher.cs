using System.Buffers.Binary;
using System.Security.Cryptography;
using Jisr.Exchange.HitCheck;
using Jisr.Fusion.Identifiers;
using Jisr.Server.Federation;
using Jisr.Storage.HitCheck;

namespace Jisr.Server.HitCheck;

/// <summary>
/// Builds and sends this node's filters: for every agreement in force between an agency of this node and one of a
/// peer, the names and identifiers the agency holds within the agreement (<see cref="AccessPolicy.CanContributeToMatchFilter"/>),
/// keyed with a fresh key, sent as a signed <c>hitfilter.publish</c> message through the outbox, with its audit entries,
/// in one transaction. Nothing is sent when neither the holdings nor the epoch changed and the agreement was not
/// resumed since the last one. Told what changed, it rebuilds only the filters the change touched: those that described
/// a touched record, or that a touched record may now go into; the holdings of one owner are read once for all its
/// agreements being rebuilt.
/// </summary>
public sealed class HitFilterPublisher(HitFilterStore filters, FederationStore federation, FederationOutbox outbox, HitKeyRing keys, HitFilterPublishGate gate, HitFilterBuilds builds, TimeProvider time)
{
    /// <summary>Publishes what changed now, for a node administrator.</summary>
    public async Task<Outcome<HitFilterPublishResponse>> PublishAsync(Principal caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (Refusal.Of(AccessPolicy.CanPublishHitFilters(caller), "hit filters") is { } refused)
        {
            return refused;
        }

        return new HitFilterPublishResponse(await PublishAsync(new AuditEvent(AuditActions.HitFilterPublish, caller.UserId, caller.UserName, caller.AgencyId), cancellationToken));
    }

    /// <summary>Rebuilds every filter and publishes what changed; returns the number of filters sent.</summary>
    public Task<int> PublishAsync(AuditEvent actor, CancellationToken cancellationToken) => PublishAsync(actor, null, cancellationToken);

    /// <summary>
    /// Rebuilds the filters <paramref name="touched"/> touched (all when <c>null</c>) and publishes what changed; returns
    /// the number of filters sent. One round at a time in this process (the loop and an administrator's call would both send).
    /// </summary>
    public async Task<int> PublishAsync(AuditEvent actor, TouchedData? touched, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await gate.Lock.WaitAsync(cancellationToken);
        try
        {
            return await PublishChangedAsync(actor, touched, cancellationToken);
        }
        finally
        {
            gate.Lock.Release();
        }
    }

    private async Task<int> PublishChangedAsync(AuditEvent actor, TouchedData? touched, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var epoch = HitFilterMessage.EpochOf(now);
        var (current, touchedIds) = touched is null ? ([], []) : await filters.TouchedRecordsAsync(touched, cancellationToken);
        var due = new List<(SharingAgreement Agreement, AgencyId Owner, AgencyId Partner, PublishedHitFilter? Published)>();
        foreach (var (agreement, owner, partner) in await filters.AgreementsToPublishAsync(now, cancellationToken))
        {
            var published = await filters.FindPublishedAsync(agreement.Id, owner, cancellationToken);
            var stale = published is null || published.Epoch != epoch || (agreement.StatusChangedAt is not null && published.PublishedAt < agreement.StatusChangedAt);
            if (touched is null || stale || Touches(agreement, owner, current, touchedIds, now))
            {
                due.Add((agreement, owner, partner, published));
            }
        }

        var sent = 0;
        foreach (var byOwner in due.GroupBy(d => d.Owner))
        {
            var held = await filters.HoldingsAsync(byOwner.Key, [.. byOwner.Select(d => d.Agreement)], now, cancellationToken);
            foreach (var (agreement, owner, partner, published) in byOwner)
            {
                sent += await PublishOneAsync(actor, agreement, owner, partner, published, held[agreement.Id], now, epoch, cancellationToken) ? 1 : 0;
            }
        }

        if (sent > 0)
        {
            outbox.Notify();
        }

        return sent;
    }

    /// <summary>
    /// Whether a change to <paramref name="touchedIds"/> (<paramref name="current"/>: those that still exist, as they are
    /// now) touches <paramref name="owner"/>'s filter under <paramref name="agreement"/>: the last build described one of
    /// them (it may have been deleted, reclassified out or renamed), or one may go into it now. A filter this process
    /// has not built yet is rebuilt.
    /// </summary>
    private bool Touches(SharingAgreement agreement, AgencyId owner, List<Domain.Records.Record> current, HashSet<RecordId> touchedIds, DateTimeOffset now) =>
        !builds.TryGetDescribed(agreement.Id, owner, out var described)
        || touchedIds.Overlaps(described)
        || current.Exists(r => AccessPolicy.CanContributeToMatchFilter(r, owner, agreement, now));

    /// <summary>Builds one filter from its holdings and sends it when it differs from the one published; true when sent.</summary>
    private async Task<bool> PublishOneAsync(
        AuditEvent actor, SharingAgreement agreement, AgencyId owner, AgencyId partner, PublishedHitFilter? published, MatchFilterHoldings holdings, DateTimeOffset now, int epoch, CancellationToken cancellationToken)
    {
        var identifierKeys = holdings.Identifiers
            .Select(i => Identifier.ParseKind(i.Kind) is { } kind ? HitFilter.IdentifierKey(IdentifierNormaliser.Normalise(kind, i.Value, i.Country)) : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var names = holdings.Names.Distinct(StringComparer.Ordinal).ToList();

        // Each name's keys once per round: the digest and the filter are made of the same keys.
        var nameKeys = HitFilter.NameKeys(names);
        var digest = Digest(nameKeys, identifierKeys);

        // Nothing held and nothing published before: nothing to tell (an agency whose last record goes publishes its empty filter).
        var unchanged = (published is null && names.Count == 0 && identifierKeys.Count == 0)
            || (published is not null && published.Epoch == epoch && published.ContentDigest == digest
                && (agreement.StatusChangedAt is null || published.PublishedAt >= agreement.StatusChangedAt));
        var peer = unchanged ? null : await federation.PeerOfAgencyAsync(partner, cancellationToken);
        if (peer is null)
        {
            // What the partner has (or nothing) is what these holdings describe, unless its peer is gone: then the next round retries.
            if (unchanged)
            {
                builds.Built(agreement.Id, owner, holdings.RecordIds);
            }

            return false;
        }

        var salt = RandomNumberGenerator.GetBytes(16);
        var filter = HitFilter.BuildFromKeys(keys.KeyFor(peer, agreement.Id.Value, epoch, salt), agreement.Id.Value, epoch, nameKeys, identifierKeys);
        var bytes = filter.ToBytes();
        var message = new HitFilterMessage(agreement.Id.Value, owner.Value, partner.Value, epoch, Convert.ToBase64String(salt), now, Convert.ToBase64String(bytes));
        var by = actor with { AgencyId = owner };
        var staged = await outbox.StageForAsync(partner, HitFilterMessage.Type, message, by, cancellationToken);
        var publish = by with
        {
            Action = AuditActions.HitFilterPublish, TargetType = AuditTargets.Agreement, TargetId = agreement.Id.ToString(),
            Detail = $"to agency {partner.Value:D}; epoch {epoch}; {holdings.Records} records, {names.Count} names, {identifierKeys.Count} identifiers, {filter.Filter.KeyCount} keys, {bytes.Length} bytes",
        };
        await filters.SavePublishedAsync(
            published,
            new PublishedHitFilter { AgreementId = agreement.Id.Value, OwnerAgencyId = owner.Value, Epoch = epoch, ContentDigest = digest, KeyCount = filter.Filter.KeyCount, PublishedAt = now },
            staged is null ? [publish] : [publish, staged],
            cancellationToken);
        builds.Built(agreement.Id, owner, holdings.RecordIds);
        return true;
    }

    /// <summary>
    /// SHA-256 over the key scheme and the unkeyed keys, sorted: equal holdings, equal digest, whatever the order records
    /// come in; a node that moves to another key scheme sends every filter again, identifiers-only ones included.
    /// </summary>
    private static string Digest(ulong[] nameKeys, IReadOnlyList<string> identifierKeys)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> buffer = stackalloc byte[8];
        hash.AppendData([HitFilter.KeyScheme]);
        BinaryPrimitives.WriteInt64LittleEndian(buffer, nameKeys.Length);
        hash.AppendData(buffer);
        foreach (var key in nameKeys)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, key);
            hash.AppendData(buffer);
        }

        foreach (var key in identifierKeys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(key));
            hash.AppendData("\n"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>One publishing round at a time per node process.</summary>
public sealed class HitFilterPublishGate : IDisposable
{
    public SemaphoreSlim Lock { get; } = new(1, 1);

    public void Dispose() => Lock.Dispose();
}

/// <summary>Options of the filter rebuild loop.</summary>
public sealed class HitFilterOptions
{
    /// <summary>
    /// How often filters are rebuilt whatever changed (default 5 minutes): changes this process did not make (another
    /// process writing to the same database), a key epoch turning, an agreement's terms.
    /// </summary>
    public TimeSpan RebuildInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often this node looks for a committed change to records, entities or links, or to the agreements in force
    /// (default 2 s). A change rebuilds at once the filters whose holdings it changed (a record added, changed,
    /// reclassified, deleted or withdrawn, a name updated): the partner's filter follows within this interval, the
    /// rebuild and delivery; an unchanged filter is not sent again.
    /// </summary>
    public TimeSpan ChangePoll { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Rebuilds and publishes the filters when records, entities, links or the agreements in force changed (looked for every
/// <see cref="HitFilterOptions.ChangePoll"/>), and every <see cref="HitFilterOptions.RebuildInterval"/> anyway, while
/// federation is set up.
/// </summary>
public sealed partial class HitFilterRefresh(IServiceScopeFactory scopes, NodeIdentity identity, HitFilterOptions options, TimeProvider time, ILogger<HitFilterRefresh> log)
    : FederationRounds(scopes, identity, time)
{
    private string? _built;
    private DateTimeOffset _builtAt = DateTimeOffset.MinValue;
    private long _seen = -1;

    protected override TimeSpan Interval => options.ChangePoll < options.RebuildInterval ? options.ChangePoll : options.RebuildInterval;

    protected override async Task<int> RunRoundAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // Read before building: a change committed while the filters are built is seen by the next round.
        var store = services.GetRequiredService<HitFilterStore>();
        var stamp = await store.ChangeStampAsync(cancellationToken);
        var (version, touched) = store.ChangesSince(_seen);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var whole = now - _builtAt >= options.RebuildInterval || touched is null;
        if (stamp == _built && !whole)
        {
            return 0;
        }

        // Every interval (and when the journal lost track) all filters are rebuilt; in between, only those a change touched.
        var sent = await services.GetRequiredService<HitFilterPublisher>()
            .PublishAsync(new AuditEvent(AuditActions.HitFilterPublish, ActorName: "node:hit-filters"), whole ? null : touched, cancellationToken);
        (_built, _seen) = (stamp, version);
        _builtAt = whole ? now : _builtAt;
        services.GetRequiredService<HitFilterBuilds>().ChangesSeen = version;
        return sent;
    }

    protected override void LogDone(int count) => Published(log, count);

    protected override void LogFailed(Exception exception) => Failed(log, exception);

    [LoggerMessage(LogLevel.Information, "hit/no-hit filters published: {Count}")]
    private static partial void Published(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "hit/no-hit filter rebuild failed; retried at the next interval")]
    private static partial void Failed(ILogger logger, Exception exception);
}
