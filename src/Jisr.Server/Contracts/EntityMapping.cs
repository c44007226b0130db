namespace Jisr.Server.Contracts;

/// <summary>Entity requests to domain entities and domain entities to responses; the only place that knows both shapes.</summary>
public static class EntityMapping
{
    private static readonly WireNames<Gender> Genders = new((Gender.Unknown, "unknown"), (Gender.Female, "female"), (Gender.Male, "male"));

    private static readonly Dictionary<EntityType, string[]> AllowedAttributes = new()
    {
        [EntityType.Person] = ["names", "dateOfBirth", "placeOfBirth", "gender", "nationalities", "identifiers"],
        [EntityType.Organisation] = ["name", "aliases", "country"],
        [EntityType.Location] = ["name", "country", "latitude", "longitude"],
        [EntityType.Phone] = ["number"],
        [EntityType.Email] = ["address"],
        [EntityType.OnlineAccount] = ["platform", "handle", "url"],
        [EntityType.Document] = ["documentKind", "number", "issuingCountry", "expiresOn"],
        [EntityType.Vehicle] = ["registration", "country", "make", "model", "colour"],
        [EntityType.Vessel] = ["name", "imo", "mmsi", "flag"],
        [EntityType.BankAccount] = ["iban", "bic", "holder"],
        [EntityType.CryptoWallet] = ["currency", "address"],
        [EntityType.Event] = ["name", "occurredOn", "place"],
    };

    /// <summary>Builds a new entity from a request; errors name the field relative to the entity (the caller adds <c>entities[i]</c>).</summary>
    public static Entity ToDomain(EntityRequest request, AgencyId agencyId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var type = EntityVocabulary.Types.Parse(request.Type, "type");
        var allowed = AllowedAttributes[type];
        foreach (var (name, isSet) in SetAttributes(request))
        {
            Guard.That(!isSet || allowed.Contains(name), name, ValidationCodes.NotAnAttribute, $"is not an attribute of a {EntityVocabulary.Types[type]} (it has: {string.Join(", ", allowed)})", EntityVocabulary.Types[type], string.Join(", ", allowed));
        }

        return type switch
        {
            EntityType.Person => Person.Create(
                agencyId,
                [.. (request.Names ?? []).Select((n, i) => PersonName.Create(n, $"names[{i}]"))],
                request.DateOfBirth is null ? null : PartialDate.Parse(request.DateOfBirth, "dateOfBirth"),
                request.PlaceOfBirth,
                request.Gender is null ? Gender.Unknown : Genders.Parse(request.Gender, "gender"),
                request.Nationalities ?? [],
                [.. (request.Identifiers ?? []).Select((d, i) => PersonIdentifier.Create(d?.Kind, d?.Value, d?.Country, $"identifiers[{i}]"))],
                now),
            EntityType.Organisation => Organisation.Create(agencyId, request.Name, request.Aliases ?? [], request.Country, now),
            EntityType.Location => Location.Create(agencyId, request.Name, request.Country, request.Latitude, request.Longitude, now),
            EntityType.Phone => PhoneNumber.Create(agencyId, request.Number, now),
            EntityType.Email => EmailAddress.Create(agencyId, request.Address, now),
            EntityType.OnlineAccount => OnlineAccount.Create(agencyId, request.Platform, request.Handle, request.Url, now),
            EntityType.Document => IdentityDocument.Create(
                agencyId, IdentityDocument.Kinds.Parse(request.DocumentKind, "documentKind"), request.Number, request.IssuingCountry, request.ExpiresOn, now),
            EntityType.Vehicle => Vehicle.Create(agencyId, request.Registration, request.Country, request.Make, request.Model, request.Colour, now),
            EntityType.Vessel => Vessel.Create(agencyId, request.Name, request.Imo, request.Mmsi, request.Flag, now),
            EntityType.BankAccount => BankAccount.Create(agencyId, request.Iban, request.Bic, request.Holder, now),
            EntityType.CryptoWallet => CryptoWallet.Create(agencyId, request.Currency, request.Address, now),
            EntityType.Event => Event.Create(agencyId, request.Name, request.OccurredOn is null ? null : PartialDate.Parse(request.OccurredOn, "occurredOn"), request.Place, now),
        };
    }

    public static EntityResponse ToResponse(Entity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var response = new EntityResponse
        {
            Id = entity.Id.Value,
            Type = EntityVocabulary.Types[entity.Type],
            Label = entity.Label,
            Key = entity.Key,
        };
        return entity switch
        {
            Person p => response with
            {
                Names = [.. p.Names.Select(n => new NameResponse(n.Text, n.Script.ToString().ToLowerInvariant()))],
                DateOfBirth = p.DateOfBirth?.ToString(),
                PlaceOfBirth = p.PlaceOfBirth,
                Gender = Genders[p.Gender],
                Nationalities = p.Nationalities,
                Identifiers = [.. p.Identifiers.Select(i => new IdentifierDto(i.Kind, i.Value, i.Country))],
            },
            Organisation o => response with { Aliases = o.Aliases, Country = o.Country },
            Location l => response with { Country = l.Country, Latitude = l.Latitude, Longitude = l.Longitude },
            OnlineAccount a => response with { Platform = a.Platform, Handle = a.Handle, Url = a.Url?.ToString() },
            IdentityDocument d => response with
            {
                DocumentKind = IdentityDocument.Kinds[d.DocumentKind],
                Number = d.Number,
                IssuingCountry = d.IssuingCountry,
                ExpiresOn = d.ExpiresOn,
            },
            Vehicle v => response with { Country = v.Country, Make = v.Make, Model = v.Model, Colour = v.Colour },
            Vessel v => response with { Imo = v.Imo, Mmsi = v.Mmsi, Flag = v.Flag },
            BankAccount b => response with { Bic = b.Bic, Holder = b.Holder },
            CryptoWallet w => response with { Currency = w.Currency },
            Event e => response with { OccurredOn = e.OccurredOn?.ToString(), Place = e.Place },
            _ => response,
        };
    }

    private static IEnumerable<(string Name, bool IsSet)> SetAttributes(EntityRequest r) =>
    [
        ("names", r.Names is not null), ("dateOfBirth", r.DateOfBirth is not null), ("placeOfBirth", r.PlaceOfBirth is not null),
        ("gender", r.Gender is not null), ("nationalities", r.Nationalities is not null), ("identifiers", r.Identifiers is not null),
        ("name", r.Name is not null), ("aliases", r.Aliases is not null), ("country", r.Country is not null),
        ("latitude", r.Latitude is not null), ("longitude", r.Longitude is not null), ("number", r.Number is not null),
        ("address", r.Address is not null), ("platform", r.Platform is not null), ("handle", r.Handle is not null),
        ("url", r.Url is not null), ("documentKind", r.DocumentKind is not null), ("issuingCountry", r.IssuingCountry is not null),
        ("expiresOn", r.ExpiresOn is not null), ("registration", r.Registration is not null), ("make", r.Make is not null),
        ("model", r.Model is not null), ("colour", r.Colour is not null), ("imo", r.Imo is not null), ("mmsi", r.Mmsi is not null),
        ("flag", r.Flag is not null), ("iban", r.Iban is not null), ("bic", r.Bic is not null), ("holder", r.Holder is not null),
        ("currency", r.Currency is not null), ("occurredOn", r.OccurredOn is not null), ("place", r.Place is not null),
    ];
}
