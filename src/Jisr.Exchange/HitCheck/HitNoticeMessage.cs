namespace Jisr.Exchange.HitCheck;

/// <summary>
/// <c>hit.notice</c>: a check on the sender's node hit the owner agency's filter. It says only who had the hit
/// (<paramref name="RequesterAgencyId"/>), under which agreement, when, and how many of the query's keys hit: never
/// the query, a name or an identifier (the check stays at home). The data owner always knows that someone found a
/// hit on its data, as in Europol's EIS.
/// </summary>
public sealed record HitNoticeMessage(
    Guid NoticeId,
    Guid AgreementId,
    Guid RequesterAgencyId,
    Guid OwnerAgencyId,
    int KeysHit,
    DateTimeOffset CheckedAt)
{
    public const string Type = "hit.notice";
}
