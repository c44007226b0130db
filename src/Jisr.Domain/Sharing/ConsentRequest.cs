using Jisr.Domain.Common;
using Jisr.Domain.Records;

namespace Jisr.Domain.Sharing;

public enum ConsentStatus
{
    Pending,
    Granted,
    Refused,
}

/// <summary>
/// Third-party rule: an agency that received a record asks its originator for consent to pass it on to a third
/// agency. Only the originator grants or refuses; a granted consent allows releasing that copy to that agency.
/// </summary>
public sealed class ConsentRequest
{
    public const int MaxTextLength = 1000;

    public static readonly WireNames<ConsentStatus> StatusNames = new(
        (ConsentStatus.Pending, "pending"),
        (ConsentStatus.Granted, "granted"),
        (ConsentStatus.Refused, "refused"));

    private ConsentRequest()
    {
    }

    public ConsentId Id { get; private set; }

    /// <summary>The release copy the requesting agency holds and wants to pass on.</summary>
    public RecordId RecordId { get; private set; }

    /// <summary>The originator's own record the copy came from.</summary>
    public RecordId OriginalRecordId { get; private set; }

    public AgencyId OriginatorAgencyId { get; private set; }

    public AgencyId RequesterAgencyId { get; private set; }

    /// <summary>The third agency the requester wants to pass the record on to.</summary>
    public AgencyId TargetAgencyId { get; private set; }

    public UserId RequestedBy { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public string? Note { get; private set; }

    public ConsentStatus Status { get; private set; }

    public UserId? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? DecisionReason { get; private set; }

    public static ConsentRequest Request(Record copy, AgencyId targetAgencyId, UserId requestedBy, string? note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(copy);
        if (copy.Provenance is not { } provenance)
        {
            throw new DomainStateException("your agency is this record's originator: it needs no one's consent to release it");
        }

        Guard.That(targetAgencyId != copy.OriginatorAgencyId, "agency", "is the record's originator, which already holds it");
        Guard.That(targetAgencyId != copy.HolderAgencyId, "agency", "is your own agency");
        return new ConsentRequest
        {
            Id = ConsentId.New(now),
            RecordId = copy.Id,
            OriginalRecordId = provenance.OriginalRecordId,
            OriginatorAgencyId = copy.OriginatorAgencyId,
            RequesterAgencyId = copy.HolderAgencyId,
            TargetAgencyId = targetAgencyId,
            RequestedBy = requestedBy,
            RequestedAt = Instants.Normalize(now),
            Note = Guard.OptionalText(note, "note", MaxTextLength),
            Status = ConsentStatus.Pending,
        };
    }

    public void Grant(UserId userId, string? reason, DateTimeOffset now) =>
        Decide(ConsentStatus.Granted, userId, Guard.OptionalText(reason, "reason", MaxTextLength), now);

    public void Refuse(UserId userId, string? reason, DateTimeOffset now) =>
        Decide(ConsentStatus.Refused, userId, Guard.Text(reason, "reason", MaxTextLength), now);

    private void Decide(ConsentStatus outcome, UserId userId, string? reason, DateTimeOffset now)
    {
        if (Status != ConsentStatus.Pending)
        {
            throw new DomainStateException($"this consent request has already been {StatusNames[Status]}: it cannot be decided again");
        }

        Status = outcome;
        DecidedBy = userId;
        DecidedAt = Instants.Normalize(now);
        DecisionReason = reason;
    }
}
