using System.Collections.Concurrent;
using Jisr.Server.Contracts;
using Jisr.Storage;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Server;

/// <summary>Agency id → code, for responses. Agencies are few and rarely added, so they are kept in memory.</summary>
public sealed class AgencyDirectory(DatabaseLocation location)
{
    private readonly ConcurrentDictionary<Guid, AgencyRef> _byId = new();

    public async Task<AgencyRef> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (_byId.TryGetValue(id, out var known))
        {
            return known;
        }

        await using var db = JisrDatabase.Open(location);
        foreach (var agency in await db.Agencies.AsNoTracking().ToListAsync(cancellationToken))
        {
            _byId[agency.Id] = new AgencyRef(agency.Id, agency.Code);
        }

        return _byId.TryGetValue(id, out var found) ? found : new AgencyRef(id, "?");
    }

    /// <summary>Where a record comes from: its originator and, for a release copy, its provenance.</summary>
    public async Task<RecordOrigin> OriginOfAsync(Domain.Records.Record record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var originator = await GetAsync(record.OriginatorAgencyId, cancellationToken);
        if (record.Provenance is not { } p)
        {
            return new RecordOrigin(originator, null);
        }

        return new RecordOrigin(originator, new ProvenanceResponse(
            p.ReleaseId,
            await GetAsync(p.ReleasingAgencyId, cancellationToken),
            p.ReleasedByUserId,
            p.ReleasedAt,
            record.ReleasedUnderAgreementId,
            p.OriginalRecordId,
            p.SourceRecordId));
    }
}
