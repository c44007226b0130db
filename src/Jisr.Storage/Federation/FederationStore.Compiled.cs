namespace Jisr.Storage.Federation;

/// <summary>
/// The reads a received message makes, each once per message of a backlog, as compiled queries: EF Core's query
/// pipeline (finding the cached plan, extracting parameters) cost more than the indexed read itself. A compiled
/// query belongs to one model and one set of EF Core services, hence one per provider's context type and per memory
/// cache (<see cref="CompiledQuerySets{TQueries}"/>).
/// </summary>
internal static class CompiledFederationReads
{
    public static Task<InboxMessage?> ReceivedAsync(JisrDbContext db, Guid id, CancellationToken cancellationToken) => db switch
    {
        SqliteJisrDbContext sqlite => Queries<SqliteJisrDbContext>.Of(sqlite).Received(sqlite, id, cancellationToken),
        PostgresJisrDbContext postgres => Queries<PostgresJisrDbContext>.Of(postgres).Received(postgres, id, cancellationToken),
        _ => throw new NotSupportedException(db.GetType().Name),
    };

    public static Task<bool> IsOwnAgencyAsync(JisrDbContext db, AgencyId id, CancellationToken cancellationToken) => db switch
    {
        SqliteJisrDbContext sqlite => Queries<SqliteJisrDbContext>.Of(sqlite).IsOwnAgency(sqlite, id, cancellationToken),
        PostgresJisrDbContext postgres => Queries<PostgresJisrDbContext>.Of(postgres).IsOwnAgency(postgres, id, cancellationToken),
        _ => throw new NotSupportedException(db.GetType().Name),
    };

    public static Task<Domain.Sharing.SharingAgreement?> AgreementAsync(JisrDbContext db, AgreementId id, CancellationToken cancellationToken) => db switch
    {
        SqliteJisrDbContext sqlite => Queries<SqliteJisrDbContext>.Of(sqlite).Agreement(sqlite, id, cancellationToken),
        PostgresJisrDbContext postgres => Queries<PostgresJisrDbContext>.Of(postgres).Agreement(postgres, id, cancellationToken),
        _ => throw new NotSupportedException(db.GetType().Name),
    };

    /// <summary>The peer hosting an agency (tracked: staging a message moves its sequence), or null for one of this node.</summary>
    public static Task<FederationPeer?> PeerOfAgencyAsync(JisrDbContext db, AgencyId id, CancellationToken cancellationToken) => db switch
    {
        SqliteJisrDbContext sqlite => Queries<SqliteJisrDbContext>.Of(sqlite).PeerOfAgency(sqlite, id, cancellationToken),
        PostgresJisrDbContext postgres => Queries<PostgresJisrDbContext>.Of(postgres).PeerOfAgency(postgres, id, cancellationToken),
        _ => throw new NotSupportedException(db.GetType().Name),
    };

    /// <summary>The compiled queries of one memory cache of EF Core's services (<see cref="CompiledQuerySets{TQueries}"/>).</summary>
    private sealed class Queries<TContext>
        where TContext : JisrDbContext
    {
        public static Queries<TContext> Of(TContext db) => CompiledQuerySets<Queries<TContext>>.Of(db);

        /// <summary>One statement where a lookup of the agency's peer id and then of the peer took two.</summary>
        public readonly Func<TContext, AgencyId, CancellationToken, Task<FederationPeer?>> PeerOfAgency =
            EF.CompileAsyncQuery((TContext db, AgencyId id, CancellationToken cancellationToken) =>
                db.Set<FederationPeer>().FirstOrDefault(p => db.Set<RemoteAgency>().Any(r => r.AgencyId == id && r.PeerId == p.Id)));

        public readonly Func<TContext, Guid, CancellationToken, Task<InboxMessage?>> Received =
            EF.CompileAsyncQuery((TContext db, Guid id, CancellationToken cancellationToken) =>
                db.Set<InboxMessage>().AsNoTracking().FirstOrDefault(m => m.Id == id));

        /// <summary>An agency known here and hosted by no peer: one statement instead of two.</summary>
        public readonly Func<TContext, AgencyId, CancellationToken, Task<bool>> IsOwnAgency =
            EF.CompileAsyncQuery((TContext db, AgencyId id, CancellationToken cancellationToken) =>
                db.Agencies.Any(a => a.Id == id && !db.Set<RemoteAgency>().Any(r => r.AgencyId == id)));

        /// <summary>Tracked: a peer's message may change it.</summary>
        public readonly Func<TContext, AgreementId, CancellationToken, Task<Domain.Sharing.SharingAgreement?>> Agreement =
            EF.CompileAsyncQuery((TContext db, AgreementId id, CancellationToken cancellationToken) =>
                db.Agreements.FirstOrDefault(a => a.Id == id));
    }
}
