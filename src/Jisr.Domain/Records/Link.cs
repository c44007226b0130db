using Jisr.Domain.Entities;

namespace Jisr.Domain.Records;

/// <summary>A link as submitted, before it belongs to a record: two distinct entities, a type, an optional time span.</summary>
public sealed record LinkDraft
{
    private LinkDraft(EntityId fromEntityId, EntityId toEntityId, LinkType type, PartialDate? validFrom, PartialDate? validTo)
    {
        FromEntityId = fromEntityId;
        ToEntityId = toEntityId;
        Type = type;
        ValidFrom = validFrom;
        ValidTo = validTo;
    }

    public EntityId FromEntityId { get; }

    public EntityId ToEntityId { get; }

    public LinkType Type { get; }

    public PartialDate? ValidFrom { get; }

    public PartialDate? ValidTo { get; }

    public static LinkDraft Create(EntityId fromEntityId, EntityId toEntityId, LinkType type, PartialDate? validFrom, PartialDate? validTo, DateTimeOffset now)
    {
        Guard.That(fromEntityId != toEntityId, "to", ValidationCodes.LinkSameEntity, "a link must join two different entities");
        Guard.That(Enum.IsDefined(type), "type", ValidationCodes.UnknownValue, "is not a known link type");
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        Guard.That(validFrom is null || validFrom.Earliest <= today, "validFrom", ValidationCodes.InFuture, "cannot be in the future");
        Guard.That(
            validFrom is null || validTo is null || validFrom.Earliest <= validTo.Earliest,
            "validTo", ValidationCodes.EndBeforeStart,
            "must not be before validFrom");
        return new LinkDraft(fromEntityId, toEntityId, type, validFrom, validTo);
    }
}

/// <summary>A typed relationship between two entities, asserted by one record, with its own time span.</summary>
public sealed class Link
{
    private Link()
    {
    }

    internal Link(RecordId recordId, LinkDraft draft)
        : this(recordId, draft.FromEntityId, draft.ToEntityId, draft.Type, draft.ValidFrom, draft.ValidTo)
    {
    }

    /// <summary>The same assertion made by another record (a release copy).</summary>
    internal Link(RecordId recordId, Link source)
        : this(recordId, source.FromEntityId, source.ToEntityId, source.Type, source.ValidFrom, source.ValidTo)
    {
    }

    private Link(RecordId recordId, EntityId fromEntityId, EntityId toEntityId, LinkType type, PartialDate? validFrom, PartialDate? validTo)
    {
        Id = Guid.CreateVersion7();
        RecordId = recordId;
        FromEntityId = fromEntityId;
        ToEntityId = toEntityId;
        Type = type;
        ValidFrom = validFrom;
        ValidTo = validTo;
    }

    public Guid Id { get; private set; }

    public RecordId RecordId { get; private set; }

    public EntityId FromEntityId { get; private set; }

    public EntityId ToEntityId { get; private set; }

    public LinkType Type { get; private set; }

    public PartialDate? ValidFrom { get; private set; }

    public PartialDate? ValidTo { get; private set; }
}
