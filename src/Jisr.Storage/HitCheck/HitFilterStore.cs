using Jisr.Storage.Federation;

namespace Jisr.Storage.HitCheck;

/// <summary>
/// Hit/no-hit filters: what an agency holds within an agreement (read for building its filter), the filters partners
/// published here, and what this node last published. Received filters are staged on the receiver's context and
/// committed with the inbox row and audit entries of the message that carried them.
/// </summary>
public sealed class HitFilterStore(JisrDbContext db, AuditLog audit)
{
    /// <summary>Agreements in force where <c>owner</c> is an agency of this node and the counterpart is hosted by an active peer.</summary>
    public async Task<List<(SharingAgreement Agreement, AgencyId Owner, AgencyId Partner)>> AgreementsToPublishAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var remote = await db.Set<RemoteAgency>().AsNoTracking()
            .Join(db.Set<FederationPeer>().Where(p => p.Status == PeerStatuses.Active), r => r.PeerId, p => p.Id, (r, _) => r.AgencyId)
            .ToListAsync(cancellationToken);
        var allRemote = (await db.Set<RemoteAgency>().AsNoTracking().Select(r => r.AgencyId).ToListAsync(cancellationToken)).ToHashSet();
        var agreements = await db.Agreements.AsNoTracking().Where(a => a.Status == AgreementStatus.InForce).ToListAsync(cancellationToken);
        var today = AccessPolicy.Today(now);
        var result = new List<(SharingAgreement, AgencyId, AgencyId)>();
        foreach (var agreement in agreements.Where(a => a.IsInForce(today)))
        {
            foreach (var (owner, partner) in new[] { (agreement.ProposerAgencyId, agreement.PartnerAgencyId), (agreement.PartnerAgencyId, agreement.ProposerAgencyId) })
            {
                if (!allRemote.Contains(owner) && remote.Contains(partner))
                {
                    result.Add((agreement, (AgencyId)owner, (AgencyId)partner));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The names and identifiers of the entities mentioned by <paramref name="owner"/>'s records that may go into its
    /// filter under each of <paramref name="agreements"/> (<see cref="AccessPolicy.CanContributeToMatchFilter"/>), with
    /// the records behind each: the owner's records and their entities are read once for all the agreements.
    /// </summary>
    public async Task<Dictionary<AgreementId, MatchFilterHoldings>> HoldingsAsync(AgencyId owner, IReadOnlyList<SharingAgreement> agreements, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreements);
        var result = new Dictionary<AgreementId, MatchFilterHoldings>();
        if (agreements.Count == 0)
        {
            return result;
        }

        var records = await db.Records.AsNoTracking().Include(r => r.Mentions)
            .Where(r => r.HolderAgencyId == owner && r.OriginatorAgencyId == owner)
            .ToListAsync(cancellationToken);
        var contributing = agreements.ToDictionary(a => a.Id, a => records.Where(r => AccessPolicy.CanContributeToMatchFilter(r, owner, a, now)).ToList());
        var entityIds = contributing.Values.SelectMany(rs => rs.SelectMany(r => r.Mentions.Select(m => m.EntityId))).Distinct().ToList();
        var entities = new Dictionary<EntityId, (List<string> Names, List<(string, string, string?)> Identifiers)>();
        foreach (var chunk in entityIds.Chunk(500))
        {
            foreach (var entity in await db.Entities.AsNoTracking().Where(e => chunk.Contains(e.Id)).ToListAsync(cancellationToken))
            {
                entities[entity.Id] = Describe(entity);
            }
        }

        foreach (var (agreement, held) in contributing)
        {
            var names = new List<string>();
            var identifiers = new List<(string, string, string?)>();
            foreach (var id in held.SelectMany(r => r.Mentions.Select(m => m.EntityId)).Distinct())
            {
                if (entities.TryGetValue(id, out var entity))
                {
                    names.AddRange(entity.Names);
                    identifiers.AddRange(entity.Identifiers);
                }
            }

            result[agreement] = new MatchFilterHoldings(held.Count, names, identifiers) { RecordIds = held.Select(r => r.Id).ToHashSet() };
        }

        return result;
    }

    /// <summary>What an entity puts into a filter: its names (persons, organisations and their aliases) and identifiers.</summary>
    private static (List<string> Names, List<(string, string, string?)> Identifiers) Describe(Entity entity)
    {
        var names = new List<string>();
        var identifiers = new List<(string, string, string?)>();
        switch (entity)
        {
            case Person person:
                names.AddRange(person.Names.Select(n => n.Text));
                identifiers.AddRange(person.Identifiers.Select(i => (i.Kind, i.Value, i.Country)));
                break;
            case Organisation organisation:
                names.Add(organisation.Name);
                names.AddRange(organisation.Aliases);
                break;
            case PhoneNumber phone:
                identifiers.Add(("phone", phone.Number, null));
                break;
            case EmailAddress email:
                identifiers.Add(("email", email.Address, null));
                break;
            case BankAccount account:
                identifiers.Add(("iban", account.Iban, null));
                break;
            case IdentityDocument document:
                identifiers.Add((document.DocumentKind == DocumentKind.Passport ? "passport" : "identity-card", document.Number, document.IssuingCountry));
                break;
            case CryptoWallet wallet:
                identifiers.Add((wallet.Currency, wallet.Address, null));
                break;
        }

        return (names, identifiers);
    }

    /// <summary>
    /// The records some changes touched as they are now (<paramref name="touched"/>'s records that still exist, and the
    /// records that mention its entities), and the ids of all of them, deleted ones included.
    /// </summary>
    public async Task<(List<Domain.Records.Record> Current, HashSet<RecordId> Ids)> TouchedRecordsAsync(TouchedData touched, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(touched);
        var ids = touched.Records.ToHashSet();
        foreach (var chunk in touched.Entities.Chunk(500))
        {
            ids.UnionWith(await db.Set<RecordMention>().AsNoTracking().Where(m => chunk.Contains(m.EntityId)).Select(m => m.RecordId).Distinct().ToListAsync(cancellationToken));
        }

        var current = new List<Domain.Records.Record>();
        foreach (var chunk in ids.Chunk(500))
        {
            current.AddRange(await db.Records.AsNoTracking().Where(r => chunk.Contains(r.Id)).ToListAsync(cancellationToken));
        }

        return (current, ids);
    }

    /// <summary>
    /// What the filters depend on, cheaply: the count of committed changes to records, entities and links made by this
    /// process (<see cref="DataChanges"/>) and the agreements in force with when their state last changed. Equal stamps:
    /// nothing a filter describes changed here since.
    /// </summary>
    public async Task<string> ChangeStampAsync(CancellationToken cancellationToken)
    {
        var agreements = await db.Agreements.AsNoTracking().Where(a => a.Status == AgreementStatus.InForce)
            .Select(a => new { a.Id, a.StatusChangedAt }).ToListAsync(cancellationToken);
        return string.Join(';', agreements.Select(a => $"{a.Id.Value:N}@{a.StatusChangedAt?.UtcTicks}").Order(StringComparer.Ordinal).Prepend(DataChanges.VersionOf(db).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The version of this process's committed data changes now, and which records and entities they touched after <paramref name="since"/> (<c>null</c>: not known, redo everything).</summary>
    public (long Version, TouchedData? Touched) ChangesSince(long since) => DataChanges.Since(db, since);

    public Task<PublishedHitFilter?> FindPublishedAsync(AgreementId agreement, AgencyId owner, CancellationToken cancellationToken) =>
        db.Set<PublishedHitFilter>().FirstOrDefaultAsync(p => p.AgreementId == agreement.Value && p.OwnerAgencyId == owner.Value, cancellationToken);

    /// <summary>Records what was published and commits it with the staged outbox message and its audit events, in one transaction.</summary>
    public Task SavePublishedAsync(PublishedHitFilter? existing, PublishedHitFilter published, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(published);
        if (existing is null)
        {
            db.Add(published);
        }
        else
        {
            existing.Epoch = published.Epoch;
            existing.ContentDigest = published.ContentDigest;
            existing.KeyCount = published.KeyCount;
            existing.PublishedAt = published.PublishedAt;
        }

        return audit.SaveWithAuditAsync(db, events, cancellationToken);
    }

    /// <summary>Stages a filter received from a peer in place of the one before for the same agreement and owner (unsaved: the receiver commits it).</summary>
    public async Task StageReceivedAsync(ReceivedHitFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var before = await db.Set<ReceivedHitFilter>().FirstOrDefaultAsync(f => f.AgreementId == filter.AgreementId && f.OwnerAgencyId == filter.OwnerAgencyId, cancellationToken);
        if (before is not null)
        {
            db.Remove(before);
        }

        db.Add(filter);
    }

    /// <summary>Stages the removal of every filter received under <paramref name="agreement"/> (it was suspended or ended).</summary>
    public async Task StageForgetAsync(AgreementId agreement, CancellationToken cancellationToken)
    {
        db.RemoveRange(await db.Set<ReceivedHitFilter>().Where(f => f.AgreementId == agreement.Value).ToListAsync(cancellationToken));
        db.RemoveRange(await db.Set<PublishedHitFilter>().Where(f => f.AgreementId == agreement.Value).ToListAsync(cancellationToken));
    }

    /// <summary>
    /// The filters published to <paramref name="recipient"/> (without their bytes) with their agreements: the caller
    /// keeps those in force only.
    /// </summary>
    public async Task<List<(ReceivedHitFilter Filter, SharingAgreement Agreement)>> ReceivedForAsync(AgencyId recipient, CancellationToken cancellationToken)
    {
        var filters = await db.Set<ReceivedHitFilter>().AsNoTracking().Where(f => f.RecipientAgencyId == recipient.Value)
            .Select(f => new ReceivedHitFilter
            {
                Id = f.Id, AgreementId = f.AgreementId, OwnerAgencyId = f.OwnerAgencyId, RecipientAgencyId = f.RecipientAgencyId, PeerId = f.PeerId,
                Epoch = f.Epoch, Salt = f.Salt, KeyCount = f.KeyCount, BuiltAt = f.BuiltAt, ReceivedAt = f.ReceivedAt, MessageId = f.MessageId,
            })
            .ToListAsync(cancellationToken);
        var ids = filters.Select(f => new AgreementId(f.AgreementId)).Distinct().ToList();
        var agreements = await db.Agreements.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        return [.. filters.Where(f => agreements.ContainsKey(new AgreementId(f.AgreementId))).Select(f => (f, agreements[new AgreementId(f.AgreementId)]))];
    }

    /// <summary>The bytes of one received filter (read once per filter and process: callers cache them).</summary>
    public Task<byte[]?> FilterBytesAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<ReceivedHitFilter>().AsNoTracking().Where(f => f.Id == id).Select(f => f.Filter).FirstOrDefaultAsync(cancellationToken);

    public Task<FederationPeer?> FindPeerAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<FederationPeer>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    public Task<List<Agency>> AgenciesAsync(IReadOnlyCollection<AgencyId> ids, CancellationToken cancellationToken) =>
        db.Agencies.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);

    /// <summary>The agencies hosted on this node.</summary>
    public Task<List<Agency>> OwnAgenciesAsync(CancellationToken cancellationToken) =>
        db.Agencies.AsNoTracking().Where(a => !db.Set<RemoteAgency>().Any(r => r.AgencyId == a.Id)).ToListAsync(cancellationToken);

    /// <summary>Audits a check (found or not: the entry records the query kind and text, the purpose and how many partners answered hit).</summary>
    public Task AuditAsync(AuditEvent auditEvent) => audit.AppendAsync(auditEvent);

    /// <summary>Commits what was staged on this context (hit notices in the outbox) with <paramref name="events"/>, in one transaction.</summary>
    public Task SaveAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken) => audit.SaveWithAuditAsync(db, events, cancellationToken);
}
