namespace Jisr.Server.Web.Pages.Records;

/// <summary>
/// The attributes of an entity other than a person that the edit form lets a user change in place, as text: the
/// stored values (<see cref="Values"/>) and the API's entity request that asserts the changed entity in the old one's
/// place (<see cref="Changed"/>). Lists (an organisation's aliases) and a document's kind are carried over unchanged.
/// The request goes through the same <see cref="RecordService.UpdateAsync"/>, policy, validation and audit as the API's
/// <c>PUT /api/v1/records/{id}</c>.
/// </summary>
public static class EntityFields
{
    /// <summary>Every attribute name this form may show, for placing an error beside its field.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "country", "latitude", "longitude", "number", "address", "platform", "handle", "url", "issuingCountry",
        "expiresOn", "registration", "make", "model", "colour", "imo", "mmsi", "flag", "iban", "bic", "holder", "currency",
        "occurredOn", "place",
    };

    /// <summary>The entity's editable attributes in the form's order, with their stored values (empty when unset); null for a person.</summary>
    public static Dictionary<string, string?>? Values(Entity entity) => entity switch
    {
        Organisation o => new() { ["name"] = o.Label, ["country"] = o.Country },
        Location l => new() { ["name"] = l.Label, ["country"] = l.Country, ["latitude"] = Number(l.Latitude), ["longitude"] = Number(l.Longitude) },
        PhoneNumber p => new() { ["number"] = p.Label },
        EmailAddress e => new() { ["address"] = e.Label },
        OnlineAccount a => new() { ["platform"] = a.Platform, ["handle"] = a.Handle, ["url"] = a.Url?.ToString() },
        IdentityDocument d => new() { ["number"] = d.Number, ["issuingCountry"] = d.IssuingCountry, ["expiresOn"] = d.ExpiresOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
        Vehicle v => new() { ["registration"] = v.Label, ["country"] = v.Country, ["make"] = v.Make, ["model"] = v.Model, ["colour"] = v.Colour },
        Vessel v => new() { ["name"] = v.Label, ["imo"] = v.Imo, ["mmsi"] = v.Mmsi, ["flag"] = v.Flag },
        BankAccount b => new() { ["iban"] = b.Label, ["bic"] = b.Bic, ["holder"] = b.Holder },
        CryptoWallet w => new() { ["currency"] = w.Currency, ["address"] = w.Label },
        Event e => new() { ["name"] = e.Label, ["occurredOn"] = e.OccurredOn?.ToString(), ["place"] = e.Place },
        _ => null,
    };

    /// <summary>
    /// The request for the entity with the form's values, asserted in the old one's place (its ref is the old id, so
    /// the record's links to it follow); null when nothing changed (the record keeps the stored entity).
    /// </summary>
    public static EntityRequest? Changed(Entity entity, IReadOnlyDictionary<string, string?>? form)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (form is null || Values(entity) is not { } stored)
        {
            return null;
        }

        var values = stored.Keys.ToDictionary(k => k, k => Clean(form.GetValueOrDefault(k)), StringComparer.Ordinal);
        if (values.All(v => v.Value == Clean(stored[v.Key])))
        {
            return null;
        }

        string? V(string name) => values.GetValueOrDefault(name);
        var request = new EntityRequest { Ref = entity.Id.Value.ToString(), Type = EntityVocabulary.Types[entity.Type] };
        return entity switch
        {
            Organisation o => request with { Name = V("name"), Country = V("country"), Aliases = o.Aliases.Count == 0 ? null : o.Aliases },
            Location => request with { Name = V("name"), Country = V("country"), Latitude = Coordinate(V("latitude"), "latitude"), Longitude = Coordinate(V("longitude"), "longitude") },
            PhoneNumber => request with { Number = V("number") },
            EmailAddress => request with { Address = V("address") },
            OnlineAccount => request with { Platform = V("platform"), Handle = V("handle"), Url = V("url") },
            IdentityDocument d => request with
            {
                DocumentKind = IdentityDocument.Kinds[d.DocumentKind],
                Number = V("number"),
                IssuingCountry = V("issuingCountry"),
                ExpiresOn = V("expiresOn") is { } on ? Date(on, "expiresOn") : null,
            },
            Vehicle => request with { Registration = V("registration"), Country = V("country"), Make = V("make"), Model = V("model"), Colour = V("colour") },
            Vessel => request with { Name = V("name"), Imo = V("imo"), Mmsi = V("mmsi"), Flag = V("flag") },
            BankAccount => request with { Iban = V("iban"), Bic = V("bic"), Holder = V("holder") },
            CryptoWallet => request with { Currency = V("currency"), Address = V("address") },
            Event => request with { Name = V("name"), OccurredOn = V("occurredOn"), Place = V("place") },
            _ => null,
        };
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A coordinate as typed: a point or a comma before the decimals, as people write it in either language.</summary>
    private static double? Coordinate(string? text, string field) =>
        text is null ? null
        : double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw DomainValidationException.Coded(field, ValidationCodes.NotANumber, $"'{text}' is not a number (e.g. 33.57)", text);

    private static DateOnly Date(string text, string field) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw DomainValidationException.Coded(field, ValidationCodes.NotADate, $"'{text}' is not a date (YYYY-MM-DD)", text);
}
