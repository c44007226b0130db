using Jisr.Domain.Exchange;
using Jisr.Exchange.Stix.Export;
using Jisr.Exchange.Stix.Import;
using Jisr.Storage.Exchange;

namespace Jisr.Server.Application;

/// <summary>
/// STIX import and export for one agency: the importer maps and validates, the store writes in one audited transaction
/// that commits only when nothing was refused. The command line (and later TAXII) call this.
/// </summary>
public sealed class StixExchangeService(StixObjectStore store, TimeProvider time)
{
    /// <summary>
    /// The agency's system writer: the authority an import or export from the command line acts with (an operator on
    /// the node's own machine). It writes as an analyst cleared to SECRET, so the policy still checks every record's
    /// marking, and its id is fixed per agency, so the audit log names the same writer every time.
    /// </summary>
    public static Principal SystemWriter(Agency agency)
    {
        ArgumentNullException.ThrowIfNull(agency);
        var id = StixIds.UuidV5(agency.Id.Value, "system-writer");
        return new Principal(UserId.From(id), $"system-writer@{agency.Code}", agency.Id, agency.Code, new HashSet<Role> { Role.Analyst }, Classification.Secret);
    }

    /// <summary>Imports a bundle, all or nothing; <paramref name="beforeCommit"/> may add what is to be committed with it.</summary>
    public async Task<StixImportResult> ImportAsync(Principal principal, Stream bundle, StixImportOptions options, CancellationToken cancellationToken, Action<StixImportSession>? beforeCommit = null)
    {
        await using var session = await store.BeginImportAsync(principal, cancellationToken);
        var importer = new StixImporter(principal, new Sink(session), options, time.GetUtcNow());
        var result = await importer.ImportAsync(bundle, cancellationToken);
        if (result.Succeeded)
        {
            beforeCommit?.Invoke(session);
            await session.CommitAsync(result.ToString(), cancellationToken);
        }

        return result;
    }

    public async Task<StixExportCounts> ExportAsync(Principal principal, Agency agency, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agency);
        var records = await store.RecordsToExportAsync(principal, cancellationToken);
        var entities = await store.EntitiesAsync(records.SelectMany(r => r.Mentions.Select(m => m.EntityId)), cancellationToken);
        var received = await store.ReceivedIdsAsync(agency.Id, cancellationToken);
        var counts = await StixAgencyExport.WriteAsync(output, new StixExportInput(agency, records, entities, received, store.ReceivedAsync(agency.Id)), cancellationToken);
        await store.AuditExportAsync(principal, counts.ToString());
        return counts;
    }

    private sealed class Sink(StixImportSession session) : IStixImportSink
    {
        public ValueTask AddEntityAsync(Entity entity, CancellationToken cancellationToken) => session.AddEntityAsync(entity, cancellationToken);

        public ValueTask AddObjectAsync(ReceivedStixObject received, CancellationToken cancellationToken) => session.AddObjectAsync(received, cancellationToken);

        public ValueTask AddRecordAsync(Record record, IReadOnlyList<string> entityTexts, CancellationToken cancellationToken) => session.AddRecordAsync(record, entityTexts, cancellationToken);

        public Task<IReadOnlySet<string>> KnownIdsAsync(IReadOnlyCollection<string> stixIds, CancellationToken cancellationToken) => session.KnownIdsAsync(stixIds, cancellationToken);

        public async Task<IReadOnlyList<HeldStixVersion>> HeldVersionsAsync(IReadOnlyCollection<string> stixIds, CancellationToken cancellationToken) =>
            [.. (await session.HeldVersionsAsync(stixIds, cancellationToken)).Select(h => new HeldStixVersion(h.StixId, h.Modified, h.RecordId, h.EntityId))];

        public Task<Record?> HeldRecordAsync(RecordId recordId, CancellationToken cancellationToken) => session.HeldRecordAsync(recordId, cancellationToken);

        public async ValueTask UpdateRecordAsync(Record record, string detail, CancellationToken cancellationToken) => await session.UpdateRecordAsync(record, detail, cancellationToken);

        public Task<bool> ReviseEntityAsync(EntityId entityId, Entity newer, CancellationToken cancellationToken) => session.ReviseEntityAsync(entityId, newer, cancellationToken);

        public async Task<IReadOnlyList<HeldStixText>> HeldTextsAsync(string stixId, CancellationToken cancellationToken) =>
            [.. (await session.HeldTextsAsync(stixId, cancellationToken)).Select(h => new HeldStixText(h.Modified, h.Json))];

        public Task<IReadOnlyList<RecordId>> RecordsWithLinkAsync(EntityId from, EntityId to, LinkType type, CancellationToken cancellationToken) =>
            session.RecordsWithLinkAsync(from, to, type, cancellationToken);
    }
}
