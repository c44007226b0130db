using Jisr.Server.Persons;

namespace Jisr.Server.Application;

/// <summary>
/// Records: the list, full-text search and reads come from <see cref="RecordStore"/>, which applies the read rule and
/// audits each of them; exports, creation, changes and deletion are decided by the policy. A record refers to existing
/// entities only where the caller may read them and they are its agency's own; a TLP:RED record names recipients among
/// the users of the caller's agency.
/// </summary>
public sealed class RecordService(RecordStore records, DeclassificationStore declassifications, EntityStore entities, PersonNameIndex persons, AgencyNames names, AgencyDirectory agencies, TimeProvider time)
{
    public Task<Page<RecordHeader>> ListAsync(Principal caller, string? cursor, int limit, CancellationToken cancellationToken) =>
        records.ListAsync(caller, cursor, limit, cancellationToken);

    /// <summary>The list narrowed by <paramref name="filter"/> (after the read rule, so it never shows more).</summary>
    public Task<Page<RecordHeader>> ListAsync(Principal caller, RecordFilter filter, string? cursor, int limit, CancellationToken cancellationToken) =>
        records.ListAsync(caller, filter, cursor, limit, cancellationToken);

    /// <summary>Full-text search within what the caller may read; every search declares its <paramref name="purpose"/>, kept in the audit log.</summary>
    public Task<Page<RecordHeader>> SearchAsync(Principal caller, string? query, string purpose, string? cursor, int limit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw DomainValidationException.Coded("q", ValidationCodes.Required, "is required: the words to search for");
        }

        return records.SearchAsync(caller, query, Declared(purpose), cursor, limit, cancellationToken);
    }

    public async Task<Outcome<RecordDetails>> ReadAsync(Principal caller, Guid id, CancellationToken cancellationToken) =>
        Change.Found(await records.ReadAsync(caller, new RecordId(id), cancellationToken), $"record {id}");

    /// <summary>
    /// The record as a STIX 2.1 bundle (report, entities, links, markings), serialized. The read is audited as an
    /// export with the declared <paramref name="purpose"/>, found or not; the policy then decides on the record as
    /// in-memory checks need it (with the agreement a copy came under and the named recipients).
    /// </summary>
    public async Task<Outcome<string>> ExportStixAsync(Principal caller, Guid id, string purpose, CancellationToken cancellationToken)
    {
        var what = $"record {id}";
        var details = await records.ReadAsync(caller, new RecordId(id), cancellationToken, AuditActions.RecordExportStix, Declared(purpose));
        if (details is null)
        {
            return Refusal.NotFound(what);
        }

        var record = await records.FindForUpdateAsync(caller, new RecordId(id), cancellationToken);
        var decision = record is null ? PolicyDecision.NotVisible : AccessPolicy.CanExport(caller, record, time.GetUtcNow());
        if (Refusal.Of(decision, what) is { } refused)
        {
            return refused;
        }

        var originator = await agencies.FindAsync(details.Record.OriginatorAgencyId, cancellationToken)
            ?? throw new InvalidOperationException($"record {id} names an originator agency that does not exist");
        return StixRecordExport.Serialize(StixRecordExport.Bundle(details.Record, originator, details.Entities));
    }

    public Task<Outcome<RecordDetails>> CreateAsync(Principal caller, RecordRequest request, CancellationToken cancellationToken) =>
        CreateAsync(caller, request, null, cancellationToken);

    /// <summary>
    /// Creates the record under <paramref name="id"/>, once: when a record with that id exists already (the same
    /// request sent again, to this node or another over the same database, before or after a restart), the answer is
    /// that record as the caller may read it, and nothing new is stored. The caller derives the id from something only
    /// it knows (see the web interface's form keys), so it cannot name another's record.
    /// </summary>
    public async Task<Outcome<RecordDetails>> CreateOnceAsync(Principal caller, RecordRequest request, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            return await CreateAsync(caller, request, new RecordId(id), cancellationToken);
        }
        catch (DomainStateException)
        {
            return await ReadAsync(caller, id, cancellationToken);
        }
    }

    private async Task<Outcome<RecordDetails>> CreateAsync(Principal caller, RecordRequest request, RecordId? id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var content = RecordMapping.ToContent(request);
        if (Refusal.Of(AccessPolicy.CanCreate(caller, content), "records") is { } refused)
        {
            return refused;
        }

        var assertions = await AssertionsAsync(caller, request, content, now, cancellationToken);
        var record = Record.Create(caller.AgencyId, caller.UserId, content, now, id);
        record.SetAssertions(assertions.AllEntities, assertions.Links);
        record.SetRecipients(await RecipientsAsync(caller, request));
        await records.CreateAsync(caller, record, assertions.NewEntities, assertions.AllEntities, cancellationToken);
        return Written(record, assertions);
    }

    /// <summary>
    /// The request is the record's full new state. The record must be readable (404), the new content valid (400) and
    /// the change allowed (404 or 403) before the entities and recipients it names are resolved and the record changes.
    /// A change that lowers the marking or widens TLP:RED recipients is held for a legal reviewer instead (the record
    /// stays as it is): the answer is then the held <see cref="Declassification"/>.
    /// </summary>
    public async Task<Outcome<RecordChange>> UpdateAsync(Principal caller, Guid id, RecordRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var what = $"record {id}";
        var record = await records.FindForUpdateAsync(caller, new RecordId(id), cancellationToken);
        if (record is null)
        {
            return Refusal.NotFound(what);
        }

        var content = RecordMapping.ToContent(request);
        if (Refusal.Of(AccessPolicy.CanUpdate(caller, record, content, now), what) is { } refused)
        {
            return refused;
        }

        var assertions = await AssertionsAsync(caller, request, content, now, cancellationToken);
        var recipients = await RecipientsAsync(caller, request);
        if (AccessPolicy.ChangeNeedsLegalApproval(record, content.Marking, recipients))
        {
            var held = Declassification.Request(record, caller.UserId, content.Marking, AccessPolicy.WidensRecipients(record, content.Marking, recipients),
                DeclassificationService.Serialize(request), now);
            await declassifications.AddAsync(caller, held, cancellationToken);
            return new RecordChange(null, held);
        }

        Apply(record, content, assertions, recipients, now);
        await records.UpdateAsync(caller, record, assertions.NewEntities, assertions.AllEntities, cancellationToken);
        return new RecordChange(Written(record, assertions), null);
    }

    /// <summary>
    /// Applies an approved declassification's <paramref name="request"/> to <paramref name="record"/> (already
    /// decided by the policy and bound to the record's version), entities and recipients resolved for the approver.
    /// </summary>
    internal async Task<RecordAssertions> ApplyApprovedAsync(Principal approver, Record record, RecordRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var content = RecordMapping.ToContent(request);
        var assertions = await AssertionsAsync(approver, request, content, now, cancellationToken);
        Apply(record, content, assertions, await RecipientsAsync(approver, request), now);
        return assertions;
    }

    /// <summary>After an approved declassification is saved: its new persons become matchable.</summary>
    internal void Added(RecordAssertions assertions) => persons.Add(assertions.NewEntities);

    private static void Apply(Record record, RecordContent content, RecordAssertions assertions, IReadOnlyCollection<UserId> recipients, DateTimeOffset now)
    {
        record.Update(content, now);
        record.SetAssertions(assertions.AllEntities, assertions.Links);
        record.SetRecipients(recipients);
    }

    public async Task<Outcome<Record>> DeleteAsync(Principal caller, Guid id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await Change.ApplyAsync(
            await records.FindForUpdateAsync(caller, new RecordId(id), cancellationToken),
            $"record {id}",
            record => AccessPolicy.CanDelete(caller, record, now),
            _ => { }, // nothing to change first: the store removes the record with its audit entry
            record => records.DeleteAsync(caller, record, cancellationToken));
    }

    /// <summary>Searches and exports say why they are made; the endpoints' purpose filter answers 400 before a request without one gets here.</summary>
    private static string Declared(string purpose)
    {
        Guard.That(!string.IsNullOrWhiteSpace(purpose), "purpose", ValidationCodes.PurposeRequired, "is required: say why you are searching or exporting");
        return purpose;
    }

    /// <summary>The request's entities (new ones, and existing ones the caller may read, by id) and links.</summary>
    private async Task<RecordAssertions> AssertionsAsync(Principal caller, RecordRequest request, RecordContent content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var referenced = (request.Entities ?? []).Where(e => e?.Id is not null).Select(e => new EntityId(e!.Id!.Value)).Distinct().ToList();
        var existing = await entities.ReadableByIdAsync(caller, referenced, cancellationToken);
        return RecordMapping.ToAssertions(request, content, existing, caller.AgencyId, now);
    }

    /// <summary>A TLP:RED record's recipients, named by user name: users of the caller's agency.</summary>
    private Task<List<UserId>> RecipientsAsync(Principal caller, RecordRequest request) =>
        names.UsersOfAsync(request.Recipients, caller.AgencyId, "recipients", "your agency");

    /// <summary>After a create or an update: the new persons become matchable, and the record is answered with all its entities.</summary>
    private RecordDetails Written(Record record, RecordAssertions assertions)
    {
        persons.Add(assertions.NewEntities);
        return new RecordDetails(record, assertions.AllEntities, [.. record.Recipients.Select(r => r.UserId)]);
    }
}

/// <summary>What a PUT did: applied the change (<see cref="Applied"/>), or held it for a legal reviewer (<see cref="Held"/>).</summary>
public sealed record RecordChange(RecordDetails? Applied, Declassification? Held);
