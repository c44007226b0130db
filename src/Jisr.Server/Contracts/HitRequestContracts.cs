using Jisr.Exchange.HitCheck;

namespace Jisr.Server.Contracts;

/// <summary>
/// A formal request after a hit: the partner agency (code) the hit named, optionally the agreement, the query that hit
/// (a name or an identifier <c>KIND:VALUE</c>, one of the two), the legal basis, the handling code the answer must
/// carry (H0-H3) and the urgency (routine, urgent or immediate: 14, 3 or 1 day to answer). The purpose is the
/// request's <c>X-Jisr-Purpose</c> header, as for checks.
/// </summary>
public sealed record HitRequestBody(string? Agency, Guid? Agreement, string? Name, string? Identifier, string? LegalBasis, string? Handling, string? Urgency);

/// <summary>
/// The owner's answer: <c>release</c> with the record to release (through the release path: four-eyes when its marking
/// needs it) and an optional note, or <c>refuse</c> with the reason.
/// </summary>
public sealed record HitReplyBody(string? Decision, Guid? Record, string? Reason);

public sealed record HitRequestAgency(Guid Id, string Code, string Name);

/// <summary>
/// A hit request as either side sees it: <c>direction</c> is <c>sent</c> (your agency asked) or <c>received</c> (your
/// agency owns the data and must answer); who asked, the <c>request</c>'s terms (the query, why, on what basis, handling
/// and urgency: the same terms the requester's node sent the owner's), the state, the deadline and reminders, the answer.
/// </summary>
public sealed record HitRequestResponse(
    Guid Id,
    string Direction,
    string Status,
    Guid AgreementId,
    HitRequestAgency Requester,
    HitRequestAgency Owner,
    string RequestedBy,
    HitRequestTerms Request,
    DateTimeOffset Deadline,
    bool Overdue,
    int Reminders,
    DateTimeOffset? NextReminderAt,
    bool RateLimited,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Reason,
    Guid? Release,
    Guid? CopyRecord);

/// <summary>
/// What one requester agency asked the caller's agency under one agreement: all, the last day's, by state, refused for
/// rate, overdue; and <c>hits</c>: how many of its checks hit the caller agency's filter (hit notices, with or
/// without a request), <c>hitsLastDay</c> the last day's. <c>lastAt</c>: the latest request or hit notice.
/// </summary>
public sealed record HitRequestTallyResponse(
    HitRequestAgency Requester, Guid AgreementId, int Total, int LastDay, int Open, int ReleasePending, int Released, int Refused, int RateLimited, int Overdue, DateTimeOffset LastAt,
    int Hits, int HitsLastDay);

/// <summary>
/// A hit notice: a check by <c>requester</c> hit the caller agency's filter under the agreement, at <c>checkedAt</c>
/// (the requester node's clock), with <c>keysHit</c> of the query's keys. The query itself never leaves the requester's node.
/// <c>hits</c>: how many hits the row stands for (more than 1 when that partner's hits came over the notice rate and were
/// counted here), the last at <c>lastReceivedAt</c>.
/// </summary>
public sealed record HitNoticeResponse(Guid Id, HitRequestAgency Requester, Guid AgreementId, int KeysHit, DateTimeOffset CheckedAt, DateTimeOffset ReceivedAt, int Hits, DateTimeOffset LastReceivedAt);
