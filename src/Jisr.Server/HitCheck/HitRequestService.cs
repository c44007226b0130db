using Jisr.Exchange.HitCheck;
using Jisr.Server.Federation;
using Jisr.Storage.HitCheck;

namespace Jisr.Server.HitCheck;

/// <summary>
/// Formal requests after a hit, on both sides. The requester opens one only for a query that hits the owner's filter
/// now (checked again here, audited as a check); it travels as a signed <c>hitrequest.open</c> message committed with it.
/// The owner's liaison officer answers with a release (the release path, four-eyes included) or a refusal; the answer
/// travels back as <c>hitrequest.reply</c>. Every decision is the policy's; every step is audited on the node where it happens.
/// </summary>
public sealed class HitRequestService(
    HitRequestStore store, HitCheckService checks, HitFilterStore filters, FederationStore federation, Federation.FederationOutbox outbox, ReleaseService releases, AgencyNames names, TimeProvider time)
{
    public const string NodeActor = "node:hit-requests";

    /// <summary>
    /// How the note of a release made to answer a request begins (then the request's id): the release and the request
    /// commit in two transactions, and a release whose request does not record it yet is found by it and taken as the
    /// answer (<see cref="RecoverAnswersAsync"/>), so a stop between the two loses no answer and makes no second release.
    /// </summary>
    public const string AnswerNotePrefix = "answer to hit request ";

    public async Task<Outcome<HitRequestResponse>> OpenAsync(Principal caller, HitRequestBody body, string purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(body);
        if (Refusal.Of(AccessPolicy.CanCheckHits(caller), "hit request") is { } refused)
        {
            return refused;
        }

        var query = HitCheckService.Query(body.Name, body.Identifier);
        var owner = await names.PartnerAsync(body.Agency, caller.AgencyId, "agency", cancellationToken);
        var handling = Marking.HandlingNames.Parse(Domain.Common.Guard.Text(body.Handling, "handling", 8), "handling");
        var urgency = string.IsNullOrWhiteSpace(body.Urgency) ? HitRequestUrgency.Routine : HitRequest.UrgencyNames.Parse(body.Urgency, "urgency");
        var legalBasis = Domain.Common.Guard.Text(body.LegalBasis, "legalBasis", 500);

        // A request follows a hit: the query is checked again against the owner's filter as it is here now.
        var actor = new AuditEvent(AuditActions.HitCheck, caller.UserId, caller.UserName, caller.AgencyId);
        var check = await checks.CheckAsync(actor, [caller.AgencyId], query, purpose, cancellationToken, notifyOwners: false);
        var hit = check.Hits.FirstOrDefault(h => h.AgencyId == owner.Value && (body.Agreement is null || h.AgreementId == body.Agreement));
        var agreementId = new AgreementId(hit?.AgreementId ?? body.Agreement ?? Guid.Empty);
        var agreement = await federation.FindAgreementAsync(agreementId, cancellationToken);
        if (agreement is null && hit is null)
        {
            agreement = (await filters.ReceivedForAsync(caller.AgencyId, cancellationToken)).Select(f => f.Agreement).FirstOrDefault(a => a.IsParty(owner));
        }

        var now = time.GetUtcNow();
        if (Refusal.Of(AccessPolicy.CanOpenHitRequest(caller, owner, agreement, hit is not null, now), "hit request") is { } denied)
        {
            return denied;
        }

        var request = HitRequest.Open(agreement!.Id, caller.AgencyId, owner, caller.UserId, caller.UserName, query.Kind, query.Text, hit!.Parts, purpose, legalBasis, handling, urgency, now);
        var message = new HitRequestMessage(
            request.Id, request.AgreementId.Value, request.RequesterAgencyId.Value, request.OwnerAgencyId.Value, request.RequestedBy.Value, request.RequestedByName, Terms(request, hit.Parts));
        var staged = await outbox.StageForAsync(owner, HitRequestMessage.Type, message, Actor(caller), cancellationToken);
        if (staged is null)
        {
            return Refusal.Conflict("that agency is hosted on this node: hit requests go to partners on other nodes");
        }

        await store.AddAsync(request, [Event(AuditActions.HitRequestOpen, Actor(caller), caller.AgencyId, request, $"to agency {owner.Value:D}") with { Purpose = purpose }, staged], cancellationToken);
        outbox.Notify();
        return await ResponseAsync(caller.AgencyId, request, now, cancellationToken);
    }

    /// <summary>The requests the caller sees, newest first, a page of <paramref name="limit"/> (default and most 500) after <paramref name="offset"/>.</summary>
    public async Task<List<HitRequestResponse>> ListAsync(Principal caller, string? status, CancellationToken cancellationToken, int? offset = null, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        HitRequestStatus? wanted = string.IsNullOrWhiteSpace(status) ? null : HitRequest.StatusNames.Parse(status, "status");
        var (skip, take) = Page(offset, limit);
        var now = time.GetUtcNow();
        var list = new List<HitRequestResponse>();
        foreach (var request in await store.ListAsync(caller, wanted, skip, take, cancellationToken))
        {
            list.Add(await ResponseAsync(caller.AgencyId, request, now, cancellationToken));
        }

        return list;
    }

    public async Task<Outcome<HitRequestResponse>> ReadAsync(Principal caller, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await store.ReadAsync(caller, id, cancellationToken) is { } request
            ? await ResponseAsync(caller.AgencyId, request, time.GetUtcNow(), cancellationToken)
            : Refusal.NotFound($"hit request {id}");
    }

    /// <summary>What partners asked the caller's agency, per requester and agreement (liaison officers, legal reviewers, administrators).</summary>
    public async Task<Outcome<List<HitRequestTallyResponse>>> TallyAsync(Principal caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (Refusal.Of(AccessPolicy.CanSeeHitNotices(caller), "hit request tally") is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        var tallies = (await store.TallyForOwnerAsync(caller, now, cancellationToken)).ToDictionary(t => (t.RequesterAgencyId, t.AgreementId));
        var notices = (await store.NoticeTallyForOwnerAsync(caller, now, cancellationToken)).ToDictionary(n => (n.RequesterAgencyId, n.AgreementId));
        var pairs = tallies.Keys.Union(notices.Keys).ToList();
        var agencies = await AgenciesAsync(pairs.Select(p => p.RequesterAgencyId), cancellationToken);
        return pairs.Select(p =>
            {
                var t = tallies.GetValueOrDefault(p) ?? new HitRequestTally(p.RequesterAgencyId, p.AgreementId, 0, 0, 0, 0, 0, 0, 0, 0, DateTimeOffset.MinValue);
                var n = notices.GetValueOrDefault(p) ?? new HitNoticeTally(p.RequesterAgencyId, p.AgreementId, 0, 0, DateTimeOffset.MinValue);
                return new HitRequestTallyResponse(
                    Agency(agencies, p.RequesterAgencyId), p.AgreementId.Value, t.Total, t.LastDay, t.Open, t.ReleasePending, t.Released, t.Refused, t.RateLimited, t.Overdue,
                    t.LastAt > n.LastAt ? t.LastAt : n.LastAt, n.Hits, n.LastDay);
            })
            .OrderByDescending(t => t.LastDay + t.HitsLastDay).ThenByDescending(t => t.Total + t.Hits).ToList();
    }

    /// <summary>
    /// The hit notices of the caller's agency, newest first: which partner's checks hit its filter, when, under which
    /// agreement (liaison officers, legal reviewers, administrators; never the query, which stays with the partner).
    /// </summary>
    public async Task<Outcome<List<HitNoticeResponse>>> NoticesAsync(Principal caller, CancellationToken cancellationToken, int? offset = null, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (Refusal.Of(AccessPolicy.CanSeeHitNotices(caller), "hit notices") is { } refused)
        {
            return refused;
        }

        var (skip, take) = Page(offset, limit);
        var notices = await store.NoticesForOwnerAsync(caller, skip, take, cancellationToken);
        var agencies = await AgenciesAsync(notices.Select(n => new AgencyId(n.RequesterAgencyId)), cancellationToken);
        return notices.Select(n => new HitNoticeResponse(n.Id, Agency(agencies, new AgencyId(n.RequesterAgencyId)), n.AgreementId, n.KeysHit, n.CheckedAt, n.ReceivedAt, n.Hits, n.LastReceivedAt ?? n.ReceivedAt)).ToList();
    }

    /// <summary>A page's bounds: <c>offset</c> 0 or more, <c>limit</c> 1 to 500 (500 when not given).</summary>
    private static (int Offset, int Limit) Page(int? offset, int? limit)
    {
        Guard.That(offset is null or >= 0, "offset", ValidationCodes.OutOfRange, "must be 0 or more: how many of the newest to skip", 0, int.MaxValue);
        Guard.That(limit is null or (>= 1 and <= HitRequestStore.MaxListSize), "limit", ValidationCodes.OutOfRange, $"must be 1 to {HitRequestStore.MaxListSize}", 1, HitRequestStore.MaxListSize);

        return (offset ?? 0, limit ?? HitRequestStore.MaxListSize);
    }

    /// <summary>
    /// The owner's liaison officer answers: a release of <see cref="HitReplyBody.Record"/> to the requester under the
    /// request's agreement (released at once, or awaiting its second person), or a refusal with a reason.
    /// </summary>
    public async Task<Outcome<HitRequestResponse>> ReplyAsync(Principal caller, Guid id, HitReplyBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(body);
        var request = await store.FindAsync(caller, id, cancellationToken);
        if (request is null)
        {
            return Refusal.NotFound($"hit request {id}");
        }

        if (Refusal.Of(AccessPolicy.CanAnswerHitRequest(caller, request), $"hit request {id}") is { } refused)
        {
            return refused;
        }

        // An answer whose release committed but whose request did not (the node stopped between the two): taken now.
        if (request.Status == HitRequestStatus.Open && await RecoverAnswersAsync([request], Actor(caller), cancellationToken) > 0)
        {
            return Refusal.Conflict($"this hit request was answered already with release {request.ReleaseId?.Value:D}");
        }

        var release = Domain.Common.Guard.Text(body.Decision, "decision", 16) switch
        {
            "release" => true,
            "refuse" => false,
            _ => throw DomainValidationException.Coded("decision", ValidationCodes.MustBeOneOf, "must be 'release' or 'refuse'", "release, refuse"),
        };
        if (!HitRequest.Transitions.Allows(request.Status, release ? HitRequestAction.Release : HitRequestAction.Refuse) || request.Status != HitRequestStatus.Open)
        {
            return Refusal.Conflict($"this hit request is {HitRequest.StatusNames[request.Status]}: it was answered already");
        }

        var now = time.GetUtcNow();
        if (!release)
        {
            request.Refuse(caller.UserId, caller.UserName, body.Reason, now);
        }
        else
        {
            if (body.Record is not { } recordId)
            {
                throw DomainValidationException.Coded("record", ValidationCodes.Required, "give the record to release to the requester (or refuse with a reason)");
            }

            var requester = (await filters.AgenciesAsync([request.RequesterAgencyId], cancellationToken)).FirstOrDefault()
                ?? throw new DomainStateException("the requester agency is not known on this node");
            var made = await releases.RequestAsync(
                caller, recordId, new ReleaseRequest(requester.Code, request.AgreementId.Value, null, $"{AnswerNotePrefix}{request.Id:D}" + (string.IsNullOrWhiteSpace(body.Reason) ? string.Empty : $": {body.Reason}")), cancellationToken);
            if (made.Refusal is { } notReleased)
            {
                return notReleased;
            }

            var made2 = made.Value!;
            if (made2.Status == ReleaseStatus.AwaitingApproval)
            {
                request.AwaitRelease(made2.Id, caller.UserId, caller.UserName, body.Reason, now);
            }
            else
            {
                request.Release(made2.Id, made2.CopyRecordId, caller.UserId, caller.UserName, body.Reason, now);
            }
        }

        await SendAnswerAsync(request, Actor(caller), cancellationToken);
        return await ResponseAsync(caller.AgencyId, request, now, cancellationToken);
    }

    /// <summary>
    /// The node's upkeep on the owner side: answers whose release was decided by its second person since, refusals for
    /// rate not sent yet, and reminders that fell due. Returns how many requests it changed.
    /// </summary>
    public async Task<int> UpkeepAsync(CancellationToken cancellationToken)
    {
        var node = new AuditEvent("", ActorName: NodeActor);
        var now = time.GetUtcNow();
        var changed = await RecoverAnswersAsync(await store.OpenOwnedHereAsync(cancellationToken), node, cancellationToken);
        foreach (var (request, release) in await store.ReleasesDecidedAsync(cancellationToken))
        {
            if (release.Status is ReleaseStatus.Released or ReleaseStatus.Recalled)
            {
                request.Release(release.Id, release.CopyRecordId, release.DecidedBy ?? request.DecidedBy ?? release.RequestedBy, request.DecidedByName ?? NodeActor, null, now);
            }
            else
            {
                request.Refuse(release.DecidedBy, "second person", $"the release was refused by its second person: {release.DecisionReason}", now);
            }

            await SendAnswerAsync(request, node, cancellationToken);
            changed++;
        }

        foreach (var request in await store.AnswersOwedAsync(cancellationToken))
        {
            await SendAnswerAsync(request, node, cancellationToken);
            changed++;
        }

        foreach (var request in (await store.OpenOwnedHereAsync(cancellationToken)).Where(r => r.ReminderDue(now)))
        {
            request.Remind(now);
            await store.SaveAsync(
                [Event(AuditActions.HitRequestRemind, node, request.OwnerAgencyId, request, $"reminder {request.Reminders}: answer due {request.Deadline:u}" + (request.IsOverdue(now) ? " (overdue)" : string.Empty))],
                cancellationToken);
            changed++;
        }

        return changed;
    }

    /// <summary>
    /// Takes as the answer of each open request a release made for it that it does not record (the node stopped
    /// after the release's commit and before the request's): the request follows the release's state and the answer
    /// is sent, audited as recovered. Returns how many it took.
    /// </summary>
    private async Task<int> RecoverAnswersAsync(IReadOnlyList<HitRequest> open, AuditEvent actor, CancellationToken cancellationToken)
    {
        var recovered = 0;
        var now = time.GetUtcNow();
        foreach (var (request, release, byName) in await store.UnrecordedAnswerReleasesAsync([.. open.Where(r => r.Status == HitRequestStatus.Open)], AnswerNotePrefix, cancellationToken))
        {
            var reason = release.Note!.Length > AnswerNotePrefix.Length + 38 ? release.Note[(AnswerNotePrefix.Length + 38)..] : null;
            switch (release.Status)
            {
                case ReleaseStatus.AwaitingApproval:
                    request.AwaitRelease(release.Id, release.RequestedBy, byName, reason, now);
                    break;
                case ReleaseStatus.Released or ReleaseStatus.Recalled:
                    request.Release(release.Id, release.CopyRecordId, release.RequestedBy, byName, reason, now);
                    break;
                default:
                    request.Refuse(release.DecidedBy, "second person", $"the release was refused by its second person: {release.DecisionReason}", now);
                    break;
            }

            await SendAnswerAsync(request, actor, cancellationToken, $"recovered: release {release.Id.Value:D} was made for it before the node stopped");
            recovered++;
        }

        return recovered;
    }

    /// <summary>Stages the answer for the requester's node and saves it with its audit entries, in one transaction.</summary>
    private async Task SendAnswerAsync(HitRequest request, AuditEvent actor, CancellationToken cancellationToken, string? detail = null)
    {
        var reply = new HitReplyMessage(
            request.Id, HitRequest.StatusNames[request.Status], request.ReleaseId?.Value, request.CopyRecordId?.Value, request.OwnerAgencyId.Value,
            request.DecidedBy?.Value, request.DecidedByName ?? NodeActor, request.Reason, request.RateLimited, request.DecidedAt ?? time.GetUtcNow());
        var staged = await outbox.StageForAsync(request.RequesterAgencyId, HitReplyMessage.Type, reply, actor, cancellationToken);
        request.MarkAnswerSent();
        await store.SaveAsync(
            [Event(AuditActions.HitRequestReply, actor, request.OwnerAgencyId, request, $"to agency {request.RequesterAgencyId.Value:D}" + (detail is null ? string.Empty : $"; {detail}")), .. staged is null ? Array.Empty<AuditEvent>() : [staged]],
            cancellationToken);
        outbox.NotifyIfStaged(staged);
    }

    internal static AuditEvent Event(string action, AuditEvent actor, AgencyId agency, HitRequest request, string? detail) => actor with
    {
        Action = action,
        AgencyId = agency,
        TargetType = AuditTargets.HitRequest,
        TargetId = request.Id.ToString("D"),
        Detail = $"agreement {request.AgreementId.Value:D}; requester {request.RequesterAgencyId.Value:D} ({request.RequestedByName}); owner {request.OwnerAgencyId.Value:D}; "
            + $"{request.QueryKind}; purpose={request.Purpose}; legal basis={request.LegalBasis}; {Marking.HandlingNames[request.Handling]}; {HitRequest.UrgencyNames[request.Urgency]}; "
            + $"status={HitRequest.StatusNames[request.Status]}" + (request.Reason is null ? string.Empty : $"; reason={request.Reason}") + (request.ReleaseId is { } r ? $"; release {r.Value:D}" : string.Empty)
            + (detail is null ? string.Empty : $"; {detail}"),
    };

    private static AuditEvent Actor(Principal caller) => new("", caller.UserId, caller.UserName, caller.AgencyId);

    private async Task<HitRequestResponse> ResponseAsync(AgencyId viewer, HitRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agencies = await AgenciesAsync([request.RequesterAgencyId, request.OwnerAgencyId], cancellationToken);
        return new HitRequestResponse(
            request.Id, request.RequesterAgencyId == viewer ? "sent" : "received", HitRequest.StatusNames[request.Status], request.AgreementId.Value,
            Agency(agencies, request.RequesterAgencyId), Agency(agencies, request.OwnerAgencyId), request.RequestedByName,
            Terms(request, request.HitParts.Length == 0 ? [] : request.HitParts.Split("; ")), request.Deadline, request.IsOverdue(now), request.Reminders,
            request.Status == HitRequestStatus.Open ? request.NextReminderAt : null, request.RateLimited, request.DecidedByName, request.DecidedAt, request.Reason,
            request.ReleaseId?.Value, request.CopyRecordId?.Value);
    }

    /// <summary>The request's terms as the wire and the API carry them (names of the handling code and urgency).</summary>
    private static HitRequestTerms Terms(HitRequest request, IReadOnlyList<string> hitParts) => new(
        request.QueryKind, request.Query, hitParts, request.Purpose, request.LegalBasis, Marking.HandlingNames[request.Handling], HitRequest.UrgencyNames[request.Urgency], request.RequestedAt);

    private async Task<Dictionary<AgencyId, Agency>> AgenciesAsync(IEnumerable<AgencyId> ids, CancellationToken cancellationToken) =>
        (await filters.AgenciesAsync([.. ids.Distinct()], cancellationToken)).ToDictionary(a => a.Id);

    private static HitRequestAgency Agency(Dictionary<AgencyId, Agency> agencies, AgencyId id) =>
        agencies.TryGetValue(id, out var a) ? new HitRequestAgency(id.Value, a.Code, a.Name) : new HitRequestAgency(id.Value, "?", "?");
}

/// <summary>The owner side's limits and upkeep.</summary>
public sealed class HitRequestOptions
{
    /// <summary>At most this many hit requests from a partner's node under one agreement within <see cref="RateWindow"/> (default 30 an hour).</summary>
    public int RateLimit { get; set; } = 30;

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// At most this many hit notices from one partner agency under one agreement are kept as rows within
    /// <see cref="NoticeWindow"/> (default 20 a minute); further hits are counted on the latest one.
    /// </summary>
    public int NoticeLimit { get; set; } = 20;

    public TimeSpan NoticeWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often answers owed, releases decided and reminders due are looked for (default 30 s).</summary>
    public TimeSpan UpkeepInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Runs <see cref="HitRequestService.UpkeepAsync"/> every <see cref="HitRequestOptions.UpkeepInterval"/> while federation is set up.</summary>
public sealed partial class HitRequestUpkeep(IServiceScopeFactory scopes, NodeIdentity identity, HitRequestOptions options, TimeProvider time, ILogger<HitRequestUpkeep> log)
    : FederationRounds(scopes, identity, time)
{
    protected override TimeSpan Interval => options.UpkeepInterval;

    protected override Task<int> RunRoundAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<HitRequestService>().UpkeepAsync(cancellationToken);

    protected override void LogDone(int count) => Changed(log, count);

    protected override void LogFailed(Exception exception) => Failed(log, exception);

    [LoggerMessage(LogLevel.Information, "hit requests: {Count} answered, sent or reminded")]
    private static partial void Changed(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "hit request upkeep failed; retried at the next interval")]
    private static partial void Failed(ILogger logger, Exception exception);
}
