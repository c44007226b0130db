using Jisr.Exchange.HitCheck;
using Jisr.Storage.HitCheck;

namespace Jisr.Server.HitCheck;

/// <summary>
/// Checks a name or an identifier against the filters partners published to the caller's agency, on this node: no
/// request leaves it. The answer is no-hit, or hit with each partner agency to ask and the parts of the query that
/// produced it; a name whose only link to a partner's holdings is one part of a longer held name is a possible hit,
/// answered, audited and told to the owner the same way, and marked as such. Only filters of agreements in force, of a current epoch and received since the agreement was last
/// resumed count. Every check is audited with its purpose, found or not. Each partner whose filter a check hit is sent
/// a signed <c>hit.notice</c> (who had the hit, when, under which agreement, how many keys hit; never the query),
/// committed with the check's audit entry: the data owner always knows that someone found a hit on its data.
/// </summary>
public sealed class HitCheckService(HitFilterStore filters, HitKeyRing keys, ReceivedFilterCache cache, Federation.FederationOutbox outbox, TimeProvider time)
{
    public async Task<Outcome<HitCheckResponse>> CheckAsync(Principal caller, HitCheckRequest request, string purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (Refusal.Of(AccessPolicy.CanCheckHits(caller), "hit check") is { } refused)
        {
            return refused;
        }

        var query = Query(request.Name, request.Identifier);
        return await CheckAsync(new AuditEvent(AuditActions.HitCheck, caller.UserId, caller.UserName, caller.AgencyId), [caller.AgencyId], query, purpose, cancellationToken);
    }

    /// <summary>The query of a request: exactly one of a name and an identifier (<c>KIND:VALUE</c>).</summary>
    public static HitQuery Query(string? name, string? identifier) => (string.IsNullOrWhiteSpace(name), string.IsNullOrWhiteSpace(identifier)) switch
    {
        (false, true) => HitQuery.ForName(name),
        (true, false) => HitQuery.ForIdentifier(identifier),
        _ => throw DomainValidationException.Coded("name", ValidationCodes.NameOrIdentifier, "give either a name or an identifier (KIND:VALUE), not both and not neither"),
    };

    /// <summary>
    /// Checks for <paramref name="recipients"/> (the caller's agency; the command line checks for every agency of the
    /// node), audited as <paramref name="actor"/>. <paramref name="notifyOwners"/>: send each partner hit a notice
    /// (not when the check precedes a hit request, which tells the owner itself).
    /// </summary>
    public async Task<HitCheckResponse> CheckAsync(AuditEvent actor, IReadOnlyList<AgencyId> recipients, HitQuery query, string purpose, CancellationToken cancellationToken, bool notifyOwners = true)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(query);
        var now = time.GetUtcNow();

        // A filter replaced by a newer one between the list and its bytes (filters follow the partner's changes within
        // seconds): read the list again, so the check runs against the filters as they are now.
        for (var attempt = 1; ; attempt++)
        {
            if (await MatchAsync(recipients, query, now, cancellationToken) is { } found)
            {
                return await AnswerAsync(actor, query, purpose, found.Usable, found.Hits, now, notifyOwners, cancellationToken);
            }

            if (attempt == 3)
            {
                throw new DomainStateException("the partners' filters are being replaced; check again in a moment");
            }
        }
    }

    /// <summary>The usable filters and those the query hits; null when one of them was replaced meanwhile.</summary>
    private async Task<(List<ReceivedHitFilter> Usable, List<(ReceivedHitFilter Filter, HitMatch Match)> Hits)?> MatchAsync(
        IReadOnlyList<AgencyId> recipients, HitQuery query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var usable = new List<ReceivedHitFilter>();
        foreach (var recipient in recipients)
        {
            foreach (var (filter, agreement) in await filters.ReceivedForAsync(recipient, cancellationToken))
            {
                // Suspended or ended: no hit at once. Resumed: only a filter received since counts (a new key).
                if (agreement.IsInForce(AccessPolicy.Today(now)) && HitKeyRing.IsCurrent(filter.Epoch, now)
                    && (agreement.StatusChangedAt is null || filter.ReceivedAt >= agreement.StatusChangedAt))
                {
                    usable.Add(filter);
                }
            }
        }

        var hits = new List<(ReceivedHitFilter Filter, HitMatch Match)>();
        var live = usable.Select(f => f.Id).ToList();
        foreach (var received in usable.ToList())
        {
            var peer = await filters.FindPeerAsync(received.PeerId, cancellationToken);
            if (peer is null || peer.Status != PeerStatuses.Active)
            {
                continue;
            }

            var filter = cache.Find(received.Id);
            if (filter is null)
            {
                if (await filters.FilterBytesAsync(received.Id, cancellationToken) is not { } bytes)
                {
                    return null;
                }

                // Stored before this node moved to another key scheme: its keys are not the ones a query looks up
                // (never mixed); the partner's next filter, in this node's scheme, counts.
                if (HitFilter.SchemeOf(bytes) != HitFilter.KeyScheme)
                {
                    usable.Remove(received);
                    continue;
                }

                filter = HitFilter.Read(bytes);
                cache.Keep(received.Id, filter, live);
            }

            var match = query.Match(keys.KeyFor(peer, received.AgreementId, received.Epoch, received.Salt), filter);
            if (match.Strength != HitStrength.None)
            {
                hits.Add((received, match));
            }
        }

        return (usable, hits);
    }

    private async Task<HitCheckResponse> AnswerAsync(
        AuditEvent actor, HitQuery query, string purpose, List<ReceivedHitFilter> usable, List<(ReceivedHitFilter Filter, HitMatch Match)> hits, DateTimeOffset now, bool notifyOwners, CancellationToken cancellationToken)
    {
        var agencies = (await filters.AgenciesAsync([.. hits.Select(h => new AgencyId(h.Filter.OwnerAgencyId))], cancellationToken)).ToDictionary(a => a.Id.Value);
        // Strongest first: the partners to ask with most reason.
        hits = [.. hits.OrderByDescending(h => h.Match.Strength)];
        var response = new HitCheckResponse(
            hits.Count == 0 ? "no-hit" : hits[0].Match.Strength == HitStrength.Hit ? "hit" : "possible-hit",
            query.Kind,
            usable.Count,
            [.. hits.Select(h => new HitResponse(
                h.Filter.OwnerAgencyId,
                agencies.TryGetValue(h.Filter.OwnerAgencyId, out var a) ? a.Code : "?",
                agencies.TryGetValue(h.Filter.OwnerAgencyId, out var b) ? b.Name : "?",
                h.Filter.AgreementId,
                h.Match.Parts,
                HitMatch.Wire(h.Match.Strength)))]);
        var events = new List<AuditEvent>
        {
            actor with
            {
                Action = AuditActions.HitCheck,
                TargetType = AuditTargets.HitFilter,
                Purpose = purpose,
                Detail = $"{query.Kind} '{query.Text}': {response.Result}; {usable.Count} partner filters checked" + (hits.Count > 0 ? $"; {string.Join(", ", response.Hits.Select(h => $"{h.Strength} at {h.AgencyCode}"))}" : string.Empty),
            },
        };
        foreach (var (filter, match) in notifyOwners ? hits : [])
        {
            // Who had the hit, when, under which agreement and how many keys: nothing of the query leaves this node.
            var notice = new HitNoticeMessage(Guid.CreateVersion7(now), filter.AgreementId, filter.RecipientAgencyId, filter.OwnerAgencyId, match.Parts.Count, now);
            if (await outbox.StageForAsync(new AgencyId(filter.OwnerAgencyId), HitNoticeMessage.Type, notice, actor with { Action = "" }, cancellationToken) is { } staged)
            {
                events.Add(staged);
            }
        }

        if (events.Count == 1)
        {
            await filters.AuditAsync(events[0]);
        }
        else
        {
            await filters.SaveAsync(events, cancellationToken);
            outbox.Notify();
        }

        return response;
    }
}
