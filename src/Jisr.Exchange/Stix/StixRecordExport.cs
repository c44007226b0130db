using System.Text.Encodings.Web;
using Jisr.Domain.Agencies;

namespace Jisr.Exchange.Stix;

/// <summary>
/// One record as a STIX 2.1 bundle: a <c>report</c> created by the originator's <c>identity</c>, the record's
/// entities and links as STIX objects and <c>relationship</c>s, every object marked with the record's TLP 2.0 marking
/// and a statement marking that carries its classification and handling code (H1: "not for use in judicial
/// proceedings without the originator's consent"). Jisr's own fields that STIX has no property for travel as
/// <c>x_jisr_</c> custom properties; entity types STIX has no object for become <c>x-jisr-*</c> custom objects.
/// The caller decides what may be exported (this class only maps what it is given).
/// </summary>
public static class StixRecordExport
{
    public const string MediaType = "application/stix+json;version=2.1";

    public static JsonObject Bundle(Record record, Agency originator, IReadOnlyList<Entity> entities)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(originator);
        ArgumentNullException.ThrowIfNull(entities);
        var author = StixIds.For("identity", originator.Id.Value);
        var statement = Statement(record.Marking);
        var markings = new Func<JsonArray>(() => [TlpMarkings.IdOf(record.Marking.Tlp), statement["id"]!.GetValue<string>()]);
        var objects = new JsonArray
        {
            TlpMarkings.Definition(record.Marking.Tlp),
            statement,
            Sdo("identity", originator.Id.Value, originator.CreatedAt, originator.CreatedAt, author, markings(), new JsonObject
            {
                ["name"] = $"{originator.Code} {originator.Name}",
                ["identity_class"] = "organization",
                ["sectors"] = new JsonArray("government-national"),
            }),
        };

        var idOf = new Dictionary<EntityId, string>();
        foreach (var entity in entities)
        {
            var stix = EntityObject(entity, author, markings());
            idOf[entity.Id] = stix["id"]!.GetValue<string>();
            objects.Add(stix);
        }

        foreach (var link in record.Links.Where(l => idOf.ContainsKey(l.FromEntityId) && idOf.ContainsKey(l.ToEntityId)))
        {
            var relationship = Sdo("relationship", link.Id, record.CreatedAt, record.UpdatedAt, author, markings(), new JsonObject
            {
                ["relationship_type"] = EntityVocabulary.LinkTypes[link.Type],
                ["source_ref"] = idOf[link.FromEntityId],
                ["target_ref"] = idOf[link.ToEntityId],
            });
            if (link.ValidFrom is { } from)
            {
                relationship["start_time"] = Timestamp(from.Earliest);
            }

            if (link.ValidTo is { } to && (link.ValidFrom is null || to.Earliest > link.ValidFrom.Earliest))
            {
                relationship["stop_time"] = Timestamp(to.Earliest);
            }

            objects.Add(relationship);
        }

        var refs = new JsonArray([.. objects.Skip(2).Select(o => (JsonNode)o!["id"]!.GetValue<string>())]);
        objects.Add(Sdo("report", record.Id.Value, record.CreatedAt, record.UpdatedAt, author, markings(), ReportProperties(record, refs)));
        return new JsonObject
        {
            ["type"] = "bundle",
            ["id"] = $"bundle--{Guid.NewGuid():D}",
            ["objects"] = objects,
        };
    }

    /// <summary>The bundle as UTF-8 JSON text (Arabic and accented text kept as they are, markup characters escaped).</summary>
    public static string Serialize(JsonObject bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return bundle.ToJsonString(SerializerOptions);
    }

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    private static JsonObject ReportProperties(Record record, JsonArray refs)
    {
        var marking = record.Marking;
        var properties = new JsonObject
        {
            ["name"] = record.Title,
            ["description"] = record.Body,
            ["published"] = Timestamp(record.CreatedAt),
            ["report_types"] = new JsonArray("threat-report"),
            ["object_refs"] = refs,
            ["lang"] = record.Language,
            ["labels"] = new JsonArray([.. record.ThreatDomains.Select(d => (JsonNode)RecordVocabulary.ThreatDomains[d])]),
            ["x_jisr_record_id"] = record.Id.ToString(),
            ["x_jisr_kind"] = RecordVocabulary.Kinds[record.Kind],
            ["x_jisr_legal_basis"] = record.LegalBasis,
            ["x_jisr_purpose"] = record.Purpose,
            ["x_jisr_retention_until"] = Timestamp(record.RetentionUntil),
            ["x_jisr_review_date"] = record.ReviewDate.ToString("O", CultureInfo.InvariantCulture),
            ["x_jisr_source_grading"] = record.SourceGrading.ToString(),
            ["x_jisr_classification"] = Marking.ClassificationNames[marking.Classification],
            ["x_jisr_tlp"] = Marking.TlpNames[marking.Tlp],
            ["x_jisr_handling"] = Marking.HandlingNames[marking.Handling],
            ["x_jisr_not_for_judicial_use_without_consent"] = marking.NotForJudicialUseWithoutConsent,
        };
        if (marking.HandlingNote is { } note)
        {
            properties["x_jisr_handling_note"] = note;
        }

        if (record.Provenance is { } p)
        {
            properties["x_jisr_provenance"] = new JsonObject
            {
                ["release_id"] = p.ReleaseId.ToString(),
                ["releasing_agency_id"] = p.ReleasingAgencyId.ToString(),
                ["released_by_user_id"] = p.ReleasedByUserId.ToString(),
                ["released_at"] = Timestamp(p.ReleasedAt),
                ["agreement_id"] = record.ReleasedUnderAgreementId?.ToString(),
                ["original_record_id"] = p.OriginalRecordId.ToString(),
                ["source_record_id"] = p.SourceRecordId.ToString(),
            };
        }

        return properties;
    }

    /// <summary>Classification and handling as a STIX statement marking (one per distinct statement, so its id is stable).</summary>
    private static JsonObject Statement(Marking marking)
    {
        var text = Marking.ClassificationNames[marking.Classification] + "; " + marking.Handling switch
        {
            HandlingCode.H0 => "H0: for law enforcement purposes only",
            HandlingCode.H1 => "H1: not for use in judicial proceedings without the originator's consent",
            HandlingCode.H2 => "H2: not to be disseminated further without the originator's consent",
            HandlingCode.H3 => $"H3: {marking.HandlingNote}",
        };
        return new JsonObject
        {
            ["type"] = "marking-definition",
            ["spec_version"] = "2.1",
            ["id"] = StixIds.ForName("marking-definition", text),
            ["created"] = "2026-01-01T00:00:00.000Z",
            ["name"] = "Jisr classification and handling",
            ["definition_type"] = "statement",
            ["definition"] = new JsonObject { ["statement"] = text },
        };
    }

    private static JsonObject EntityObject(Entity entity, string author, JsonArray markings)
    {
        JsonObject Custom(JsonObject properties) =>
            Sdo("x-jisr-" + EntityVocabulary.Types[entity.Type], entity.Id.Value, entity.CreatedAt, entity.CreatedAt, author, markings, properties);

        var name = new JsonObject { ["name"] = entity.Label };
        return entity switch
        {
            Person p => Sdo("identity", p.Id.Value, p.CreatedAt, p.CreatedAt, author, markings, With(name,
                ("identity_class", "individual"),
                ("x_jisr_names", new JsonArray([.. p.Names.Select(n => (JsonNode)n.Text)])),
                ("x_jisr_date_of_birth", p.DateOfBirth?.ToString()),
                ("x_jisr_place_of_birth", p.PlaceOfBirth),
                ("x_jisr_nationalities", p.Nationalities.Count == 0 ? null : new JsonArray([.. p.Nationalities.Select(n => (JsonNode)n)])),
                ("x_jisr_identifiers", p.Identifiers.Count == 0 ? null : new JsonArray([.. p.Identifiers.Select(i => (JsonNode)new JsonObject { ["kind"] = i.Kind, ["value"] = i.Value, ["country"] = i.Country })])))),
            Organisation o => Sdo("identity", o.Id.Value, o.CreatedAt, o.CreatedAt, author, markings, With(name,
                ("identity_class", "organization"),
                ("x_jisr_aliases", o.Aliases.Count == 0 ? null : new JsonArray([.. o.Aliases.Select(a => (JsonNode)a)])),
                ("x_jisr_country", o.Country))),

            // STIX requires a location to have a region, a country or coordinates; a name alone stays a Jisr object.
            Location l when l.Country is not null || (l.Latitude is not null && l.Longitude is not null) =>
                Sdo("location", l.Id.Value, l.CreatedAt, l.CreatedAt, author, markings, With(name, ("country", l.Country), ("latitude", l.Latitude), ("longitude", l.Longitude))),
            EmailAddress e => Observable("email-addr", markings, ("value", e.Address)),
            OnlineAccount a => Observable("user-account", markings, ("account_type", a.Platform.ToLowerInvariant()), ("account_login", a.Handle ?? a.Url?.ToString())),
            PhoneNumber ph => Custom(With(name, ("number", ph.Number))),
            IdentityDocument d => Custom(With(name, ("document_kind", IdentityDocument.Kinds[d.DocumentKind]), ("number", d.Number), ("issuing_country", d.IssuingCountry), ("expires_on", d.ExpiresOn?.ToString("O", CultureInfo.InvariantCulture)))),
            Vehicle v => Custom(With(name, ("registration", v.Registration), ("country", v.Country), ("make", v.Make), ("model", v.Model), ("colour", v.Colour))),
            Vessel v => Custom(With(name, ("imo", v.Imo), ("mmsi", v.Mmsi), ("flag", v.Flag))),
            BankAccount b => Custom(With(name, ("iban", b.Iban), ("bic", b.Bic), ("holder", b.Holder))),
            CryptoWallet w => Custom(With(name, ("currency", w.Currency), ("address", w.Address))),
            Event ev => Custom(With(name, ("occurred_on", ev.OccurredOn?.ToString()), ("place", ev.Place))),
            _ => Custom(name),
        };
    }

    /// <summary>A STIX domain or relationship object with the common properties.</summary>
    private static JsonObject Sdo(string type, Guid jisrId, DateTimeOffset created, DateTimeOffset modified, string author, JsonArray markings, JsonObject properties)
    {
        var sdo = Export.StixCommon.Sdo(type, jisrId, created, modified, author, markings);
        foreach (var (key, value) in properties.ToList())
        {
            properties.Remove(key);
            sdo[key] = value;
        }

        return sdo;
    }

    /// <summary>A cyber-observable with its deterministic id (its properties are its id-contributing ones).</summary>
    private static JsonObject Observable(string type, JsonArray markings, params (string Name, string? Value)[] properties)
    {
        var contributing = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in properties)
        {
            if (value is not null)
            {
                contributing[name] = value;
            }
        }

        var observable = new JsonObject
        {
            ["type"] = type,
            ["spec_version"] = "2.1",
            ["id"] = StixIds.ForObservable(type, JsonSerializer.Serialize(contributing, CanonicalOptions)),
            ["object_marking_refs"] = markings,
        };
        foreach (var (name, value) in contributing)
        {
            observable[name] = value;
        }

        return observable;
    }

    /// <summary>Close enough to RFC 8785 for string-valued objects: sorted keys, no whitespace, no needless escapes.</summary>
    private static readonly JsonSerializerOptions CanonicalOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonObject With(JsonObject properties, params (string Name, object? Value)[] extra)
    {
        foreach (var (key, value) in extra)
        {
            switch (value)
            {
                case null:
                    break;
                case JsonNode node:
                    properties[key] = node;
                    break;
                case string text:
                    properties[key] = text;
                    break;
                case double number:
                    properties[key] = number;
                    break;
                default:
                    throw new ArgumentException($"unsupported value for {key}", nameof(extra));
            }
        }

        return properties;
    }

    private static string Timestamp(DateTimeOffset instant) => Export.StixCommon.Timestamp(instant);

    private static string Timestamp(DateOnly day) => Export.StixCommon.Timestamp(day);
}
