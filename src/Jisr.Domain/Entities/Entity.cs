namespace Jisr.Domain.Entities;

/// <summary>
/// A thing records talk about: a person, an organisation, a phone number... Owned by the agency that
/// first asserted it. <see cref="Label"/> is what lists show; <see cref="Key"/> is the normalised
/// identifier (phone digits, IBAN, e-mail address...) used to find the same thing again, when the type has one.
/// </summary>
public abstract class Entity
{
    public const int MaxLabelLength = 300;

    protected Entity()
    {
        Label = string.Empty;
    }

    protected Entity(AgencyId agencyId, DateTimeOffset now)
    {
        Id = EntityId.New(now);
        AgencyId = agencyId;
        CreatedAt = Instants.Normalize(now);
        Label = string.Empty;
    }

    public EntityId Id { get; private set; }

    public AgencyId AgencyId { get; private set; }

    public abstract EntityType Type { get; }

    public string Label { get; protected set; }

    public string? Key { get; protected set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
