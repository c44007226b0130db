namespace Jisr.Domain.Entities;

public sealed class Organisation : Entity
{
    private IReadOnlyList<string> _aliases = [];

    private Organisation()
    {
    }

    private Organisation(AgencyId agencyId, DateTimeOffset now)
        : base(agencyId, now)
    {
    }

    public override EntityType Type => EntityType.Organisation;

    public string Name => Label;

    public IReadOnlyList<string> Aliases => _aliases;

    public string? Country { get; private set; }

    public static Organisation Create(AgencyId agencyId, string? name, IReadOnlyList<string> aliases, string? country, DateTimeOffset now)
    {
        Guard.That(aliases.Count <= 50, "aliases", ValidationCodes.TooMany, "at most 50 aliases", 50);
        var organisation = new Organisation(agencyId, now)
        {
            Label = Guard.Text(name, "name", MaxLabelLength),
            Country = country is null ? null : CountryCode.Parse(country, "country", allowInternational: true),
        };
        organisation._aliases = [.. aliases.Select((a, i) => Guard.Text(a, $"aliases[{i}]", MaxLabelLength)).Distinct(StringComparer.Ordinal)];
        return organisation;
    }
}

/// <summary>A place: a named location with an optional country and coordinates.</summary>
public sealed class Location : Entity
{
    private Location()
    {
    }

    private Location(AgencyId agencyId, DateTimeOffset now)
        : base(agencyId, now)
    {
    }

    public override EntityType Type => EntityType.Location;

    public string Name => Label;

    public string? Country { get; private set; }

    public double? Latitude { get; private set; }

    public double? Longitude { get; private set; }

    public static Location Create(AgencyId agencyId, string? name, string? country, double? latitude, double? longitude, DateTimeOffset now)
    {
        Guard.That(latitude is null == longitude is null, "latitude", ValidationCodes.CoordinatesTogether, "latitude and longitude go together");
        Guard.That(latitude is null or (>= -90 and <= 90), "latitude", ValidationCodes.OutOfRange, "must be between -90 and 90", -90, 90);
        Guard.That(longitude is null or (>= -180 and <= 180), "longitude", ValidationCodes.OutOfRange, "must be between -180 and 180", -180, 180);
        return new Location(agencyId, now)
        {
            Label = Guard.Text(name, "name", MaxLabelLength),
            Country = country is null ? null : CountryCode.Parse(country, "country"),
            Latitude = latitude,
            Longitude = longitude,
        };
    }
}

/// <summary>Something that happened: a meeting, a crossing, an attack, a transfer.</summary>
public sealed class Event : Entity
{
    private Event()
    {
    }

    private Event(AgencyId agencyId, DateTimeOffset now)
        : base(agencyId, now)
    {
    }

    public override EntityType Type => EntityType.Event;

    public string Name => Label;

    public PartialDate? OccurredOn { get; private set; }

    public string? Place { get; private set; }

    public static Event Create(AgencyId agencyId, string? name, PartialDate? occurredOn, string? place, DateTimeOffset now)
    {
        if (occurredOn is { } date)
        {
            Guard.That(date.Earliest <= DateOnly.FromDateTime(now.UtcDateTime), "occurredOn", ValidationCodes.InFuture, "cannot be in the future");
        }

        return new Event(agencyId, now)
        {
            Label = Guard.Text(name, "name", MaxLabelLength),
            OccurredOn = occurredOn,
            Place = Guard.OptionalText(place, "place", MaxLabelLength),
        };
    }
}
