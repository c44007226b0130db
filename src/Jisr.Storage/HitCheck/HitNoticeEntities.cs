namespace Jisr.Storage.HitCheck;

/// <summary>
/// On the owner's node: a partner's check hit the owner agency's filter. Who had the hit, under which agreement,
/// when, and how many of the query's keys hit; never the query (it stays on the checking node).
/// </summary>
public sealed class HitNotice
{
    /// <summary>The id the checking node gave the notice (a notice received twice is kept once).</summary>
    public Guid Id { get; set; }

    public Guid AgreementId { get; set; }

    public Guid RequesterAgencyId { get; set; }

    public Guid OwnerAgencyId { get; set; }

    public int KeysHit { get; set; }

    /// <summary>When the check was made, by the checking node's clock.</summary>
    public DateTimeOffset CheckedAt { get; set; }

    /// <summary>When it arrived here, by this node's clock.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The federation message that carried it (its signed envelope is in the inbox).</summary>
    public Guid MessageId { get; set; }

    /// <summary>
    /// How many hits this row stands for: 1, or more when hits from the same partner under the same agreement came
    /// over the notice rate and were counted here (<see cref="AccessPolicy.WithinHitNoticeRate"/>).
    /// </summary>
    public int Hits { get; set; } = 1;

    /// <summary>When the last hit counted on this row arrived (null: only the first).</summary>
    public DateTimeOffset? LastReceivedAt { get; set; }
}

/// <summary>The hit notices one requester agency's checks produced on the owner agency's data under one agreement.</summary>
public sealed record HitNoticeTally(AgencyId RequesterAgencyId, AgreementId AgreementId, int Hits, int LastDay, DateTimeOffset LastAt);
