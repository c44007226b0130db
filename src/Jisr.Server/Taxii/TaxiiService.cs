using System.Text;
using System.Text.Json.Nodes;
using Jisr.Domain.Exchange;
using Jisr.Exchange.Stix.Export;
using Jisr.Exchange.Stix.Import;
using Jisr.Exchange.Taxii;
using Jisr.Storage.Exchange;

namespace Jisr.Server.Taxii;

/// <summary>
/// A TAXII collection as one caller sees it: its agency's own collection (what it received in STIX, writable), or the
/// feed it serves a partner under one sharing agreement in force (read-only).
/// </summary>
public sealed record TaxiiCollection(Guid Id, string Title, string Description, bool CanRead, bool CanWrite, SharingAgreement? Agreement);

/// <summary>
/// The TAXII server's reads and writes for one caller. What an agreement's collection holds is decided by
/// <see cref="AccessPolicy.CanServeOverTaxii"/>, record by record; the objects are the STIX export's mapping of those
/// records. Every read is audited, found or not.
/// </summary>
public sealed class TaxiiService(StixObjectStore store, AgreementStore agreements, AgencyDirectory agencies, StixExchangeService exchange, TaxiiFeedCache cache, TimeProvider time)
{
    /// <summary>The caller's agency's own collection id: stable, derived from the agency's id.</summary>
    public static Guid OwnCollectionId(AgencyId agencyId) => StixIds.UuidV5(agencyId.Value, "taxii-own-collection");

    public async Task<IReadOnlyList<TaxiiCollection>> CollectionsAsync(Principal principal, CancellationToken cancellationToken)
    {
        var list = await ListAsync(principal, cancellationToken);
        await store.AuditTaxiiReadAsync(principal, null, true, $"collections: {list.Count}");
        return list;
    }

    public async Task<TaxiiCollection?> CollectionAsync(Principal principal, Guid id, string what, CancellationToken cancellationToken)
    {
        var found = (await ListAsync(principal, cancellationToken)).FirstOrDefault(c => c.Id == id);
        await store.AuditTaxiiReadAsync(principal, id.ToString("D"), found is not null, what);
        return found;
    }

    /// <summary>Every object version of a collection the caller may read (see <see cref="CollectionAsync"/>).</summary>
    public async Task<TaxiiObjectSet> ObjectsAsync(Principal principal, TaxiiCollection collection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        // Paging asks for the same collection again and again: it is computed once while nothing it depends on changes.
        // The build is shared with the caller's requests that come while it runs, so one request's cancellation (a
        // client gone) does not stop it; the request that started it waits for it, which keeps its scope alive.
        var data = await store.ServedStampAsync(principal.AgencyId, cancellationToken);
        var caller = $"{principal.UserId.Value:D}|{principal.Clearance}|{string.Join(',', principal.Roles.Order())}";
        if (collection.Agreement is { } agreement)
        {
            var terms = $"{agreement.Id.Value:D}|{agreement.Status}|{agreement.AcceptedAt:O}|{agreement.StatusChangedAt:O}|{agreement.ValidFrom:O}|{agreement.ValidUntil:O}";
            return await cache.GetAsync($"served|{caller}|{agreement.Id.Value:D}", $"{terms}|{data}", () => ServedAsync(principal, agreement, CancellationToken.None));
        }

        return await cache.GetAsync($"received|{principal.AgencyId.Value:D}", data, () => ReceivedAsync(principal.AgencyId, CancellationToken.None));
    }

    /// <summary>Imports an envelope's objects into the caller's agency, all or nothing; returns the status resource.</summary>
    public async Task<JsonObject> AddAsync(Principal principal, JsonArray objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var bundleId = $"bundle--{Guid.NewGuid():D}";
        var bundle = new JsonObject { ["type"] = "bundle", ["id"] = bundleId, ["objects"] = objects.DeepClone() };
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(bundle.ToJsonString()));
        var requestTime = time.GetUtcNow();
        StixImportResult? result = null;
        string? unreadable = null;
        try
        {
            result = await exchange.ImportAsync(principal, stream, new StixImportOptions { Purpose = "information received from a partner over TAXII 2.1" }, cancellationToken);
        }
        catch (StixBundleException e)
        {
            unreadable = e.Message;
        }

        var ids = objects.Select(o => (o as JsonObject)?["id"]?.GetValue<string>() ?? "?").ToList();
        var successes = new JsonArray();
        var failures = new JsonArray();
        foreach (var (id, item) in ids.Zip(objects))
        {
            var version = (item as JsonObject)?["modified"]?.ToString();
            if (result is { Succeeded: true })
            {
                successes.Add(StatusDetail(id, version, null));
                continue;
            }

            var refusal = result?.Refusals.FirstOrDefault(r => r.ObjectId == id);
            failures.Add(StatusDetail(id, version, refusal is not null
                ? $"{refusal.Rule}: {refusal.Message}"
                : unreadable ?? "not imported: an envelope is imported all or nothing, and another object of it was refused"));
        }

        var statusId = Guid.NewGuid();
        var status = new JsonObject
        {
            ["id"] = statusId.ToString("D"),
            ["status"] = "complete",
            ["request_timestamp"] = TaxiiTime.Format(requestTime),
            ["total_count"] = ids.Count,
            ["success_count"] = successes.Count,
            ["successes"] = successes,
            ["failure_count"] = failures.Count,
            ["failures"] = failures,
            ["pending_count"] = 0,
            ["pendings"] = new JsonArray(),
        };
        await store.SaveTaxiiStatusAsync(principal.AgencyId, statusId, status.ToJsonString(), CancellationToken.None); // the import is in: its status must be too
        return status;
    }

    public async Task<JsonObject?> StatusAsync(Principal principal, Guid id)
    {
        var json = await store.TaxiiStatusAsync(principal.AgencyId, id, CancellationToken.None);
        var status = json is null ? null : JsonNode.Parse(json)!.AsObject();
        await store.AuditTaxiiReadAsync(principal, null, status is not null, $"status {id:D}");
        return status;
    }

    private static JsonObject StatusDetail(string id, string? version, string? message)
    {
        var detail = new JsonObject { ["id"] = id };
        if (version is not null)
        {
            detail["version"] = version;
        }

        if (message is not null)
        {
            detail["message"] = message;
        }

        return detail;
    }

    private async Task<List<TaxiiCollection>> ListAsync(Principal principal, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var own = await agencies.GetAsync(principal.AgencyId, cancellationToken);
        var list = new List<TaxiiCollection>
        {
            new(OwnCollectionId(principal.AgencyId), $"{own.Code}: received", $"What {own.Code} received in STIX (imports and TAXII posts); posting here imports into {own.Code}.", true, true, null),
        };
        foreach (var agreement in (await agreements.InForceAsync(principal, today, cancellationToken)).OrderBy(a => a.ProposedAt))
        {
            var partner = await agencies.GetAsync(agreement.Counterpart(principal.AgencyId), cancellationToken);
            list.Add(new(agreement.Id.Value, $"{own.Code} to {partner.Code}", $"What {own.Code} may release to {partner.Code} under agreement {agreement.Id.Value:D}: its own records whose markings and threat domains the agreement covers, never TLP:RED.", true, false, agreement));
        }

        return list;
    }

    /// <summary>
    /// The objects of the agency's records the policy lets it serve under the agreement: the export's plan of them (ids,
    /// versions, references) is ordered into pages first, and their texts are made in page order while the first pages
    /// are already served (the same objects, texts and dates as the export's bundle would give; a test compares both).
    /// </summary>
    private async Task<TaxiiObjectSet> ServedAsync(Principal principal, SharingAgreement agreement, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var received = await store.ReceivedIdsAsync(principal.AgencyId, cancellationToken);
        var records = (await store.RecordsToExportAsync(principal, cancellationToken))
            .Where(r => AccessPolicy.CanServeOverTaxii(principal, r, agreement, received.ContainsKey(r.Id.Value), now).IsAllowed)
            .ToList();
        if (records.Count == 0)
        {
            return new TaxiiObjectSet([]);
        }

        var agency = await agencies.FindAsync(principal.AgencyId, cancellationToken) ?? throw new InvalidOperationException("the caller's agency is not registered");
        var entities = await store.EntitiesAsync(records.SelectMany(r => r.Mentions.Select(m => m.EntityId)), cancellationToken);
        var plan = StixAgencyExport.Plan(agency, records, entities, new Dictionary<Guid, string>());

        // The feed opened when the agreement came into force: accepted, valid from, or resumed after a suspension.
        var openedAt = new[] { agreement.AcceptedAt ?? agreement.ProposedAt, agreement.StatusChangedAt ?? agreement.ProposedAt, new DateTimeOffset(agreement.ValidFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) }.Max();
        var outlines = TaxiiFeed.Outlines(plan.Objects, openedAt, now);
        return TaxiiObjectSet.Making([.. outlines.Select((outline, i) => (outline, (Func<string>)plan.Objects[i].Text))]);
    }

    private async Task<TaxiiObjectSet> ReceivedAsync(AgencyId agencyId, CancellationToken cancellationToken)
    {
        var result = new List<TaxiiObject>();
        var seen = new HashSet<(string, string)>();
        await foreach (var received in store.ReceivedAsync(agencyId).WithCancellation(cancellationToken))
        {
            if (received.Json.Length == 0)
            {
                continue; // the row that ties a bundle to the record of its objects outside any report: not a STIX object
            }

            var version = received.Modified;
            var spec = "2.1";
            if (version is null)
            {
                using var document = JsonDocument.Parse(received.Json);
                version = document.RootElement.TryGetProperty("created", out var created) && created.ValueKind == JsonValueKind.String
                    ? created.GetString()!
                    : TaxiiTime.Format(received.ReceivedAt);
            }

            if (seen.Add((received.StixId, version)))
            {
                result.Add(new TaxiiObject(received.StixId, received.Type, version, spec, received.ReceivedAt, received.Json));
            }
        }

        return new TaxiiObjectSet(result);
    }
}
