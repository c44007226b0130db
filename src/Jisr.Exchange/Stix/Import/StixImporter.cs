using System.Runtime.InteropServices;
using System.Threading.Channels;
using Jisr.Exchange.Stix.Mapping;
using Jisr.Exchange.Stix.Validation;
using Jisr.Policy;

namespace Jisr.Exchange.Stix.Import;

/// <summary>What an import did: the refusals (none when it succeeded) and the counts.</summary>
public sealed record StixImportResult(IReadOnlyList<StixRefusal> Refusals, int Objects, int Records, int Entities, int Links, int KeptAsReceived)
{
    public bool Succeeded => Refusals.Count == 0;

    /// <summary>Objects the agency already held in that version or a newer one: nothing written for them.</summary>
    public int AlreadyHeld { get; init; }

    /// <summary>Records and entities the agency held whose content a newer version of their STIX object replaced.</summary>
    public int Revised { get; init; }

    /// <summary>Ids the bundle refers to that are neither in it nor held (each also a "reference" refusal): what a later TAXII page may bring.</summary>
    public IReadOnlyList<string> MissingReferences { get; init; } = [];

    public override string ToString() =>
        $"{Objects} objects: {Records} records, {Entities} entities, {Links} links; {KeptAsReceived} kept as received only"
        + (AlreadyHeld > 0 ? $"; {AlreadyHeld} already held (unchanged)" : "") + (Revised > 0 ? $"; {Revised} held records or entities revised" : "");
}

/// <summary>
/// Imports one STIX 2.1 bundle for an agency, streaming: each object is read, validated, mapped and handed to the sink
/// before the next is read. Records (report, note, grouping) are made at the end, when every object they refer to is
/// known; entities and links no report claims go into records of the bundle itself. All or nothing: the caller commits
/// the sink only when <see cref="StixImportResult.Refusals"/> is empty. Every object is also kept exactly as received.
/// </summary>
public sealed class StixImporter
{
    /// <summary>
    /// Objects validated per work item, and looked up per query in what the agency holds (<see cref="LookUpHeldAsync"/>):
    /// a pull's every page after the first asks, and at 64 a query's own cost was most of it (~1.3 ms per 64 ids).
    /// </summary>
    private const int ChunkSize = 256;

    private static readonly string[] CheckedRefs = ["created_by_ref", "object_marking_refs", "source_ref", "target_ref", "sighting_of_ref", "where_sighted_refs", "observed_data_refs", "object_refs"];

    private readonly Principal _principal;
    private readonly IStixImportSink _sink;
    private readonly StixImportOptions _options;
    private readonly DateTimeOffset _now;
    private readonly List<StixRefusal> _refusals = [];
    private readonly StixIdMap<Seen> _seen;
    private readonly Dictionary<string, string> _unresolved = new(StringComparer.Ordinal);
    private readonly StixIdMap<EntityId> _entityOf;
    private readonly Dictionary<EntityId, (string[] Texts, Tlp Tlp)> _entityInfo = [];
    private readonly List<PendingLink> _links = [];
    private readonly List<PendingContainer> _containers = [];
    private readonly Dictionary<string, PendingContainer> _containerById = new(StringComparer.Ordinal);
    private readonly List<PendingContainer> _revisions = [];
    private readonly Dictionary<string, (long Ticks, byte[] Utf8, string? Modified, string? Previous)> _relationshipRevisions = new(StringComparer.Ordinal);
    private readonly List<string> _missing = [];

    /// <summary>
    /// Held ids this bundle refers to without bringing them, as <see cref="CheckReferencesAsync"/> found them, with the
    /// entity each became (null for one that became none): the records made at the end read them from here instead of
    /// asking the store again (a feed's last pages name tens of thousands of entities of its earlier pages).
    /// </summary>
    private readonly Dictionary<string, EntityId?> _referencedHeld = new(StringComparer.Ordinal);
    private string _source = "stix:bundle";
    private int _objects;
    private int _records;
    private int _kept;
    private int _alreadyHeld;
    private int _revised;
    private Dictionary<string, List<HeldStixVersion>> _held = new(StringComparer.Ordinal);

    public StixImporter(Principal principal, IStixImportSink sink, StixImportOptions options, DateTimeOffset now)
    {
        _principal = principal;
        _sink = sink;
        _options = options;
        _now = now;
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        _seen = new StixIdMap<Seen>(types);
        _entityOf = new StixIdMap<EntityId>(types);
    }

    /// <summary>
    /// What the id index keeps per object: the version its mapping reflects (a hash of <c>modified</c>; 0 when it has
    /// none), a hash of that version's exact text, and its <c>modified</c> in ticks (to tell a newer version).
    /// </summary>
    private readonly record struct Seen(ulong Modified, UInt128 Hash, long Ticks);

    private sealed record PendingLink(string StixId, string From, string To, LinkType Type, PartialDate? ValidFrom, PartialDate? ValidTo, Tlp Tlp);

    /// <summary>
    /// A report, note or grouping waiting for the end: each version of it this bundle brought, as exact UTF-8 text
    /// (its object_refs are read from the newest then); <see cref="Held"/> is the record an earlier import made of it.
    /// </summary>
    private sealed class PendingContainer(string stixId, string type, RecordId? held)
    {
        public string StixId { get; } = stixId;

        public string Type { get; } = type;

        public RecordId? Held { get; } = held;

        /// <summary>The text of the newest version held before this import (a revision withdraws what it named and the new one does not).</summary>
        public string? Previous { get; init; }

        public List<(long Ticks, string? Modified, byte[] Utf8, string? CreatedByRef)> Versions { get; } = [];

        /// <summary>The version the record's content comes from: the newest (the first of equals).</summary>
        public (long Ticks, string? Modified, byte[] Utf8, string? CreatedByRef) Newest => Versions.MaxBy(v => v.Ticks);
    }

    private bool Writing => _refusals.Count == 0;

    public async Task<StixImportResult> ImportAsync(Stream bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        StixBundleReader reader;
        try
        {
            reader = new StixBundleReader(bundle, _options.MaxBundleBytes);
        }
        catch (StixBundleException bad)
        {
            return Result([new StixRefusal("bundle", "bundle", bad.Message)]);
        }

        // Validation (the schemas) is the costly part and needs nothing but the object: it runs on the thread pool, in
        // chunks of objects (one work item per chunk, not per object), a bounded window ahead of the mapping, which
        // takes the results in the bundle's order.
        var window = Channel.CreateBounded<Task<Checked[]>>(new BoundedChannelOptions(Math.Max(4, Environment.ProcessorCount * 2)) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken); // frees the reader if mapping fails
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    var chunk = new List<JsonDocument>(ChunkSize);
                    while (reader.Next() is { } document)
                    {
                        chunk.Add(document);
                        if (chunk.Count == ChunkSize)
                        {
                            var full = chunk;
                            await window.Writer.WriteAsync(Task.Run(() => CheckAll(full), stop.Token), stop.Token);
                            chunk = new List<JsonDocument>(ChunkSize);
                        }
                    }

                    if (chunk.Count > 0)
                    {
                        await window.Writer.WriteAsync(Task.Run(() => CheckAll(chunk), stop.Token), stop.Token);
                    }

                    window.Writer.Complete();
                }
#pragma warning disable CA1031 // Whatever stops the reader reaches the mapping side through the channel.
                catch (Exception failure)
#pragma warning restore CA1031
                {
                    window.Writer.Complete(failure);
                }
            },
            CancellationToken.None);
        string? sourceBundle = null;
        try
        {
            await foreach (var pending in window.Reader.ReadAllAsync(cancellationToken))
            {
                var items = await pending;
                await LookUpHeldAsync(items, cancellationToken);
                foreach (var item in items)
                {
                    using (item.Document)
                    {
                        if (!ReferenceEquals(sourceBundle, reader.BundleId))
                        {
                            sourceBundle = reader.BundleId; // known once the reader passes the bundle's id: one string, not one per object
                            _source = $"{_options.SourceKind}:{sourceBundle ?? "bundle"}";
                        }

                        await ObjectAsync(item, cancellationToken);
                    }
                }
            }

            await producer;
        }
        catch (StixBundleException bad)
        {
            await DrainAsync(window.Reader);
            return Result([new StixRefusal("bundle", "bundle", bad.Message)]);
        }
        finally
        {
            await stop.CancelAsync();
        }

        if (reader.BundleId is null || !reader.BundleId.StartsWith("bundle--", StringComparison.Ordinal) || !Guid.TryParse(reader.BundleId["bundle--".Length..], out _))
        {
            _refusals.Add(new StixRefusal(reader.BundleId ?? "bundle", "bundle", "a bundle needs an id 'bundle--UUID'"));
        }

        if (_objects == 0)
        {
            _refusals.Add(new StixRefusal(reader.BundleId ?? "bundle", "bundle", "the bundle has no objects"));
        }

        await CheckReferencesAsync(cancellationToken);
        if (Writing)
        {
            await RecordsAsync(reader.BundleId ?? "bundle", cancellationToken);
        }

        return Result(_refusals);
    }

    private StixImportResult Result(IReadOnlyList<StixRefusal> refusals) =>
        new(refusals, _objects, _records, _entityInfo.Count, _links.Count, _kept) { AlreadyHeld = _alreadyHeld, Revised = _revised, MissingReferences = _missing };

    /// <summary>What the agency already holds of a chunk's ids (not those this bundle brought: <see cref="_seen"/> has them), one query per chunk.</summary>
    private async Task LookUpHeldAsync(Checked[] items, CancellationToken cancellationToken)
    {
        var ids = new List<string>(items.Length);
        foreach (var item in items)
        {
            if (item.Document.RootElement.ValueKind == JsonValueKind.Object && StixObjectValidator.Text(item.Document.RootElement, "id") is { } id && !_seen.ContainsKey(id))
            {
                ids.Add(id);
            }
        }

        _held = ids.Count == 0
            ? new Dictionary<string, List<HeldStixVersion>>(StringComparer.Ordinal)
            : (await _sink.HeldVersionsAsync(ids, cancellationToken)).GroupBy(h => h.StixId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>
    /// An object the agency already holds a version of (an earlier import or pull). The same version or an older one
    /// changes nothing (STIX: the newest version of an id is the object; an older one arriving late is ignored). A newer
    /// one is kept as a further version of the same record or entity, never as a second one: it returns what the held
    /// version became, to map the new row to. Either way, later objects of the bundle that refer to the id reach that
    /// record or entity.
    /// </summary>
    private (bool Held, bool Skip, RecordId? Record, EntityId? Entity, string? Newest) Held(string id, string? modified)
    {
        if (!_held.TryGetValue(id, out var versions))
        {
            return (false, false, null, null, null);
        }

        var newest = versions.Aggregate((a, b) => Newer(b.Modified, a.Modified) ? b : a);
        var mapped = versions.FirstOrDefault(v => v.EntityId is not null || v.RecordId is not null) ?? newest;
        if (mapped.EntityId is { } entity)
        {
            _entityOf.Set(id, entity);
        }

        return (true, !Newer(modified, newest.Modified), mapped.RecordId, mapped.EntityId, newest.Modified);
    }

    /// <summary>Whether <paramref name="candidate"/> is a later <c>modified</c> than <paramref name="current"/> (no version counts as the earliest).</summary>
    private static bool Newer(string? candidate, string? current) =>
        candidate is not null && (current is null || (StixTimestamp.TryParse(candidate, out _) && StixTimestamp.TryParse(current, out _) ? StixTimestamp.Compare(candidate, current) > 0 : string.CompareOrdinal(candidate, current) > 0));

    /// <summary>One object read and validated, with its exact text and a hash of it (to tell a repeat from a conflict).</summary>
    private sealed record Checked(JsonDocument Document, IReadOnlyList<StixRefusal> Problems, string Raw, UInt128 Hash);

    private static Checked[] CheckAll(List<JsonDocument> documents)
    {
        var checkedDocuments = new Checked[documents.Count];
        for (var i = 0; i < checkedDocuments.Length; i++)
        {
            checkedDocuments[i] = Check(documents[i]);
        }

        return checkedDocuments;
    }

    private static Checked Check(JsonDocument document)
    {
        var raw = document.RootElement.GetRawText();
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(JsonMarshal.GetRawUtf8Value(document.RootElement), digest);
        return new Checked(document, StixObjectValidator.Validate(document.RootElement), raw, BitConverter.ToUInt128(digest));
    }

    /// <summary>A version's 64-bit FNV-1a hash, never 0 (0 stands for no version). A collision could only make two versions of one id look like a conflict, a refusal, never lose one.</summary>
    private static ulong VersionHash(string? modified)
    {
        if (modified is null)
        {
            return 0;
        }

        var hash = 14695981039346656037UL;
        foreach (var c in modified)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        return hash == 0 ? 1 : hash;
    }

    private static async Task DrainAsync(ChannelReader<Task<Checked[]>> reader)
    {
        while (reader.TryRead(out var pending))
        {
            try
            {
                foreach (var item in await pending)
                {
                    item.Document.Dispose();
                }
            }
            catch (OperationCanceledException)
            {
                // nothing to dispose
            }
        }
    }

    private async Task ObjectAsync(Checked @checked, CancellationToken cancellationToken)
    {
        _objects++;
        var item = @checked.Document.RootElement;
        var problems = @checked.Problems;
        _refusals.AddRange(problems);
        var id = StixObjectValidator.Text(item, "id");
        var type = StixObjectValidator.Text(item, "type");
        if (id is null || type is null)
        {
            return;
        }

        var raw = @checked.Raw;
        var modified = StixObjectValidator.Text(item, "modified");
        var version = VersionHash(modified);
        var hash = @checked.Hash;
        var ticks = TicksOf(modified);
        var firstVersion = !_seen.TryGetValue(id, out var earlier);
        var newerInBundle = false;
        if (!firstVersion)
        {
            if (earlier.Modified == version)
            {
                if (earlier.Hash != hash)
                {
                    _refusals.Add(new StixRefusal(id, "duplicate-id", $"appears twice{(modified is null ? "" : $" with version {modified}")} and different content"));
                }

                return; // the same object twice: kept once
            }

            // Another version of an object this bundle brought: what it became follows the newest one.
            if (ticks > earlier.Ticks)
            {
                _seen.Set(id, new Seen(version, hash, ticks));
                newerInBundle = true;
            }
        }
        else
        {
            _seen.Set(id, new Seen(version, hash, ticks));
            _unresolved.Remove(id);
        }

        CollectReferences(id, item);
        if (problems.Count > 0 || !Writing)
        {
            return;
        }

        var received = ReceivedStixObject.Create(_principal.AgencyId, id, type, modified, raw, StixObjectValidator.Text(item, "created_by_ref"), _source, _now);
        var tlp = StixMarkings.TlpOf(item) ?? _options.DefaultTlp;
        if (firstVersion && Held(id, modified) is (true, var skip, var heldRecord, var heldEntity, var heldNewest))
        {
            if (skip)
            {
                // Versions later in the bundle must be newer than what is held, not only than this one, to revise it.
                _seen.Set(id, new Seen(version, hash, Math.Max(ticks, TicksOf(heldNewest))));
                _alreadyHeld++;
                return;
            }

            // A newer version of what the agency holds: the same record or entity (never a second one), given the
            // newer version's content.
            if (heldRecord is { } record && type is "report" or "note" or "grouping")
            {
                var revision = new PendingContainer(id, type, record) { Previous = await HeldTextAsync(id, cancellationToken) };
                revision.Versions.Add((ticks, modified, Utf8(item), received.CreatedByRef));
                _containerById[id] = revision;
                _revisions.Add(revision);
                return; // its row is written with the revised record, at the end
            }

            if (heldRecord is null && heldEntity is null && type == "relationship")
            {
                // The link the held version made is revised at the end, when every entity it may now join is known.
                _relationshipRevisions[id] = (ticks, Utf8(item), modified, await HeldTextAsync(id, cancellationToken));
                await _sink.AddObjectAsync(received, cancellationToken);
                return;
            }

            received.MappedTo(heldRecord, heldEntity);
            if (heldEntity is { } entity)
            {
                if (await ReviseEntityAsync(id, type, item, entity, tlp, cancellationToken))
                {
                    _revised++;
                }
            }
            else
            {
                _kept++; // a relationship, sighting...: kept as a further version (links are not revised)
            }

            await _sink.AddObjectAsync(received, cancellationToken);
            return;
        }

        if (!firstVersion)
        {
            // A further version of an object this bundle brought (or revised): kept, and what the object became
            // takes the content of the newest version.
            if (_containerById.TryGetValue(id, out var container))
            {
                container.Versions.Add((ticks, modified, Utf8(item), received.CreatedByRef));
                return; // written with its record at the end
            }

            if (_entityOf.TryGetValue(id, out var entity))
            {
                received.MappedTo(null, entity);
                if (newerInBundle)
                {
                    _ = await ReviseEntityAsync(id, type, item, entity, tlp, cancellationToken);
                }
            }
            else if (_relationshipRevisions.TryGetValue(id, out var pendingRevision))
            {
                if (newerInBundle)
                {
                    _relationshipRevisions[id] = (ticks, Utf8(item), modified, pendingRevision.Previous);
                }
            }
            else if (type == "relationship" && newerInBundle)
            {
                MapRelationship(id, item, tlp); // the last one added per id is the link made
            }
            else
            {
                _kept++;
            }

            await _sink.AddObjectAsync(received, cancellationToken);
            return;
        }

        switch (type)
        {
            case "report" or "note" or "grouping":
                var pending = new PendingContainer(id, type, null);
                pending.Versions.Add((ticks, modified, Utf8(item), received.CreatedByRef));
                _containerById[id] = pending;
                _containers.Add(pending);
                return; // its row is written with its record, at the end
            case "relationship":
                MapRelationship(id, item, tlp);
                break;
            default:
                if (MapEntity(id, type, item) is { } entity)
                {
                    await _sink.AddEntityAsync(entity, cancellationToken);
                    _entityOf.Set(id, entity.Id);
                    _entityInfo[entity.Id] = (TextsOf(entity), tlp);
                    received.MappedTo(null, entity.Id);
                }
                else
                {
                    _kept++;
                }

                break;
        }

        await _sink.AddObjectAsync(received, cancellationToken);
    }

    private static byte[] Utf8(JsonElement item) => JsonMarshal.GetRawUtf8Value(item).ToArray();

    /// <summary>A <c>modified</c> in ticks, to order versions (long.MinValue when it has none: the earliest).</summary>
    private static long TicksOf(string? modified) =>
        modified is not null && StixTimestamp.TryParse(modified, out var at) ? at.UtcTicks : long.MinValue;

    /// <summary>
    /// Gives an entity (held, or made earlier in this bundle) the content of a newer version of its STIX object. A
    /// version that names no entity Jisr can describe, or one of another type, leaves the entity as it was.
    /// </summary>
    private async Task<bool> ReviseEntityAsync(string id, string type, JsonElement item, EntityId entity, Tlp tlp, CancellationToken cancellationToken)
    {
        if (MapEntity(id, type, item) is not { } newer || !await _sink.ReviseEntityAsync(entity, newer, cancellationToken))
        {
            return false;
        }

        if (_entityInfo.ContainsKey(entity))
        {
            _entityInfo[entity] = (TextsOf(newer), tlp);
        }

        return true;
    }

    private Entity? MapEntity(string id, string type, JsonElement item)
    {
        if (JisrProperties(item) is { } jisr)
        {
            if (!jisr.TryGetProperty("entity", out var fields))
            {
                return null; // an agency's own identity (the source of what it sent) is not an entity
            }


            // Jisr's own description: it must be valid, as any entity Jisr writes.
            try
            {
                return EntityFields.ToEntity(fields, _principal.AgencyId, _now);
            }
            catch (DomainValidationException invalid)
            {
                _refusals.Add(new StixRefusal(id, "jisr-extension", $"entity {invalid.Message}"));
                return null;
            }
        }

        try
        {
            return ForeignEntity(type, item);
        }
        catch (DomainValidationException)
        {
            return null; // a foreign object Jisr cannot describe as an entity stays as received
        }
    }

    /// <summary>A partner's object without Jisr's extension, as the entity it names (null when it names none).</summary>
    private Entity? ForeignEntity(string type, JsonElement item)
    {
        string? S(string name) => StixObjectValidator.Text(item, name);
        IReadOnlyList<string> L(string name) => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).Take(50)]
            : [];
        var agency = _principal.AgencyId;
        switch (type)
        {
            case "identity" when S("identity_class") == "individual":
                return Person.Create(agency, [PersonName.Create(S("name"), "name")], null, null, Gender.Unknown, [], [], _now);
            case "identity" when S("identity_class") is "organization" or "group":
            case "threat-actor" or "intrusion-set":
                return Organisation.Create(agency, S("name"), [.. L("aliases").Where(a => a != S("name")).Distinct()], null, _now);
            case "location":
                var country = S("country") is { Length: 2 } c ? c.ToUpperInvariant() : null;
                double? lat = item.TryGetProperty("latitude", out var la) && la.ValueKind == JsonValueKind.Number ? la.GetDouble() : null;
                double? lon = item.TryGetProperty("longitude", out var lo) && lo.ValueKind == JsonValueKind.Number ? lo.GetDouble() : null;
                return Location.Create(agency, S("name") ?? S("city") ?? S("region") ?? S("country"), country, lat, lon, _now);
            case "indicator" when S("pattern_type") == "stix" && S("pattern") is { } pattern && StixPattern.SimpleEquality(pattern) is { } test:
                return test switch
                {
                    ("email-addr", "value", var v) => EmailAddress.Create(agency, v, _now),
                    ("x-jisr-phone", "number", var v) => PhoneNumber.Create(agency, v, _now),
                    ("x-jisr-crypto-wallet", "address", var v) => CryptoWallet.Create(agency, "UNKNOWN", v, _now),
                    ("domain-name", "value", var v) => OnlineAccount.Create(agency, "web", null, "https://" + v, _now),
                    ("url", "value", var v) => OnlineAccount.Create(agency, "web", null, v, _now),
                    ("user-account", "account_login", var v) => OnlineAccount.Create(agency, "unknown", v, null, _now),
                    _ => null,
                };
            case "email-addr" when S("value") is { } address:
                return EmailAddress.Create(agency, address, _now);
            default:
                return null;
        }
    }

    private void MapRelationship(string id, JsonElement item, Tlp tlp)
    {
        if (LinkOf(id, item, tlp, refuse: true) is { } link)
        {
            _links.Add(link);
        }
    }

    /// <summary>The link a relationship names (null when Jisr has no link type for it: it stays as received; or when its extension is invalid).</summary>
    private PendingLink? LinkOf(string id, JsonElement item, Tlp tlp, bool refuse)
    {
        if (!EntityVocabulary.LinkTypes.TryParse(StixObjectValidator.Text(item, "relationship_type"), out var linkType)
            || StixObjectValidator.Text(item, "source_ref") is not { } from || StixObjectValidator.Text(item, "target_ref") is not { } to)
        {
            if (refuse)
            {
                _kept++;
            }

            return null; // a relationship Jisr has no link type for stays as received
        }

        PartialDate? validFrom = null, validTo = null;
        try
        {
            if (JisrProperties(item) is { } jisr && jisr.TryGetProperty("link", out var link))
            {
                validFrom = StixObjectValidator.Text(link, "valid_from") is { } f ? PartialDate.Parse(f, "valid_from") : null;
                validTo = StixObjectValidator.Text(link, "valid_to") is { } t ? PartialDate.Parse(t, "valid_to") : null;
            }
            else
            {
                validFrom = Day(StixObjectValidator.Text(item, "start_time"));
                validTo = Day(StixObjectValidator.Text(item, "stop_time"));
            }
        }
        catch (DomainValidationException invalid)
        {
            if (refuse)
            {
                _refusals.Add(new StixRefusal(id, "jisr-extension", $"link {invalid.Message}"));
            }

            return null;
        }

        return new PendingLink(id, from, to, linkType, validFrom, validTo, tlp);
    }

    private static PartialDate? Day(string? timestamp) =>
        timestamp is not null && StixTimestamp.TryParse(timestamp, out var at) ? PartialDate.Create(at.Year, at.Month, at.Day) : null;

    /// <summary>The object's Jisr extension properties, when it has them.</summary>
    public static JsonElement? JisrProperties(JsonElement item) =>
        item.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object
        && extensions.TryGetProperty(JisrExtension.Id, out var jisr) && jisr.ValueKind == JsonValueKind.Object ? jisr : null;

    private void CollectReferences(string id, JsonElement item)
    {
        foreach (var name in CheckedRefs)
        {
            if (!item.TryGetProperty(name, out var value))
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                Refer(id, name, value.GetString()!);
            }
            else if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var target in value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String))
                {
                    Refer(id, name, target.GetString()!);
                }
            }
        }

        if (item.TryGetProperty("granular_markings", out var granular) && granular.ValueKind == JsonValueKind.Array)
        {
            foreach (var marking in granular.EnumerateArray())
            {
                if (marking.ValueKind == JsonValueKind.Object && StixObjectValidator.Text(marking, "marking_ref") is { } target)
                {
                    Refer(id, "granular_markings.marking_ref", target);
                }
            }
        }
    }

    private void Refer(string from, string property, string target)
    {
        if (!_seen.ContainsKey(target) && !StixMarkings.IsWellKnown(target))
        {
            _unresolved.TryAdd(target, $"{from}|{property}");
        }
    }

    private async Task CheckReferencesAsync(CancellationToken cancellationToken)
    {
        var missing = _unresolved.Keys.Where(k => !_seen.ContainsKey(k)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        // Held versions say both that an id is known and what it became; the few ids held without a version (a bundle's
        // own row) are asked for by id alone.
        foreach (var held in await _sink.HeldVersionsAsync(missing, cancellationToken))
        {
            _referencedHeld[held.StixId] = held.EntityId ?? _referencedHeld.GetValueOrDefault(held.StixId);
        }

        var rest = missing.Where(m => !_referencedHeld.ContainsKey(m)).ToList();
        var known = rest.Count == 0 ? new HashSet<string>() : await _sink.KnownIdsAsync(rest, cancellationToken);
        foreach (var target in rest.Where(m => !known.Contains(m)).Order(StringComparer.Ordinal))
        {
            _missing.Add(target);
            var referrer = _unresolved[target].Split('|');
            _refusals.Add(new StixRefusal(referrer[0], "reference", $"{referrer[1]} refers to {target}, which is neither in the bundle nor held by {_principal.AgencyCode}"));
        }
    }

    private async Task RecordsAsync(string bundleId, CancellationToken cancellationToken)
    {
        // A relationship this bundle brought in several versions is the link its newest version says (added last).
        var linksById = new Dictionary<string, PendingLink>(StringComparer.Ordinal);
        foreach (var link in _links)
        {
            linksById[link.StixId] = link;
        }

        if (linksById.Count < _links.Count)
        {
            var newest = linksById.Values.ToHashSet();
            _links.RemoveAll(l => !newest.Contains(l));
        }

        await ResolveHeldEntitiesAsync(cancellationToken);
        var claimed = new HashSet<EntityId>();
        var claimedLinks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var revision in _revisions)
        {
            await ReviseRecordAsync(revision, linksById, claimed, claimedLinks, cancellationToken);
        }

        foreach (var (id, revision) in _relationshipRevisions)
        {
            await ReviseLinkAsync(id, revision.Utf8, revision.Modified, revision.Previous, cancellationToken);
        }

        // Each record is written as soon as it is made (not all kept for the end: a bundle's records mention most of its
        // entities, one row each). A refusal later still leaves nothing: the caller commits only when there is none.
        foreach (var container in _containers)
        {
            var newest = container.Newest;
            using var document = JsonDocument.Parse(newest.Utf8);
            var item = document.RootElement;
            RecordContent content;
            try
            {
                content = ContentOf(container.StixId, container.Type, newest.CreatedByRef, item, null);
            }
            catch (DomainValidationException invalid)
            {
                _refusals.Add(new StixRefusal(container.StixId, "record", invalid.Message));
                continue;
            }

            var decision = AccessPolicy.CanCreate(_principal, content);
            if (!decision.IsAllowed)
            {
                _refusals.Add(new StixRefusal(container.StixId, "policy", decision.Reason ?? "not allowed"));
                continue;
            }

            var (entities, drafts) = Assertions(item, linksById, claimedLinks);
            var record = Record.Create(_principal.AgencyId, _principal.UserId, content, _now);
            try
            {
                record.SetAssertions(entities, drafts);
            }
            catch (DomainValidationException invalid)
            {
                _refusals.Add(new StixRefusal(container.StixId, "record", invalid.Message));
                continue;
            }

            claimed.UnionWith(entities);
            if (Writing)
            {
                await _sink.AddRecordAsync(record, [.. entities.SelectMany(e => _entityInfo.TryGetValue(e, out var info) ? info.Texts : [])], cancellationToken);
                await AddVersionsAsync(container, record.Id, cancellationToken);
                _records++;
            }
        }

        var bundleRecords = BundleRecords(bundleId, claimed, claimedLinks);
        if (!Writing)
        {
            return;
        }

        foreach (var (record, row, entities) in bundleRecords)
        {
            await _sink.AddRecordAsync(record, [.. entities.SelectMany(e => _entityInfo.TryGetValue(e, out var info) ? info.Texts : [])], cancellationToken);
            await _sink.AddObjectAsync(row!, cancellationToken);
            _records++;
        }
    }

    /// <summary>The rows of every version of a report, note or grouping, mapped to the record it became.</summary>
    private async Task AddVersionsAsync(PendingContainer container, RecordId record, CancellationToken cancellationToken)
    {
        foreach (var version in container.Versions)
        {
            var row = ReceivedStixObject.Create(_principal.AgencyId, container.StixId, container.Type, version.Modified, Encoding.UTF8.GetString(version.Utf8), version.CreatedByRef, _source, _now);
            row.MappedTo(record, null);
            await _sink.AddObjectAsync(row, cancellationToken);
        }
    }

    /// <summary>The entities and links a report's object_refs name: entities directly, and both ends of each relationship it names.</summary>
    private (List<EntityId> Entities, List<LinkDraft> Links) Assertions(JsonElement item, Dictionary<string, PendingLink> linksById, HashSet<string> claimedLinks)
    {
        var entities = new List<EntityId>();
        var drafts = new List<LinkDraft>();
        foreach (var target in ObjectRefs(item))
        {
            if (_entityOf.TryGetValue(target, out var entityId))
            {
                entities.Add(entityId);
            }
            else if (linksById.TryGetValue(target, out var link) && Draft(link) is { } draft)
            {
                drafts.Add(draft);
                entities.Add(draft.FromEntityId);
                entities.Add(draft.ToEntityId);
                claimedLinks.Add(link.StixId);
            }
        }

        return ([.. entities.Distinct()], drafts);
    }

    private static IEnumerable<string> ObjectRefs(JsonElement item) =>
        item.TryGetProperty("object_refs", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)
            : [];

    /// <summary>
    /// Entities the agency holds from earlier imports that a report of this bundle names without bringing them again
    /// (a revised report, a feed's later page): looked up once for all reports, so the record mentions them too.
    /// </summary>
    private async Task ResolveHeldEntitiesAsync(CancellationToken cancellationToken)
    {
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in _containers.Concat(_revisions))
        {
            using var document = JsonDocument.Parse(container.Newest.Utf8);
            missing.UnionWith(ObjectRefs(document.RootElement).Where(r => !_entityOf.ContainsKey(r) && !_seen.ContainsKey(r)));
        }

        foreach (var id in missing.Where(_referencedHeld.ContainsKey).ToList())
        {
            if (_referencedHeld[id] is { } entity)
            {
                _entityOf.Set(id, entity);
            }

            missing.Remove(id);
        }

        if (missing.Count == 0)
        {
            return;
        }

        foreach (var held in await _sink.HeldVersionsAsync(missing, cancellationToken))
        {
            if (held.EntityId is { } entity)
            {
                _entityOf.Set(held.StixId, entity);
            }
        }
    }

    /// <summary>
    /// A newer version of a report the agency holds: the record it became takes the new version's content (the policy's
    /// <see cref="AccessPolicy.CanUpdate"/> as for any change) and mentions what the new version names besides what it
    /// mentioned (what an earlier version asserted is not withdrawn). A version that would lower the record's marking
    /// leaves the marking as it is: lowering one is a declassification, for a legal reviewer.
    /// </summary>
    private async Task ReviseRecordAsync(PendingContainer revision, Dictionary<string, PendingLink> linksById, HashSet<EntityId> claimed, HashSet<string> claimedLinks, CancellationToken cancellationToken)
    {
        var newest = revision.Newest;
        using var document = JsonDocument.Parse(newest.Utf8);
        var item = document.RootElement;
        var (entities, drafts) = Assertions(item, linksById, claimedLinks);
        claimed.UnionWith(entities);
        if (!Writing)
        {
            return;
        }

        var record = await _sink.HeldRecordAsync(revision.Held!.Value, cancellationToken);
        if (record is null)
        {
            _refusals.Add(new StixRefusal(revision.StixId, "record", $"the record {revision.Held.Value} an earlier version became is not held by {_principal.AgencyCode} any more"));
            return;
        }

        try
        {
            var content = ContentOf(revision.StixId, revision.Type, newest.CreatedByRef, item, record);
            var decision = AccessPolicy.CanUpdate(_principal, record, content, _now);
            if (!decision.IsAllowed)
            {
                _refusals.Add(new StixRefusal(revision.StixId, "policy", decision.Reason ?? "not allowed"));
                return;
            }

            // STIX: the newer version is the object. What the held version named and this one does not is withdrawn
            // (the entities, and the links of the relationships, it named); what the record has from elsewhere stays.
            var (withdrawnEntities, withdrawnLinks) = await WithdrawnAsync(revision.Previous, item, cancellationToken);
            withdrawnEntities.ExceptWith(entities);
            var links = record.Links
                .Where(l => !withdrawnLinks.Contains((l.FromEntityId, l.ToEntityId, l.Type)))
                .Select(l => LinkDraft.Create(l.FromEntityId, l.ToEntityId, l.Type, l.ValidFrom, l.ValidTo, _now))
                .Concat(drafts)
                .DistinctBy(d => (d.FromEntityId, d.ToEntityId, d.Type, d.ValidFrom, d.ValidTo))
                .ToList();
            record.Update(content, _now);
            record.SetAssertions(
                [.. record.Mentions.Select(m => m.EntityId).Where(e => !withdrawnEntities.Contains(e)).Concat(entities).Concat(links.SelectMany(l => new[] { l.FromEntityId, l.ToEntityId })).Distinct()],
                links);
        }
        catch (DomainValidationException invalid)
        {
            _refusals.Add(new StixRefusal(revision.StixId, "record", invalid.Message));
            return;
        }

        await _sink.UpdateRecordAsync(record, $"revised by STIX {revision.StixId} version {newest.Modified ?? "(none)"}", cancellationToken);
        await AddVersionsAsync(revision, record.Id, cancellationToken);
        _revised++;
    }

    /// <summary>
    /// What a held version of a report, note or grouping named that the newer one does not: entities it named directly
    /// or as ends of a relationship it named, and those relationships' links.
    /// </summary>
    private async Task<(HashSet<EntityId> Entities, HashSet<(EntityId, EntityId, LinkType)> Links)> WithdrawnAsync(string? previous, JsonElement newest, CancellationToken cancellationToken)
    {
        var entities = new HashSet<EntityId>();
        var links = new HashSet<(EntityId, EntityId, LinkType)>();
        if (previous is null)
        {
            return (entities, links);
        }

        using var document = JsonDocument.Parse(previous);
        var named = ObjectRefs(newest).ToHashSet(StringComparer.Ordinal);
        foreach (var target in ObjectRefs(document.RootElement).Where(r => !named.Contains(r)).Distinct(StringComparer.Ordinal).ToList())
        {
            if (target.StartsWith("relationship--", StringComparison.Ordinal))
            {
                if (await HeldLinkAsync(target, cancellationToken) is { } link)
                {
                    links.Add((link.FromEntityId, link.ToEntityId, link.Type));
                    entities.Add(link.FromEntityId);
                    entities.Add(link.ToEntityId);
                }
            }
            else if (await EntityOfAsync(target, cancellationToken) is { } entity)
            {
                entities.Add(entity);
            }
        }

        return (entities, links);
    }

    /// <summary>The link the held version of a relationship made (null when it made none).</summary>
    private async Task<LinkDraft?> HeldLinkAsync(string relationshipId, CancellationToken cancellationToken)
    {
        // A relationship this bundle also revises: its rows may be written by now, so what was held is what it replaced.
        var text = _relationshipRevisions.TryGetValue(relationshipId, out var revision) ? revision.Previous : await HeldTextAsync(relationshipId, cancellationToken);
        return text is null ? null : await LinkOfTextAsync(relationshipId, text, cancellationToken);
    }

    private async Task<LinkDraft?> LinkOfTextAsync(string relationshipId, string text, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(text);
        return LinkOf(relationshipId, document.RootElement, Tlp.Clear, refuse: false) is { } link ? await DraftAsync(link, cancellationToken) : null;
    }

    /// <summary>The text of the newest version of an id the agency held before this import (null when it held none).</summary>
    private async Task<string?> HeldTextAsync(string stixId, CancellationToken cancellationToken)
    {
        var versions = await _sink.HeldTextsAsync(stixId, cancellationToken);
        return versions.Count == 0 ? null : versions.Aggregate((a, b) => Newer(b.Modified, a.Modified) ? b : a).Json;
    }

    /// <summary>The entity a STIX id became, in this bundle or held from an earlier import.</summary>
    private async Task<EntityId?> EntityOfAsync(string stixId, CancellationToken cancellationToken)
    {
        if (_entityOf.TryGetValue(stixId, out var entity))
        {
            return entity;
        }

        foreach (var held in await _sink.HeldVersionsAsync([stixId], cancellationToken))
        {
            if (held.EntityId is { } found)
            {
                _entityOf.Set(stixId, found);
                return found;
            }
        }

        return null;
    }

    private async Task<LinkDraft?> DraftAsync(PendingLink link, CancellationToken cancellationToken)
    {
        if (await EntityOfAsync(link.From, cancellationToken) is not { } from || await EntityOfAsync(link.To, cancellationToken) is not { } to || from == to)
        {
            return null;
        }

        try
        {
            return LinkDraft.Create(from, to, link.Type, link.ValidFrom, link.ValidTo, _now);
        }
        catch (DomainValidationException)
        {
            return null;
        }
    }

    /// <summary>
    /// A newer version of a relationship the agency holds: every record of the agency that asserts the link the held
    /// version made has it replaced by the link the newer version makes (none when Jisr has no link type for it), as
    /// any change of a record: <see cref="AccessPolicy.CanUpdate"/>, an audit entry, search text made again. The
    /// records keep mentioning the entities the old link joined (they may name them for other reasons).
    /// </summary>
    private async Task ReviseLinkAsync(string id, byte[] utf8, string? modified, string? previous, CancellationToken cancellationToken)
    {
        if (!Writing || previous is null || await LinkOfTextAsync(id, previous, cancellationToken) is not { } old)
        {
            _kept++; // the held version made no link: the newer one is kept as received
            return;
        }

        using var document = JsonDocument.Parse(utf8);
        var item = document.RootElement;
        var newer = LinkOf(id, item, StixMarkings.TlpOf(item) ?? _options.DefaultTlp, refuse: false) is { } link ? await DraftAsync(link, cancellationToken) : null;
        var changed = false;
        foreach (var recordId in await _sink.RecordsWithLinkAsync(old.FromEntityId, old.ToEntityId, old.Type, cancellationToken))
        {
            var record = await _sink.HeldRecordAsync(recordId, cancellationToken);
            if (record is null)
            {
                continue;
            }

            try
            {
                var unchanged = RecordContent.Create(record.Kind, record.Title, record.Body, record.Language, record.LegalBasis, record.Purpose, record.RetentionUntil, record.ReviewDate, record.Marking, record.SourceGrading, [.. record.ThreatDomains]);
                var decision = AccessPolicy.CanUpdate(_principal, record, unchanged, _now);
                if (!decision.IsAllowed)
                {
                    _refusals.Add(new StixRefusal(id, "policy", decision.Reason ?? "not allowed"));
                    return;
                }

                var links = record.Links
                    .Where(l => (l.FromEntityId, l.ToEntityId, l.Type) != (old.FromEntityId, old.ToEntityId, old.Type))
                    .Select(l => LinkDraft.Create(l.FromEntityId, l.ToEntityId, l.Type, l.ValidFrom, l.ValidTo, _now))
                    .Concat(newer is null ? [] : [newer])
                    .DistinctBy(d => (d.FromEntityId, d.ToEntityId, d.Type, d.ValidFrom, d.ValidTo))
                    .ToList();
                record.SetAssertions([.. record.Mentions.Select(m => m.EntityId).Concat(newer is null ? [] : [newer.FromEntityId, newer.ToEntityId]).Distinct()], links);
            }
            catch (DomainValidationException invalid)
            {
                _refusals.Add(new StixRefusal(id, "record", invalid.Message));
                return;
            }

            await _sink.UpdateRecordAsync(record, $"link revised by STIX {id} version {modified ?? "(none)"}", cancellationToken);
            changed = true;
        }

        if (changed)
        {
            _revised++;
        }
        else
        {
            _kept++;
        }
    }

    /// <summary>Entities and links no report claims go into records of the bundle, within a record's limits.</summary>
    private IEnumerable<(Record, ReceivedStixObject?, List<EntityId>)> BundleRecords(string bundleId, HashSet<EntityId> claimed, HashSet<string> claimedLinks)
    {
        var entities = new List<EntityId>();
        var mentioned = new HashSet<EntityId>();
        var drafts = new List<LinkDraft>();
        var tlp = Tlp.Clear;
        var part = 0;
        var made = new List<(Record, ReceivedStixObject?, List<EntityId>)>();
        void Flush()
        {
            if (entities.Count == 0)
            {
                return;
            }

            part++;
            var content = RecordContent.Create(
                RecordKind.IntelligenceReport,
                $"STIX {bundleId}: objects outside any report (part {part})",
                string.Empty,
                "en",
                Clip($"received in STIX ({_source})", 500),
                _options.Purpose,
                _now + _options.Retention,
                DateOnly.FromDateTime((_now + _options.Review).UtcDateTime),
                Marking.Create(_options.DefaultClassification, tlp, HandlingCode.H0),
                _options.DefaultGrading,
                [_options.DefaultThreatDomain]);
            var record = Record.Create(_principal.AgencyId, _principal.UserId, content, _now);
            record.SetAssertions([.. entities], drafts);
            var row = ReceivedStixObject.Create(_principal.AgencyId, bundleId, "bundle", null, string.Empty, null, _source, _now);
            row.MappedTo(record.Id, null);
            made.Add((record, row, [.. entities]));
            entities = [];
            mentioned.Clear();
            drafts = [];
            tlp = Tlp.Clear;
        }

        void Mention(EntityId id)
        {
            if (mentioned.Add(id))
            {
                entities.Add(id);
                if (_entityInfo.TryGetValue(id, out var info) && info.Tlp > tlp)
                {
                    tlp = info.Tlp;
                }
            }
        }

        foreach (var link in _links.Where(l => !claimedLinks.Contains(l.StixId)))
        {
            if (Draft(link) is not { } draft)
            {
                continue;
            }

            if (entities.Count + 2 > Record.MaxMentions || drafts.Count + 1 > Record.MaxLinks)
            {
                Flush();
            }

            Mention(draft.FromEntityId);
            Mention(draft.ToEntityId);
            drafts.Add(draft);
            claimed.Add(draft.FromEntityId);
            claimed.Add(draft.ToEntityId);
            if (link.Tlp > tlp)
            {
                tlp = link.Tlp;
            }
        }

        foreach (var id in _entityInfo.Keys.Where(e => !claimed.Contains(e)))
        {
            if (entities.Count + 1 > Record.MaxMentions)
            {
                Flush();
            }

            Mention(id);
        }

        Flush();
        return made;
    }

    private LinkDraft? Draft(PendingLink link)
    {
        if (!_entityOf.TryGetValue(link.From, out var from) || !_entityOf.TryGetValue(link.To, out var to) || from == to)
        {
            return null;
        }

        try
        {
            return LinkDraft.Create(from, to, link.Type, link.ValidFrom, link.ValidTo, _now);
        }
        catch (DomainValidationException)
        {
            return null;
        }
    }

    /// <summary>A record's content: from the Jisr extension when the report has it, else from STIX's own properties and the options.</summary>
    private RecordContent ContentOf(string stixId, string type, string? createdByRef, JsonElement item, Record? revising)
    {
        string? S(string name) => StixObjectValidator.Text(item, name);
        if (JisrProperties(item) is { } jisr && jisr.TryGetProperty("record", out var r))
        {
            string? R(string name) => StixObjectValidator.Text(r, name);
            var domains = r.TryGetProperty("threat_domains", out var d) && d.ValueKind == JsonValueKind.Array
                ? d.EnumerateArray().Select(x => RecordVocabulary.ThreatDomains.Parse(x.GetString(), "threat_domains")).ToList()
                : [];
            return RecordContent.Create(
                RecordVocabulary.Kinds.Parse(R("kind"), "kind"),
                S("name") ?? S("abstract") ?? string.Empty,
                S("description") ?? S("content"),
                R("language"),
                R("legal_basis"),
                R("purpose"),
                StixTimestamp.TryParse(R("retention_until") ?? string.Empty, out var until) ? until : throw DomainValidationException.Coded("retention_until", ValidationCodes.NotATimestamp, "is not a timestamp", R("retention_until") ?? string.Empty),
                DateOnly.TryParseExact(R("review_date"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var review) ? review : throw DomainValidationException.Coded("review_date", ValidationCodes.NotADate, "is not a date", R("review_date") ?? string.Empty),
                Kept(revising, Marking.Parse(R("classification"), R("tlp"), R("handling"), R("handling_note"))),
                SourceGrading.Parse(R("source_grading"), "source_grading"),
                domains);
        }

        var labels = item.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Array
            ? l.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];
        var threatDomains = labels.Select(x => RecordVocabulary.ThreatDomains.TryParse(x, out var td) ? (ThreatDomain?)td : null).OfType<ThreatDomain>().ToList();
        var grading = labels.Select(AdmiraltyOf).FirstOrDefault(g => g is not null) ?? _options.DefaultGrading;
        var body = S("description") ?? S("content") ?? string.Empty;
        var title = S("name") ?? S("abstract") ?? (body.Length > 0 ? body : $"{type} {stixId}");
        var lang = S("lang") is { Length: 2 or 3 } code && code.All(char.IsAsciiLetter) ? code : "en";
        return RecordContent.Create(
            type == "note" ? RecordKind.FieldReport : RecordKind.IntelligenceReport,
            Clip(title.ReplaceLineEndings(" "), Record.MaxTitleLength),
            Clip(body, Record.MaxBodyLength),
            lang,
            Clip($"received in STIX from {createdByRef ?? "an unnamed sender"} ({_source})", 500),
            _options.Purpose,
            revising?.RetentionUntil ?? _now + _options.Retention, // a revision keeps the record's retention and review
            revising?.ReviewDate ?? DateOnly.FromDateTime((_now + _options.Review).UtcDateTime),
            Kept(revising, Marking.Create(_options.DefaultClassification, StixMarkings.TlpOf(item) ?? _options.DefaultTlp, HandlingCode.H0)),
            grading,
            threatDomains.Count > 0 ? threatDomains : [_options.DefaultThreatDomain]);
    }

    /// <summary>A revision never lowers a record's marking (that is a declassification, for a legal reviewer): it keeps the record's one then.</summary>
    private static Marking Kept(Record? revising, Marking marking) =>
        revising is not null && AccessPolicy.IsLowered(revising.Marking, marking) ? revising.Marking : marking;

    /// <summary>An Admiralty grade from a label such as "admiralty:B2" (how MISP's admiralty-scale tags travel).</summary>
    private static SourceGrading? AdmiraltyOf(string label) =>
        label.StartsWith("admiralty:", StringComparison.Ordinal) && label.Length == 12 && label[10] is >= 'A' and <= 'F' && label[11] is >= '1' and <= '6'
            ? SourceGrading.Create(label[10], label[11] - '0')
            : null;

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];

    private static string[] TextsOf(Entity entity) => entity switch
    {
        Person p => [.. p.Names.Select(n => n.Text)],
        Organisation o => [o.Label, .. o.Aliases],
        _ => [entity.Label],
    };
}
