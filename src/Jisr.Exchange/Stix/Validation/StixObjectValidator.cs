namespace Jisr.Exchange.Stix.Validation;

/// <summary>
/// Checks one STIX 2.1 object: its schema (<see cref="StixSchemaSet"/>), then the specification's MUST rules the
/// schemas cannot express (real calendar dates, modified not before created, what a relationship or sighting may point
/// at, TLP definitions, patterns, empty lists, reserved names). Custom properties and custom object types are
/// accepted (SHOULD-level advice of the OASIS validator's strict mode is not a refusal): Jisr keeps them as received.
/// </summary>
public static partial class StixObjectValidator
{
    public static readonly IReadOnlySet<string> DomainObjectTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "attack-pattern", "campaign", "course-of-action", "grouping", "identity", "incident", "indicator", "infrastructure",
        "intrusion-set", "location", "malware", "malware-analysis", "note", "observed-data", "opinion", "report",
        "threat-actor", "tool", "vulnerability",
    };

    public static readonly IReadOnlySet<string> ObservableTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file", "ipv4-addr",
        "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url", "user-account",
        "windows-registry-key", "x509-certificate",
    };

    /// <summary>The TLP 1.0 marking definitions the specification defines (section 7.2.1.4): the only valid "tlp" ones.</summary>
    private static readonly Dictionary<string, string> Tlp1 = new(StringComparer.Ordinal)
    {
        ["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"] = "white",
        ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"] = "green",
        ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"] = "amber",
        ["marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"] = "red",
    };

    private static readonly string[] Reserved = ["severity", "action", "username", "phone_numbers"];

    /// <summary>Valid objects of the types a feed mostly carries, validated by <see cref="Prepare"/>.</summary>
    internal static readonly string[] PreparationSamples =
    [
        """{"type":"identity","spec_version":"2.1","id":"identity--5b5a8a5e-2f0e-4e1c-9d6a-0c1e2f3a4b01","created":"2025-01-01T00:00:00.000Z","modified":"2025-01-01T00:00:00.000Z","name":"Sample","identity_class":"individual","object_marking_refs":["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"]}""",
        """{"type":"indicator","spec_version":"2.1","id":"indicator--5b5a8a5e-2f0e-4e1c-9d6a-0c1e2f3a4b02","created":"2025-01-01T00:00:00.000Z","modified":"2025-01-01T00:00:00.000Z","pattern":"[email-addr:value = 'sample@example.org']","pattern_type":"stix","valid_from":"2025-01-01T00:00:00Z"}""",
        """{"type":"relationship","spec_version":"2.1","id":"relationship--5b5a8a5e-2f0e-4e1c-9d6a-0c1e2f3a4b03","created":"2025-01-01T00:00:00.000Z","modified":"2025-01-01T00:00:00.000Z","relationship_type":"related-to","source_ref":"identity--5b5a8a5e-2f0e-4e1c-9d6a-0c1e2f3a4b01","target_ref":"indicator--5b5a8a5e-2f0e-4e1c-9d6a-0c1e2f3a4b02"}""",
        """{"type":"report","spec_version":"2.1","id":"report--5b5a8a5e-2f0e-4e1c-9d6a-0c1e2f3a4b04","created":"2025-01-01T00:00:00.000Z","modified":"2025-01-01T00:00:00.000Z","name":"Sample","published":"2025-01-01T00:00:00Z","object_refs":["identity--5b5a8a5e-2f0e-4e1c-9d6a-0c1e2f3a4b01"]}""",
        """{"type":"location","spec_version":"2.1","id":"location--5b5a8a5e-2f0e-4e1c-9d6a-0c1e2f3a4b05","created":"2025-01-01T00:00:00.000Z","modified":"2025-01-01T00:00:00.000Z","country":"MA"}""",
    ];

    /// <summary>
    /// Validates one object of each type a feed mostly carries, and so compiles the schemas and the checks: the start-up
    /// of validation (0.6-0.8 CPU-s measured in a fresh process) for a process that is waiting anyway (a pull waiting for its first page).
    /// </summary>
    public static void Prepare()
    {
        foreach (var sample in PreparationSamples)
        {
            using var document = JsonDocument.Parse(sample);
            Validate(document.RootElement);
        }
    }

    /// <summary>Every rule the object breaks, empty when it is valid.</summary>
    public static IReadOnlyList<StixRefusal> Validate(JsonElement item)
    {
        var refusals = new List<StixRefusal>();
        if (item.ValueKind != JsonValueKind.Object)
        {
            return [new StixRefusal("(no id)", "object", "a bundle's objects are JSON objects")];
        }

        var id = Text(item, "id") ?? "(no id)";
        var type = Text(item, "type");
        if (type is null)
        {
            return [new StixRefusal(id, "schema", "/: 'type' is a required property")];
        }

        var isObservable = ObservableTypes.Contains(type) || (!item.TryGetProperty("created", out _) && !DomainObjectTypes.Contains(type) && type is not ("relationship" or "sighting" or "marking-definition" or "language-content" or "extension-definition"));
        foreach (var error in StixSchemaSet.Validate(item, StixSchemaSet.PathFor(type, isObservable)))
        {
            refusals.Add(new StixRefusal(id, "schema", error));
        }

        if (Text(item, "id") is { } ident && !ident.StartsWith(type + "--", StringComparison.Ordinal))
        {
            refusals.Add(new StixRefusal(id, "id-type", $"the id must start with '{type}--'"));
        }

        if (Text(item, "spec_version") is { } version && version != "2.1")
        {
            refusals.Add(new StixRefusal(id, "spec-version", $"spec_version '{version}' is not 2.1"));
        }

        CheckTimestamps(item, [], id, refusals);
        Order(item, id, "created", "modified", false, refusals);
        Order(item, id, "first_seen", "last_seen", false, refusals);
        Order(item, id, "first_observed", "last_observed", false, refusals);
        Order(item, id, "valid_from", "valid_until", true, refusals);
        Order(item, id, "start_time", "stop_time", true, refusals);
        Order(item, id, "start", "end", false, refusals);
        var domainObject = DomainObjectTypes.Contains(type);
        foreach (var property in item.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() == 0)
            {
                refusals.Add(new StixRefusal(id, "empty-list", $"{property.Name}: empty lists are not allowed"));
            }

            if (domainObject && IsReserved(property))
            {
                refusals.Add(new StixRefusal(id, "reserved-property", $"'{property.Name}' is reserved by the specification"));
            }
        }

        switch (type)
        {
            case "relationship":
                foreach (var end in new[] { "source_ref", "target_ref" })
                {
                    if (Text(item, end) is { } target && TypeOf(target) is "bundle" or "marking-definition" or "sighting" or "relationship" or "language-content" or "extension-definition")
                    {
                        refusals.Add(new StixRefusal(id, "relationship-ends", $"{end}: a relationship cannot link bundles, marking definitions, sightings or relationships"));
                    }
                }

                break;
            case "sighting":
                if (Text(item, "sighting_of_ref") is { } of && (ObservableTypes.Contains(TypeOf(of)) || TypeOf(of) is "relationship" or "sighting" or "marking-definition" or "bundle"))
                {
                    refusals.Add(new StixRefusal(id, "sighting-of", "sighting_of_ref must refer to a STIX domain object or a custom object"));
                }

                if (item.TryGetProperty("where_sighted_refs", out var where) && where.ValueKind == JsonValueKind.Array)
                {
                    foreach (var w in where.EnumerateArray())
                    {
                        if (w.ValueKind == JsonValueKind.String && TypeOf(w.GetString()!) is not ("identity" or "location"))
                        {
                            refusals.Add(new StixRefusal(id, "where-sighted", "where_sighted_refs must refer to identities or locations"));
                        }
                    }
                }

                break;
            case "indicator" when Text(item, "pattern_type") == "stix":
                if (StixPattern.Check(Text(item, "pattern")) is { } why)
                {
                    refusals.Add(new StixRefusal(id, "pattern", why));
                }
                else
                {
                    foreach (var custom in StixPattern.ObjectTypesOf(Text(item, "pattern")!).Where(t => !ObservableTypes.Contains(t) && !t.StartsWith("x-", StringComparison.Ordinal)))
                    {
                        refusals.Add(new StixRefusal(id, "pattern", $"object type '{custom}' is neither a STIX cyber-observable nor a custom type starting 'x-'"));
                    }
                }

                break;
            case "marking-definition":
                CheckMarkingDefinition(item, id, refusals);
                break;
            case "language-content" when item.TryGetProperty("contents", out var contents) && contents.ValueKind == JsonValueKind.Object:
                foreach (var language in contents.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.Object))
                {
                    foreach (var property in language.Value.EnumerateObject().Where(p => !PropertyName().IsMatch(p.Name)))
                    {
                        refusals.Add(new StixRefusal(id, "language-content", $"'{property.Name}' in '{language.Name}' of 'contents' is not a valid property name"));
                    }
                }

                break;
            case "process" when Text(item, "id") is { } processId && processId.Length > 8 && processId[^22] != '4':
                refusals.Add(new StixRefusal(id, "process-id", "a process has no identifying properties, so its id must be a UUIDv4"));
                break;
            case "network-traffic" when item.TryGetProperty("is_active", out var active) && active.ValueKind == JsonValueKind.True && item.TryGetProperty("end", out _):
                refusals.Add(new StixRefusal(id, "network-traffic", "an active connection has no 'end'"));
                break;
        }

        return refusals;
    }

    private static bool IsReserved(JsonProperty property)
    {
        foreach (var name in Reserved)
        {
            if (property.NameEquals(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The type part of a STIX id ("identity" for "identity--…").</summary>
    public static string TypeOf(string id)
    {
        var cut = id.IndexOf("--", StringComparison.Ordinal);
        return cut < 0 ? id : id[..cut];
    }

    public static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void CheckMarkingDefinition(JsonElement item, string id, List<StixRefusal> refusals)
    {
        var definitionType = Text(item, "definition_type");
        var hasDefinition = item.TryGetProperty("definition", out var definition) && definition.ValueKind == JsonValueKind.Object;
        if (definitionType is null)
        {
            if (!item.TryGetProperty("extensions", out _))
            {
                refusals.Add(new StixRefusal(id, "marking-definition", "needs definition_type and definition, or an extension that defines it"));
            }

            return;
        }

        if (!hasDefinition)
        {
            refusals.Add(new StixRefusal(id, "marking-definition", $"definition_type '{definitionType}' needs its 'definition'"));
            return;
        }

        if (definitionType == "statement" && Text(definition, "statement") is null)
        {
            refusals.Add(new StixRefusal(id, "marking-definition", "a statement marking needs definition.statement"));
        }
        else if (definitionType == "tlp" && (!Tlp1.TryGetValue(id, out var colour) || Text(definition, "tlp") != colour))
        {
            refusals.Add(new StixRefusal(id, "tlp-definition", "TLP marking definitions must be exactly those of the STIX specification"));
        }
    }

    /// <summary>Every string that looks like a timestamp must be one; the path (segments kept on a stack) is only spelt out for a refusal.</summary>
    private static void CheckTimestamps(JsonElement element, List<string> path, string id, List<StixRefusal> refusals)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.String)
                    {
                        path.Add(property.Name);
                        CheckTimestamps(property.Value, path, id, refusals);
                        path.RemoveAt(path.Count - 1);
                    }
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var value in element.EnumerateArray())
                {
                    if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.String)
                    {
                        path.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        CheckTimestamps(value, path, id, refusals);
                        path.RemoveAt(path.Count - 1);
                    }

                    i++;
                }

                break;
            case JsonValueKind.String:
                var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element); // with its quotes
                if (raw.Length < 22 || (raw[5] != '-' && raw.IndexOf((byte)'\\') < 0))
                {
                    break; // under 20 characters (each takes at least one byte), or unescaped without a '-' after 4 characters: not a timestamp
                }

                var text = element.GetString()!;
                if (text.Length is >= 20 and <= 40 && DateLike().IsMatch(text) && !StixTimestamp.TryParse(text, out _))
                {
                    refusals.Add(new StixRefusal(id, "timestamp", $"{string.Concat(path.Select(p => "/" + p))}: '{text}' is not a valid timestamp"));
                }

                break;
        }
    }

    private static void Order(JsonElement item, string id, string first, string second, bool strictlyLater, List<StixRefusal> refusals)
    {
        if (Text(item, first) is not { } a || Text(item, second) is not { } b || !StixTimestamp.TryParse(a, out _) || !StixTimestamp.TryParse(b, out _))
        {
            return;
        }

        var order = StixTimestamp.Compare(b, a);
        if (order < 0 || (strictlyLater && order == 0))
        {
            refusals.Add(new StixRefusal(id, "timestamp-order", $"'{second}' ({b}) must be {(strictlyLater ? "later than" : "later than or equal to")} '{first}' ({a})"));
        }
    }

    [GeneratedRegex("^[a-z0-9_]{3,250}$")]
    private static partial Regex PropertyName();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")]
    private static partial Regex DateLike();
}
