namespace Jisr.Exchange.Stix.Mapping;

/// <summary>
/// An entity's full description as the Jisr extension carries it (<c>entity</c>: its type and every field), and back:
/// what lets an entity survive a STIX round trip exactly, whatever STIX object it travels as.
/// </summary>
public static class EntityFields
{
    public static JsonObject Of(Entity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var fields = new JsonObject { ["type"] = EntityVocabulary.Types[entity.Type] };
        void Put(string name, string? value)
        {
            if (value is not null)
            {
                fields[name] = value;
            }
        }

        switch (entity)
        {
            case Person p:
                fields["names"] = new JsonArray([.. p.Names.Select(n => (JsonNode)n.Text)]);
                Put("date_of_birth", p.DateOfBirth?.ToString());
                Put("place_of_birth", p.PlaceOfBirth);
                Put("gender", p.Gender == Gender.Unknown ? null : p.Gender.ToString().ToLowerInvariant());
                fields["nationalities"] = new JsonArray([.. p.Nationalities.Select(n => (JsonNode)n)]);
                fields["identifiers"] = new JsonArray([.. p.Identifiers.Select(i => (JsonNode)new JsonObject { ["kind"] = i.Kind, ["value"] = i.Value, ["country"] = i.Country })]);
                break;
            case Organisation o:
                Put("name", o.Name);
                fields["aliases"] = new JsonArray([.. o.Aliases.Select(a => (JsonNode)a)]);
                Put("country", o.Country);
                break;
            case Location l:
                Put("name", l.Name);
                Put("country", l.Country);
                if (l.Latitude is { } lat && l.Longitude is { } lon)
                {
                    fields["latitude"] = lat;
                    fields["longitude"] = lon;
                }

                break;
            case PhoneNumber ph:
                Put("number", ph.Number);
                break;
            case EmailAddress e:
                Put("address", e.Address);
                break;
            case OnlineAccount a:
                Put("platform", a.Platform);
                Put("handle", a.Handle);
                Put("url", a.Url?.ToString());
                break;
            case IdentityDocument d:
                Put("document_kind", IdentityDocument.Kinds[d.DocumentKind]);
                Put("number", d.Number);
                Put("issuing_country", d.IssuingCountry);
                Put("expires_on", d.ExpiresOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case Vehicle v:
                Put("registration", v.Registration);
                Put("country", v.Country);
                Put("make", v.Make);
                Put("model", v.Model);
                Put("colour", v.Colour);
                break;
            case Vessel v:
                Put("name", v.Name);
                Put("imo", v.Imo);
                Put("mmsi", v.Mmsi);
                Put("flag", v.Flag);
                break;
            case BankAccount b:
                Put("iban", b.Iban);
                Put("bic", b.Bic);
                Put("holder", b.Holder);
                break;
            case CryptoWallet w:
                Put("currency", w.Currency);
                Put("address", w.Address);
                break;
            case Event ev:
                Put("name", ev.Name);
                Put("occurred_on", ev.OccurredOn?.ToString());
                Put("place", ev.Place);
                break;
        }

        return fields;
    }

    /// <summary>The entity the fields describe, new and owned by <paramref name="agencyId"/>; the domain validates every field.</summary>
    public static Entity ToEntity(JsonElement fields, AgencyId agencyId, DateTimeOffset now)
    {
        string? S(string name) => fields.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        double? D(string name) => fields.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        IReadOnlyList<string> L(string name) => fields.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)]
            : [];
        var type = EntityVocabulary.Types.Parse(S("type"), "entity.type");
        return type switch
        {
            EntityType.Person => Person.Create(
                agencyId,
                [.. L("names").Select((n, i) => PersonName.Create(n, $"names[{i}]"))],
                S("date_of_birth") is { } dob ? PartialDate.Parse(dob, "dateOfBirth") : null,
                S("place_of_birth"),
                S("gender") switch { "female" => Gender.Female, "male" => Gender.Male, _ => Gender.Unknown },
                L("nationalities"),
                fields.TryGetProperty("identifiers", out var ids) && ids.ValueKind == JsonValueKind.Array
                    ? [.. ids.EnumerateArray().Select((x, i) => PersonIdentifier.Create(Str(x, "kind"), Str(x, "value"), Str(x, "country"), $"identifiers[{i}]"))]
                    : [],
                now),
            EntityType.Organisation => Organisation.Create(agencyId, S("name"), L("aliases"), S("country"), now),
            EntityType.Location => Location.Create(agencyId, S("name"), S("country"), D("latitude"), D("longitude"), now),
            EntityType.Phone => PhoneNumber.Create(agencyId, S("number"), now),
            EntityType.Email => EmailAddress.Create(agencyId, S("address"), now),
            EntityType.OnlineAccount => OnlineAccount.Create(agencyId, S("platform"), S("handle"), S("url"), now),
            EntityType.Document => IdentityDocument.Create(
                agencyId,
                IdentityDocument.Kinds.Parse(S("document_kind"), "documentKind"),
                S("number"),
                S("issuing_country"),
                S("expires_on") is { } exp ? DateOnly.ParseExact(exp, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
                now),
            EntityType.Vehicle => Vehicle.Create(agencyId, S("registration"), S("country"), S("make"), S("model"), S("colour"), now),
            EntityType.Vessel => Vessel.Create(agencyId, S("name"), S("imo"), S("mmsi"), S("flag"), now),
            EntityType.BankAccount => BankAccount.Create(agencyId, S("iban"), S("bic"), S("holder"), now),
            EntityType.CryptoWallet => CryptoWallet.Create(agencyId, S("currency"), S("address"), now),
            EntityType.Event => Event.Create(agencyId, S("name"), S("occurred_on") is { } on ? PartialDate.Parse(on, "occurredOn") : null, S("place"), now),
            _ => throw DomainValidationException.Coded("entity.type", ValidationCodes.UnknownValue, "is not a known entity type"),
        };
    }

    private static string? Str(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
