using Jisr.Exchange.Stix;
using Jisr.Exchange.Stix.Mapping;
using Jisr.Exchange.Stix.Validation;

namespace Jisr.Exchange.Misp;

/// <summary>A file that is not a MISP event (or a list of them): nothing is imported.</summary>
public sealed class MispFormatException(string message) : Exception(message)
{
    public MispFormatException()
        : this("not a MISP event")
    {
    }

    public MispFormatException(string message, Exception innerException)
        : this(message + ": " + innerException?.Message)
    {
    }
}

/// <summary>
/// A MISP event (its JSON export: <c>{"Event": {...}}</c>, a bare event, or a list of them) as a STIX 2.1 bundle, which
/// the STIX importer then validates and maps like any other: one <c>report</c> per event (its record), attributes
/// Jisr knows as selectors (e-mail, phone, domain, URL, wallet) as <c>indicator</c>s with patterns, person,
/// organisation and geolocation objects as <c>identity</c> / <c>location</c>, everything else as <c>x-misp-*</c>
/// objects kept as received. <c>tlp:*</c> tags become the TLP marking, <c>admiralty-scale:*</c> tags the source grading
/// (label <c>admiralty:B2</c>), galaxies and other tags the report's labels. STIX ids derive from the MISP uuids, so
/// they stay the same from one import (or export) to the next.
/// </summary>
public static class MispEventConverter
{
    private static readonly Guid MispNamespace = new("8f1d2c3b-4a5e-4f60-9b7c-1d2e3f4a5b6c");

    /// <summary>The bundle; <paramref name="now"/> checks dates (a date of birth is never in the future).</summary>
    public static MemoryStream ToStixBundle(Stream mispJson, DateTimeOffset now)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(mispJson);
        }
        catch (JsonException bad)
        {
            throw new MispFormatException($"misp: not valid JSON ({bad.Message.Split('.')[0]})");
        }

        var events = root switch
        {
            JsonArray list => list.Select(e => EventOf(e) ?? throw new MispFormatException("misp: the list holds something that is not a MISP event")).ToList(),
            _ => [EventOf(root) ?? throw new MispFormatException("misp: not a MISP event (expected {\"Event\": {...}} or an event with its \"info\")")],
        };
        var objects = new JsonArray();
        foreach (var item in events)
        {
            AddEvent(item, objects, now);
        }

        var bundle = new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid():D}", ["objects"] = objects };
        var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output))
        {
            bundle.WriteTo(writer);
        }

        output.Position = 0;
        return output;
    }

    /// <summary>The event in <c>{"Event": {...}}</c>, or a bare event (it has an <c>info</c>); null for anything else.</summary>
    private static JsonObject? EventOf(JsonNode? node)
    {
        if (node is JsonObject o && o["Event"] is JsonObject inner)
        {
            return inner;
        }

        return node is JsonObject bare && bare["info"] is JsonValue ? bare : null;
    }

    private static void AddEvent(JsonObject item, JsonArray objects, DateTimeOffset now)
    {
        // An event not yet uploaded has no uuid: one derived from its content, so the same file is recognised again.
        var uuid = Str(item, "uuid") ?? StixIds.UuidV5(MispNamespace, item.ToJsonString()).ToString("D");
        var used = new HashSet<string>(StringComparer.Ordinal);
        var created = Epoch(Str(item, "timestamp")) ?? Day(Str(item, "date")) ?? "1970-01-01T00:00:00.000Z";
        var tags = TagsOf(item);
        var tlp = tags.Select(TlpOf).OfType<Tlp>().DefaultIfEmpty(Tlp.Amber).Max();
        var markings = new JsonArray(TlpMarkings.IdOf(tlp));
        objects.Add(TlpMarkings.Definition(tlp));
        string? author = null;
        if (item["Orgc"] is JsonObject orgc && Str(orgc, "name") is { Length: > 0 } orgName)
        {
            author = "identity--" + IdFrom(Str(orgc, "uuid") ?? orgName);
            objects.Add(new JsonObject
            {
                ["type"] = "identity",
                ["spec_version"] = "2.1",
                ["id"] = author,
                ["created"] = created,
                ["modified"] = created,
                ["name"] = orgName,
                ["identity_class"] = "organization",
            });
        }

        var refs = new JsonArray();
        void Add(JsonObject stix)
        {
            stix["spec_version"] = "2.1";
            if (stix["type"]!.GetValue<string>() is not ("marking-definition"))
            {
                stix["object_marking_refs"] = markings.DeepClone();
                if (author is not null)
                {
                    stix["created_by_ref"] = author;
                }
            }

            objects.Add(stix);
            refs.Add(stix["id"]!.GetValue<string>());
        }

        foreach (var attribute in (item["Attribute"] as JsonArray ?? []).OfType<JsonObject>().Where(a => a["deleted"]?.GetValue<bool>() != true))
        {
            Add(AttributeObject(attribute, created, used));
        }

        foreach (var mispObject in (item["Object"] as JsonArray ?? []).OfType<JsonObject>().Where(o => o["deleted"]?.GetValue<bool>() != true))
        {
            foreach (var stix in ObjectObjects(mispObject, created, used, now))
            {
                Add(stix);
            }
        }

        if (author is not null)
        {
            refs.Add(author); // the organisation the event came from is one of the record's entities
        }
        else if (refs.Count == 0)
        {
            refs.Add(TlpMarkings.IdOf(tlp));
        }

        var labels = new List<string>();
        labels.AddRange(tags.Where(t => TlpOf(t) is null && !t.StartsWith("admiralty-scale:", StringComparison.Ordinal)));
        foreach (var galaxy in (item["Galaxy"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var cluster in (galaxy["GalaxyCluster"] as JsonArray ?? []).OfType<JsonObject>())
            {
                labels.Add(Str(cluster, "tag_name") ?? $"misp-galaxy:{Str(galaxy, "type")}=\"{Str(cluster, "value")}\"");
            }
        }

        if (Admiralty(tags) is { } grade)
        {
            labels.Add($"admiralty:{grade}");
        }

        var report = new JsonObject
        {
            ["type"] = "report",
            ["spec_version"] = "2.1",
            ["id"] = "report--" + IdFrom(uuid),
            ["created"] = created,
            ["modified"] = created,
            ["name"] = Str(item, "info") is { Length: > 0 } info ? info : $"MISP event {uuid}",
            ["published"] = Epoch(Str(item, "publish_timestamp")) is { } p && p != "1970-01-01T00:00:00.000Z" ? p : created,
            ["report_types"] = new JsonArray("threat-report"),
            ["object_refs"] = refs,
            ["object_marking_refs"] = markings.DeepClone(),
            ["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "misp", ["external_id"] = uuid }),
        };
        if (author is not null)
        {
            report["created_by_ref"] = author;
        }

        var distinct = labels.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > 0)
        {
            report["labels"] = new JsonArray([.. distinct.Select(l => (JsonNode)l)]);
        }

        objects.Add(report);
    }

    /// <summary>An attribute Jisr knows as a selector is an indicator; any other is kept as an x-misp-attribute.</summary>
    private static JsonObject AttributeObject(JsonObject attribute, string eventCreated, HashSet<string> used)
    {
        var type = Str(attribute, "type") ?? "text";
        var value = Str(attribute, "value") ?? string.Empty;
        var created = Epoch(Str(attribute, "timestamp")) ?? eventCreated;
        var id = Unique(Str(attribute, "uuid") is { } attributeUuid ? IdFrom(attributeUuid) : Guid.NewGuid().ToString("D"), used);
        var pattern = type switch
        {
            "email" or "email-src" or "email-dst" or "email-reply-to" or "whois-registrant-email" => $"[email-addr:value = {StixPattern.Quote(value)}]",
            "phone-number" or "whois-registrant-phone" => $"[x-jisr-phone:number = {StixPattern.Quote(value)}]",
            "btc" or "xmr" or "dash" or "bitcoin" => $"[x-jisr-crypto-wallet:address = {StixPattern.Quote(value)}]",
            "domain" or "hostname" => $"[domain-name:value = {StixPattern.Quote(value)}]",
            "url" or "link" or "uri" => $"[url:value = {StixPattern.Quote(value)}]",
            "ip-src" or "ip-dst" => value.Contains(':', StringComparison.Ordinal) ? $"[ipv6-addr:value = {StixPattern.Quote(value)}]" : $"[ipv4-addr:value = {StixPattern.Quote(value)}]",
            "md5" or "sha1" or "sha256" or "sha512" => $"[file:hashes.{StixPattern.Quote(type switch { "md5" => "MD5", "sha1" => "SHA-1", "sha256" => "SHA-256", _ => "SHA-512" })} = {StixPattern.Quote(value)}]",
            _ => null,
        };
        var labels = new JsonArray([.. TagsOf(attribute).Select(t => (JsonNode)t)]);
        if (pattern is not null && StixPattern.Check(pattern) is null)
        {
            var indicator = new JsonObject
            {
                ["type"] = "indicator",
                ["id"] = "indicator--" + id,
                ["created"] = created,
                ["modified"] = created,
                ["name"] = $"{type}: {value}",
                ["pattern"] = pattern,
                ["pattern_type"] = "stix",
                ["valid_from"] = created,
            };
            if (Str(attribute, "category") is { Length: > 0 } category)
            {
                indicator["description"] = category;
            }

            if (labels.Count > 0)
            {
                indicator["labels"] = labels;
            }

            return indicator;
        }

        var kept = new JsonObject
        {
            ["type"] = "x-misp-attribute",
            ["id"] = "x-misp-attribute--" + id,
            ["created"] = created,
            ["modified"] = created,
            ["x_misp_type"] = type,
            ["x_misp_value"] = value,
        };
        if (Str(attribute, "category") is { Length: > 0 } c)
        {
            kept["x_misp_category"] = c;
        }

        if (labels.Count > 0)
        {
            kept["labels"] = labels;
        }

        return kept;
    }

    /// <summary>Person, organisation and geolocation objects as identities and locations; any other object's attributes one by one, and the object kept.</summary>
    private static IEnumerable<JsonObject> ObjectObjects(JsonObject mispObject, string eventCreated, HashSet<string> used, DateTimeOffset now)
    {
        var name = Str(mispObject, "name") ?? "object";
        var attributes = (mispObject["Attribute"] as JsonArray ?? []).OfType<JsonObject>().Where(a => a["deleted"]?.GetValue<bool>() != true).ToList();
        string? Rel(params string[] relations) => attributes.Where(a => relations.Contains(Str(a, "object_relation"))).Select(a => Str(a, "value")).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        var created = Epoch(Str(mispObject, "timestamp")) ?? eventCreated;
        var id = Unique(IdFrom(Str(mispObject, "uuid") ?? name + created), used);
        JsonObject Sdo(string type) => new() { ["type"] = type, ["id"] = $"{type}--{id}", ["created"] = created, ["modified"] = created };
        switch (name)
        {
            case "person" or "ftm-Person" when (Rel("full-name") ?? Join(Rel("first-name"), Rel("middle-name"), Rel("last-name"))) is { Length: > 0 } fullName:
                var person = Sdo("identity");
                person["name"] = fullName;
                person["identity_class"] = "individual";
                var fields = new JsonObject
                {
                    ["type"] = "person",
                    ["names"] = new JsonArray([.. new[] { fullName, Rel("alias") }.OfType<string>().Distinct().Select(n => (JsonNode)n)]),
                    ["date_of_birth"] = Rel("date-of-birth", "birth-date"),
                    ["place_of_birth"] = Rel("place-of-birth"),
                    ["nationalities"] = Rel("nationality") is { Length: 2 } nat ? new JsonArray(nat.ToUpperInvariant()) : new JsonArray(),
                    ["identifiers"] = Rel("passport-number") is { } passport
                        ? new JsonArray(new JsonObject { ["kind"] = "passport", ["value"] = passport, ["country"] = Rel("passport-country") is { Length: 2 } pc ? pc.ToUpperInvariant() : null })
                        : new JsonArray(),
                };
                if (Describes(fields, now))
                {
                    person["extensions"] = JisrExtension.Wrap(new JsonObject { ["entity"] = fields });
                }

                yield return person;
                yield break;
            case "organization" or "legal-entity" when Rel("name") is { } orgName:
                var org = Sdo("identity");
                org["name"] = orgName;
                org["identity_class"] = "organization";
                yield return org;
                yield break;
            case "geolocation" when Rel("country", "city", "region") is not null
                                 || (double.TryParse(Rel("latitude"), NumberStyles.Float, CultureInfo.InvariantCulture, out _) && double.TryParse(Rel("longitude"), NumberStyles.Float, CultureInfo.InvariantCulture, out _)):
                var location = Sdo("location");
                location["name"] = Rel("city") ?? Rel("region") ?? Rel("country");
                if (Rel("countrycode") is { Length: 2 } code)
                {
                    location["country"] = code.ToUpperInvariant();
                }
                else
                {
                    location["region"] = Rel("region") ?? "unknown";
                }

                if (double.TryParse(Rel("latitude"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) && double.TryParse(Rel("longitude"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
                    && lat is >= -90 and <= 90 && lon is >= -180 and <= 180)
                {
                    location["latitude"] = lat;
                    location["longitude"] = lon;
                }

                yield return location;
                yield break;
        }

        foreach (var attribute in attributes)
        {
            yield return AttributeObject(attribute, created, used);
        }

        var kept = Sdo("x-misp-object");
        kept["x_misp_name"] = name;
        kept["x_misp_attributes"] = new JsonArray([.. attributes.Select(a => (JsonNode)new JsonObject { ["relation"] = Str(a, "object_relation"), ["type"] = Str(a, "type"), ["value"] = Str(a, "value") })]);
        if (attributes.Count == 0)
        {
            kept.Remove("x_misp_attributes"); // STIX lists are never empty
        }

        yield return kept;
    }

    /// <summary>Whether the fields make a valid Jisr person (else the identity travels without the extension and maps by its name).</summary>
    private static bool Describes(JsonObject fields, DateTimeOffset now)
    {
        try
        {
            using var document = JsonDocument.Parse(fields.ToJsonString());
            EntityFields.ToEntity(document.RootElement, AgencyId.From(Guid.Empty), now);
            return true;
        }
        catch (DomainValidationException)
        {
            return false;
        }
    }

    /// <summary>MISP exports sometimes repeat an attribute's uuid for different values: each gets an id of its own.</summary>
    private static string Unique(string id, HashSet<string> used)
    {
        var candidate = id;
        for (var n = 1; !used.Add(candidate); n++)
        {
            candidate = StixIds.UuidV5(MispNamespace, $"{id}:{n}").ToString("D");
        }

        return candidate;
    }

    private static string? Join(params string?[] parts) => string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p))) is { Length: > 0 } joined ? joined : null;

    private static List<string> TagsOf(JsonObject item) =>
        [.. (item["Tag"] as JsonArray ?? []).OfType<JsonObject>().Select(t => Str(t, "name")).OfType<string>().Where(t => t.Length > 0)];

    private static Tlp? TlpOf(string tag) => tag.ToLowerInvariant() switch
    {
        "tlp:white" or "tlp:clear" => Tlp.Clear,
        "tlp:green" => Tlp.Green,
        "tlp:amber" => Tlp.Amber,
        "tlp:amber+strict" => Tlp.AmberStrict,
        "tlp:red" => Tlp.Red,
        _ => null,
    };

    /// <summary>The Admiralty grade from MISP's admiralty-scale tags; a part the tags do not give cannot be judged (F, 6).</summary>
    private static string? Admiralty(IEnumerable<string> tags)
    {
        char? reliability = null;
        int? credibility = null;
        foreach (var tag in tags)
        {
            var value = tag.Split('=', 2) is [_, var v] ? v.Trim('"').Trim() : null;
            if (tag.StartsWith("admiralty-scale:source-reliability", StringComparison.Ordinal) && value is { Length: 1 } r && char.ToUpperInvariant(r[0]) is >= 'A' and <= 'F')
            {
                reliability = char.ToUpperInvariant(r[0]);
            }
            else if (tag.StartsWith("admiralty-scale:information-credibility", StringComparison.Ordinal) && value is { Length: 1 } c && c[0] is >= '1' and <= '6')
            {
                credibility = c[0] - '0';
            }
        }

        return reliability is null && credibility is null ? null : $"{reliability ?? 'F'}{credibility ?? 6}";
    }

    private static string IdFrom(string uuidOrName) =>
        Guid.TryParse(uuidOrName, out var g) && (g.Version is >= 1 and <= 5) ? g.ToString("D") : StixIds.UuidV5(MispNamespace, uuidOrName).ToString("D");

    private static string? Epoch(string? seconds) =>
        long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 && s < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(s).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : null;

    private static string? Day(string? date) =>
        DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00.000Z" : null;

    private static string? Str(JsonObject item, string name) =>
        item[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : item[name] is JsonValue other ? other.ToJsonString() : null;
}
