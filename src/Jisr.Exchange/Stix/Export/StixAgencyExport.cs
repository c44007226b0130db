using System.Text.Encodings.Web;
using Jisr.Domain.Agencies;
using Jisr.Exchange.Stix.Mapping;
using Jisr.Exchange.Stix.Validation;

namespace Jisr.Exchange.Stix.Export;

/// <summary>What one agency's export holds: its records with their entities, and what it received in STIX.</summary>
/// <param name="ReceivedIds">Jisr ids (records and entities) that came from STIX, with the id they came as: they go out as received.</param>
public sealed record StixExportInput(
    Agency Agency,
    IReadOnlyList<Record> Records,
    IReadOnlyDictionary<EntityId, Entity> Entities,
    IReadOnlyDictionary<Guid, string> ReceivedIds,
    IAsyncEnumerable<ReceivedStixObject> Received);

public sealed record StixExportCounts(int Objects, int Records, int Entities, int Links, int AsReceived)
{
    public override string ToString() => $"{Objects} objects: {Records} records, {Entities} entities, {Links} links, {AsReceived} as received";
}

/// <summary>
/// An agency's records as one STIX 2.1 bundle, written as it goes (never the whole bundle in memory):
/// records as <c>report</c>s, persons and organisations as <c>identity</c>, places as <c>location</c>, phones, e-mails,
/// wallets and online accounts as <c>indicator</c>s with STIX patterns, other entities as <c>x-jisr-*</c> objects, links
/// as <c>relationship</c>s; every object marked TLP 2.0, and Jisr's extension carrying what STIX has no property for.
/// What the agency received in STIX goes out exactly as it came (custom properties and unknown types included).
/// The caller decides what the agency may export; this class maps what it is given.
/// </summary>
public static class StixAgencyExport
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public static async Task<StixExportCounts> WriteAsync(Stream output, StixExportInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(input);
        await using var writer = new Utf8JsonWriter(output, WriterOptions);
        var plan = Plan(input.Agency, input.Records, input.Entities, input.ReceivedIds);
        writer.WriteStartObject();
        writer.WriteString("type", "bundle");
        writer.WriteString("id", $"bundle--{Guid.NewGuid():D}");
        writer.WriteStartArray("objects");
        foreach (var planned in plan.Objects)
        {
            planned.Make().WriteTo(writer);
            if (writer.BytesPending > 1 << 20)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        var emitted = plan.Objects.Select(o => o.Id + "|" + o.Modified).ToHashSet(StringComparer.Ordinal);
        var asReceived = 0;
        await foreach (var received in input.Received.WithCancellation(cancellationToken))
        {
            if (received.Json.Length == 0 || !emitted.Add(received.StixId + "|" + received.Modified))
            {
                continue;
            }

            writer.WriteRawValue(received.Json, skipInputValidation: true);
            asReceived++;
            if (writer.BytesPending > 1 << 20)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
        return new StixExportCounts(plan.Objects.Count + asReceived, plan.Records, plan.Entities, plan.Links, asReceived);
    }

    /// <summary>One object of an export, known by its identity before its JSON is made (<see cref="Make"/>, on demand).</summary>
    /// <param name="Refs">What a report refers to (its <c>object_refs</c>); empty for other objects.</param>
    public sealed record PlannedObject(string Id, string Type, string? Modified, string? Created, string SpecVersion, IReadOnlyList<string> Refs, Func<JsonObject> Make)
    {
        /// <summary>The object's JSON text exactly as the bundle writes it.</summary>
        public string Text()
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                Make().WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    /// <summary>The objects an export of the agency's own records holds, in bundle order, each id and version once.</summary>
    public sealed record ExportPlan(IReadOnlyList<PlannedObject> Objects, int Records, int Entities, int Links);

    /// <summary>
    /// The mapped part of an export (everything but what was received as it came), in bundle order with each id and
    /// version once, every object's identity, version and references known before any JSON is made: a TAXII collection
    /// orders the objects and makes the texts of its first page first. The bundle (<see cref="WriteAsync"/>) is this plan written out.
    /// </summary>
    public static ExportPlan Plan(Agency agency, IReadOnlyList<Record> records, IReadOnlyDictionary<EntityId, Entity> entities, IReadOnlyDictionary<Guid, string> receivedIds)
    {
        ArgumentNullException.ThrowIfNull(agency);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(entities);
        ArgumentNullException.ThrowIfNull(receivedIds);
        var objects = new List<PlannedObject>();
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        void Add(PlannedObject planned)
        {
            if (emitted.Add(planned.Id + "|" + planned.Modified))
            {
                objects.Add(planned);
            }
        }

        void AddMade(JsonObject item) => Add(new PlannedObject(
            item["id"]!.GetValue<string>(), item["type"]!.GetValue<string>(), item["modified"]?.GetValue<string>(), item["created"]?.GetValue<string>(), item["spec_version"]?.GetValue<string>() ?? "2.1", [], () => (JsonObject)item.DeepClone()));

        int recordCount = 0, entityCount = 0, links = 0;
        var author = StixIds.For("identity", agency.Id.Value);
        AddMade(JisrExtension.Creator());
        AddMade(JisrExtension.Definition());
        AddMade(AgencyIdentity(agency, author));

        // An entity mentioned by several records is one object, marked as restrictively as the most restricted of them.
        var tlpOf = new Dictionary<EntityId, Tlp>();
        var own = records.Where(r => !receivedIds.ContainsKey(r.Id.Value)).ToList();
        foreach (var record in own)
        {
            foreach (var mention in record.Mentions)
            {
                tlpOf[mention.EntityId] = tlpOf.TryGetValue(mention.EntityId, out var t) && t > record.Marking.Tlp ? t : record.Marking.Tlp;
            }
        }

        foreach (var tlp in tlpOf.Values.Concat(own.Select(r => r.Marking.Tlp)).Distinct().Order())
        {
            AddMade(TlpMarkings.Definition(tlp));
        }

        var stixIds = new Dictionary<EntityId, string>();
        string IdOf(EntityId id)
        {
            if (!stixIds.TryGetValue(id, out var stixId))
            {
                stixId = receivedIds.TryGetValue(id.Value, out var received) ? received : EntityObjectId(entities[id]);
                stixIds[id] = stixId;
            }

            return stixId;
        }

        foreach (var (id, tlp) in tlpOf)
        {
            if (!receivedIds.ContainsKey(id.Value) && entities.TryGetValue(id, out var entity))
            {
                var type = StixTypeOf(entity);
                var version = Timestamp(entity.CreatedAt);
                Add(new PlannedObject(IdOf(id), type, version, version, "2.1", [], () => EntityObject(entity, author, tlp)));
                entityCount++;
            }
        }

        foreach (var record in own)
        {
            var refs = new List<string>();
            foreach (var mention in record.Mentions.Where(m => entities.ContainsKey(m.EntityId)))
            {
                refs.Add(IdOf(mention.EntityId));
            }

            var (created, modified) = Versions(record.CreatedAt, record.UpdatedAt);
            foreach (var link in record.Links.Where(l => entities.ContainsKey(l.FromEntityId) && entities.ContainsKey(l.ToEntityId)))
            {
                var from = IdOf(link.FromEntityId);
                var to = IdOf(link.ToEntityId);
                var relationshipId = StixIds.For("relationship", link.Id);
                refs.Add(relationshipId);
                Add(new PlannedObject(relationshipId, "relationship", modified, created, "2.1", [], () => Relationship(link, record, author, from, to)));
                links++;
            }

            if (refs.Count == 0)
            {
                refs.Add(author); // a report refers to at least one object
            }

            Add(new PlannedObject(StixIds.For("report", record.Id.Value), "report", modified, created, "2.1", refs, () => Report(record, agency, author, new JsonArray([.. refs.Select(r => (JsonNode)r)]))));
            recordCount++;
        }

        return new ExportPlan(objects, recordCount, entityCount, links);
    }

    private static JsonObject AgencyIdentity(Agency agency, string id) => new()
    {
        ["type"] = "identity",
        ["spec_version"] = "2.1",
        ["id"] = id,
        ["created"] = Timestamp(agency.CreatedAt),
        ["modified"] = Timestamp(agency.CreatedAt),
        ["name"] = $"{agency.Code} {agency.Name}",
        ["identity_class"] = "organization",
        ["sectors"] = new JsonArray("government-national"),
        ["extensions"] = JisrExtension.Wrap(new JsonObject { ["agency"] = new JsonObject { ["code"] = agency.Code, ["country"] = agency.Country } }),
    };

    private static JsonObject Report(Record record, Agency originator, string author, JsonArray refs)
    {
        var m = record.Marking;
        var fields = new JsonObject
        {
            ["record_id"] = record.Id.ToString(),
            ["kind"] = RecordVocabulary.Kinds[record.Kind],
            ["language"] = record.Language,
            ["classification"] = Marking.ClassificationNames[m.Classification],
            ["tlp"] = Marking.TlpNames[m.Tlp],
            ["handling"] = Marking.HandlingNames[m.Handling],
            ["legal_basis"] = record.LegalBasis,
            ["purpose"] = record.Purpose,
            ["retention_until"] = record.RetentionUntil.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["review_date"] = record.ReviewDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["source_grading"] = record.SourceGrading.ToString(),
            ["threat_domains"] = new JsonArray([.. record.ThreatDomains.Select(d => (JsonNode)RecordVocabulary.ThreatDomains[d])]),
            ["originator"] = new JsonObject { ["agency_code"] = originator.Code, ["identity_ref"] = author },
        };
        if (m.HandlingNote is { } note)
        {
            fields["handling_note"] = note;
        }

        var report = Sdo("report", record.Id.Value, record.CreatedAt, record.UpdatedAt, author, record.Marking.Tlp);
        report["name"] = record.Title;
        if (record.Body.Length > 0)
        {
            report["description"] = record.Body;
        }

        report["published"] = Timestamp(record.CreatedAt);
        report["report_types"] = new JsonArray("threat-report");
        report["object_refs"] = refs;
        report["lang"] = record.Language;
        report["labels"] = new JsonArray([.. record.ThreatDomains.Select(d => (JsonNode)RecordVocabulary.ThreatDomains[d])]);
        report["extensions"] = JisrExtension.Wrap(new JsonObject { ["record"] = fields });
        return report;
    }

    private static JsonObject Relationship(Link link, Record record, string author, string from, string to)
    {
        var relationship = Sdo("relationship", link.Id, record.CreatedAt, record.UpdatedAt, author, record.Marking.Tlp);
        relationship["relationship_type"] = EntityVocabulary.LinkTypes[link.Type];
        relationship["source_ref"] = from;
        relationship["target_ref"] = to;
        if (link.ValidFrom is { } start)
        {
            relationship["start_time"] = Timestamp(start.Earliest);
        }

        if (link.ValidTo is { } stop && (link.ValidFrom is null || stop.Earliest > link.ValidFrom.Earliest))
        {
            relationship["stop_time"] = Timestamp(stop.Earliest);
        }

        var fields = new JsonObject();
        if (link.ValidFrom is { } f)
        {
            fields["valid_from"] = f.ToString();
        }

        if (link.ValidTo is { } t)
        {
            fields["valid_to"] = t.ToString();
        }

        relationship["extensions"] = JisrExtension.Wrap(new JsonObject { ["link"] = fields });
        return relationship;
    }

    /// <summary>The STIX type an entity travels as (its id is derived from the entity's id and this type).</summary>
    public static string StixTypeOf(Entity entity) => entity switch
    {
        Person or Organisation => "identity",
        Location l when l.Country is not null || (l.Latitude is not null && l.Longitude is not null) => "location",
        PhoneNumber or EmailAddress or CryptoWallet or OnlineAccount => "indicator",
        _ => "x-jisr-" + EntityVocabulary.Types[entity.Type],
    };

    private static string EntityObjectId(Entity entity) => StixIds.For(StixTypeOf(entity), entity.Id.Value);

    private static JsonObject EntityObject(Entity entity, string author, Tlp tlp)
    {
        var type = StixTypeOf(entity);
        var item = Sdo(type, entity.Id.Value, entity.CreatedAt, entity.CreatedAt, author, tlp);
        item["name"] = entity.Label;
        switch (entity)
        {
            case Person:
                item["identity_class"] = "individual";
                break;
            case Organisation o:
                item["identity_class"] = "organization";
                break;
            case Location l when type == "location":
                if (l.Country is not null)
                {
                    item["country"] = l.Country;
                }

                if (l.Latitude is { } lat && l.Longitude is { } lon)
                {
                    item["latitude"] = lat;
                    item["longitude"] = lon;
                }

                break;
            case PhoneNumber or EmailAddress or CryptoWallet or OnlineAccount:
                item["indicator_types"] = new JsonArray("attribution");
                item["pattern"] = PatternOf(entity);
                item["pattern_type"] = "stix";
                item["valid_from"] = Timestamp(entity.CreatedAt);
                break;
        }

        item["extensions"] = JisrExtension.Wrap(new JsonObject { ["entity"] = EntityFields.Of(entity) });
        return item;
    }

    /// <summary>The STIX pattern that detects the selector (custom x-jisr-* types where STIX has no observable).</summary>
    public static string PatternOf(Entity entity)
    {
        var pattern = entity switch
        {
            EmailAddress e => $"[email-addr:value = {StixPattern.Quote(e.Address)}]",
            PhoneNumber p => $"[x-jisr-phone:number = {StixPattern.Quote(p.Key ?? p.Number)}]",
            CryptoWallet w => $"[x-jisr-crypto-wallet:address = {StixPattern.Quote(w.Address)}]",
            OnlineAccount { Url: { } url } => $"[url:value = {StixPattern.Quote(url.ToString())}]",
            OnlineAccount a => $"[user-account:account_login = {StixPattern.Quote(a.Handle ?? a.Label)}]",
            _ => throw new ArgumentException($"{entity.Type} has no pattern", nameof(entity)),
        };
        return StixPattern.Check(pattern) is null ? pattern : throw new InvalidOperationException($"made an invalid pattern: {pattern}");
    }

    private static JsonObject Sdo(string type, Guid jisrId, DateTimeOffset created, DateTimeOffset modified, string author, Tlp tlp) =>
        StixCommon.Sdo(type, jisrId, created, modified, author, new JsonArray(TlpMarkings.IdOf(tlp)));

    /// <summary>The <c>created</c> and <c>modified</c> an object made from these instants carries (as <see cref="StixCommon.Sdo"/> writes them).</summary>
    private static (string Created, string Modified) Versions(DateTimeOffset created, DateTimeOffset modified) =>
        (Timestamp(created), Timestamp(modified < created ? created : modified));

    private static string Timestamp(DateTimeOffset instant) => StixCommon.Timestamp(instant);

    private static string Timestamp(DateOnly day) => StixCommon.Timestamp(day);
}
