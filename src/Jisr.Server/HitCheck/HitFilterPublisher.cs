using System.Security.Cryptography;
using Jisr.Exchange.HitCheck;
using Jisr.Fusion.Identifiers;
using Jisr.Matching.Names;
using Jisr.Server.Federation;
using Jisr.Storage.HitCheck;

namespace Jisr.Server.HitCheck;

/// <summary>
/// Builds and sends this node's filters: for every agreement in force between an agency of this node and one of a
/// peer, the names and identifiers the agency holds within the agreement (<see cref="AccessPolicy.CanContributeToMatchFilter"/>),
/// keyed with a fresh key, sent as a signed <c>hitfilter.publish</c> message through the outbox, with its audit entries,
/// in one transaction. Nothing is sent when neither the holdings nor the epoch changed and the agreement was not
/// resumed since the last one.
/// </summary>
public sealed class HitFilterPublisher(HitFilterStore filters, FederationStore federation, FederationOutbox outbox, HitKeyRing keys, HitFilterPublishGate gate, TimeProvider time)
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

    /// <summary>Publishes what changed; returns the number of filters sent. One round at a time in this process (the loop and an administrator's call would both send).</summary>
    public async Task<int> PublishAsync(AuditEvent actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await gate.Lock.WaitAsync(cancellationToken);
        try
        {
            return await PublishChangedAsync(actor, cancellationToken);
        }
        finally
        {
            gate.Lock.Release();
        }
    }

    private async Task<int> PublishChangedAsync(AuditEvent actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sent = 0;
        foreach (var (agreement, owner, partner) in await filters.AgreementsToPublishAsync(now, cancellationToken))
        {
            var holdings = await filters.HoldingsAsync(owner, agreement, now, cancellationToken);
            var identifierKeys = holdings.Identifiers
                .Select(i => Identifier.ParseKind(i.Kind) is { } kind ? HitFilter.IdentifierKey(IdentifierNormaliser.Normalise(kind, i.Value, i.Country)) : null)
                .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var names = holdings.Names.Distinct(StringComparer.Ordinal).ToList();
            var epoch = HitFilterMessage.EpochOf(now);
            var digest = Digest(names, identifierKeys);
            var published = await filters.FindPublishedAsync(agreement.Id, owner, cancellationToken);

            // Nothing held and nothing published before: nothing to tell (an agency whose last record goes publishes its empty filter).
            if (published is null && names.Count == 0 && identifierKeys.Count == 0)
            {
                continue;
            }

            if (published is not null && published.Epoch == epoch && published.ContentDigest == digest
                && (agreement.StatusChangedAt is null || published.PublishedAt >= agreement.StatusChangedAt))
            {
                continue;
            }

            var peer = await federation.PeerOfAgencyAsync(partner, cancellationToken);
            if (peer is null)
            {
                continue;
            }

            var salt = RandomNumberGenerator.GetBytes(16);
            var filter = HitFilter.Build(keys.KeyFor(peer, agreement.Id.Value, epoch, salt), agreement.Id.Value, epoch, names, identifierKeys);
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
            sent++;
        }

        if (sent > 0)
        {
            outbox.Notify();
        }

        return sent;
    }

    /// <summary>SHA-256 over the unkeyed keys, sorted: equal holdings, equal digest, whatever the order records come in.</summary>
    private static string Digest(IReadOnlyList<string> names, IReadOnlyList<string> identifierKeys)
    {
        var keys = names.SelectMany(n => NameMatchKeys.ForFiling(n).Keys.Select(k => k.Key.ToString("x16", CultureInfo.InvariantCulture)))
            .Concat(identifierKeys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', keys))));
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

    protected override TimeSpan Interval => options.ChangePoll < options.RebuildInterval ? options.ChangePoll : options.RebuildInterval;

    protected override async Task<int> RunRoundAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // Read before building: a change committed while the filters are built is seen by the next round.
        var stamp = await services.GetRequiredService<HitFilterStore>().ChangeStampAsync(cancellationToken);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (stamp == _built && now - _builtAt < options.RebuildInterval)
        {
            return 0;
        }

        var sent = await services.GetRequiredService<HitFilterPublisher>()
            .PublishAsync(new AuditEvent(AuditActions.HitFilterPublish, ActorName: "node:hit-filters"), cancellationToken);
        (_built, _builtAt) = (stamp, now);
        return sent;
    }

    protected override void LogDone(int count) => Published(log, count);

    protected override void LogFailed(Exception exception) => Failed(log, exception);

    [LoggerMessage(LogLevel.Information, "hit/no-hit filters published: {Count}")]
    private static partial void Published(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "hit/no-hit filter rebuild failed; retried at the next interval")]
    private static partial void Failed(ILogger logger, Exception exception);
}
