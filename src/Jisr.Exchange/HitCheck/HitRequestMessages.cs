namespace Jisr.Exchange.HitCheck;

/// <summary>
/// What a hit request asks and on what terms, as both nodes and the API show it: the query (its kind and text) and the
/// parts of it that hit, why (purpose) and on what legal basis, the handling code the answer must carry, the urgency,
/// and when it was asked.
/// </summary>
public sealed record HitRequestTerms(
    string QueryKind,
    string Query,
    IReadOnlyList<string> HitParts,
    string Purpose,
    string LegalBasis,
    string Handling,
    string Urgency,
    DateTimeOffset RequestedAt);

/// <summary>
/// <c>hitrequest.open</c>: after a hit, the requester agency's formal request to the owner agency: who asks and the
/// request's <see cref="Terms"/>. The owner's node keeps it under the same id and tells the owner agency. On the wire
/// the terms' members stand beside the ids in one flat object, as nodes have always sent it
/// (<see cref="FlatHitRequestJsonConverter"/>).
/// </summary>
public sealed record HitRequestMessage(
    Guid RequestId,
    Guid AgreementId,
    Guid RequesterAgencyId,
    Guid OwnerAgencyId,
    Guid RequestedBy,
    string RequestedByName,
    HitRequestTerms Terms)
{
    public const string Type = "hitrequest.open";
}

/// <summary>
/// <c>hitrequest.reply</c>: the owner's answer. <paramref name="Status"/> is <c>release-pending</c> (a release awaits its
/// second person), <c>released</c> (with the release and the copy it made on the requester's node) or <c>refused</c>
/// (with the reason; <paramref name="RateLimited"/> when the owner's node refused it for the requester's rate).
/// </summary>
public sealed record HitReplyMessage(
    Guid RequestId,
    string Status,
    Guid? ReleaseId,
    Guid? CopyRecordId,
    Guid OwnerAgencyId,
    Guid? ByUserId,
    string ByName,
    string? Reason,
    bool RateLimited,
    DateTimeOffset At)
{
    public const string Type = "hitrequest.reply";
}
