using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace Jisr.Storage;

/// <summary>
/// The node's database. The model is the same on every provider; <see cref="SqliteJisrDbContext"/> and
/// <see cref="PostgresJisrDbContext"/> add what differs (type conventions, full-text search) and each owns
/// its migrations.
/// </summary>
public abstract class JisrDbContext : IdentityDbContext<JisrUser, IdentityRole<Guid>, Guid>, IDataProtectionKeyContext
{
    /// <summary>Shadow column on Records holding the folded text full-text search indexes.</summary>
    public const string SearchTextColumn = "SearchText";

    protected JisrDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Agency> Agencies => Set<Agency>();

    public DbSet<Record> Records => Set<Record>();

    public DbSet<Entity> Entities => Set<Entity>();

    public DbSet<Link> Links => Set<Link>();

    public DbSet<RecordMention> Mentions => Set<RecordMention>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<Domain.Users.AccessGrant> AccessGrants => Set<Domain.Users.AccessGrant>();

    public DbSet<Domain.Sharing.SharingAgreement> Agreements => Set<Domain.Sharing.SharingAgreement>();

    public DbSet<Domain.Notices.Notice> Notices => Set<Domain.Notices.Notice>();

    public DbSet<Domain.Sharing.Release> Releases => Set<Domain.Sharing.Release>();

    public DbSet<Domain.Sharing.ConsentRequest> ConsentRequests => Set<Domain.Sharing.ConsentRequest>();

    public DbSet<Declassification> Declassifications => Set<Declassification>();

    public DbSet<MatchJudgement> MatchJudgements => Set<MatchJudgement>();

    /// <summary>Cross-reference jobs (kept a day after they finish) and where each agency's last run stands.</summary>
    public DbSet<Fusion.XrefJobRow> XrefJobs => Set<Fusion.XrefJobRow>();

    public DbSet<Fusion.XrefWatermark> XrefWatermarks => Set<Fusion.XrefWatermark>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();

    public DbSet<JobLease> JobLeases => Set<JobLease>();

    /// <summary>STIX objects as agencies received them (exact JSON), and what each became.</summary>
    public DbSet<Domain.Exchange.ReceivedStixObject> StixObjects => Set<Domain.Exchange.ReceivedStixObject>();

    /// <summary>Where each <c>jisr sync pull</c> stands with a TAXII collection (per agency, source and collection).</summary>
    public DbSet<Exchange.TaxiiSyncPosition> TaxiiSyncPositions => Set<Exchange.TaxiiSyncPosition>();

    /// <summary>Status resources of TAXII POSTs (kept 30 days).</summary>
    public DbSet<Exchange.TaxiiStatus> TaxiiStatuses => Set<Exchange.TaxiiStatus>();

    /// <summary>
    /// The node's data-protection key ring (session cookies, antiforgery tokens): kept with the node's data, so sessions
    /// survive a restart, every process of one node (one database) shares it, and another node's cookies mean nothing here.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// <paramref name="records"/> narrowed to those whose search text holds every token (as a prefix). Tokens come from
    /// <see cref="Records.SearchText.Tokens"/>; the query is passed as a parameter, never spliced into SQL. Callers
    /// start from the policy filter; this narrows it and decides nothing about visibility. It is a condition on the
    /// record's own row (its sequence or its search vector), not a list of ids, so the engine can walk the records
    /// newest first and stop once a page is full when a word is common, or start from the text index when it is rare.
    /// </summary>
    public abstract IQueryable<Record> WhereSearchTextMatches(IQueryable<Record> records, IReadOnlyList<string> foldedTokens);

    /// <summary>
    /// The headers of the records <paramref name="principal"/> may read whose search text holds every token (as
    /// <see cref="WhereSearchTextMatches"/>), before the sequence <paramref name="before"/> (all when null), newest first,
    /// at most <paramref name="take"/>: one page of a search, as a query (its SQL and plan for tests and the probe;
    /// <see cref="SearchNewestFirstAsync"/> runs it). By default the match is a condition on the record's row; SQLite
    /// walks its text index instead (and first looks the tokens up in its word list, hence the task).
    /// </summary>
    internal virtual Task<IQueryable<SequencedHeader>> SearchQueryAsync(Principal principal, DateTimeOffset now, IReadOnlyList<string> foldedTokens, long? before, int take, CancellationToken cancellationToken)
    {
        var records = WhereSearchTextMatches(Records.AsNoTracking().Where(AccessPolicy.ReadableRecords(principal, now, Agreements)), foldedTokens);
        if (before is { } after)
        {
            records = records.Where(r => EF.Property<long>(r, Configurations.RecordConfiguration.SequenceColumn) < after);
        }

        return Task.FromResult(CompiledPages.Headers(records.OrderByDescending(r => EF.Property<long>(r, Configurations.RecordConfiguration.SequenceColumn)).Take(take)));
    }

    /// <summary>Runs <see cref="SearchQueryAsync"/>'s query (SQLite runs the same expression compiled).</summary>
    internal virtual async Task<IAsyncEnumerable<SequencedHeader>> SearchNewestFirstAsync(Principal principal, DateTimeOffset now, IReadOnlyList<string> foldedTokens, long? before, int take, CancellationToken cancellationToken) =>
        (await SearchQueryAsync(principal, now, foldedTokens, before, take, cancellationToken)).AsAsyncEnumerable();

    /// <summary>Typed ids are stored as their Guid (<see cref="Configurations.TypedIdConversions"/>): registered once, for every property of an id type.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        Configurations.TypedIdConversions.Register(configurationBuilder);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(JisrDbContext).Assembly);
        Configurations.EnumColumns.CheckOnRead(builder);
    }
}
