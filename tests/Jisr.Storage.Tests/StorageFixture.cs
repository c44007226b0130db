using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Users;
using Jisr.Policy;
using Jisr.Storage.Audit;
using Jisr.Storage.Records;
using Jisr.Testing;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Storage.Tests;

/// <summary>A fresh database of one provider with two agencies, and helpers that build valid domain objects.</summary>
public sealed class StorageWorld : IAsyncDisposable
{
    private StorageWorld(TestDatabase database, AuditLog audit)
    {
        Database = database;
        Audit = audit;
    }

    public TestDatabase Database { get; }

    public AuditLog Audit { get; }

    public Agency Police { get; } = Agency.Create("MA-POL", "Police", "MA", DateTimeOffset.UtcNow);

    public Agency Intelligence { get; } = Agency.Create("MA-INT", "Intelligence", "MA", DateTimeOffset.UtcNow);

    public static async Task<StorageWorld> CreateAsync(string provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var world = new StorageWorld(database, new AuditLog(database.Open, TimeProvider.System));
        await using var db = database.Open();
        db.Agencies.AddRange(world.Police, world.Intelligence);
        await db.SaveChangesAsync();
        return world;
    }

    public Principal AnalystOf(Agency agency, Classification clearance = Classification.Secret) =>
        new(new UserId(Guid.NewGuid()), "analyst", agency.Id, agency.Code, new HashSet<Role> { Role.Analyst }, clearance);

    /// <summary>One entity cache for the whole world, shared by every principal as on a node.</summary>
    public EntityCache EntityCache { get; } = new();

    public RecordStore Store(JisrDbContext db) => new(db, Audit, EntityCache, TimeProvider.System);

    public EntityStore Entities(JisrDbContext db) => new(db, Audit, TimeProvider.System);

    public LinkGraph Graph(JisrDbContext db, SqliteReadLanes? lanes = null) => new(db, Audit, EntityCache, TimeProvider.System, lanes);

    public ReviewQueue Reviews(JisrDbContext db) => new(db, Audit, TimeProvider.System);

    public SubjectAccessStore SubjectAccess(JisrDbContext db) => new(db, Audit, TimeProvider.System);

    public static RecordContent Content(string title, Classification classification = Classification.Restricted, string body = "") =>
        RecordContent.Create(
            RecordKind.IntelligenceReport, title, body, "ar", "Loi 03-03", "Prévention du terrorisme",
            DateTimeOffset.UtcNow.AddYears(3), DateOnly.FromDateTime(DateTime.UtcNow.AddYears(1)),
            Marking.Create(classification, Tlp.Amber, HandlingCode.H2), SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]);

    /// <summary>Stores a record of the agency mentioning the given entities (all new), through the store as the API does.</summary>
    public async Task<Record> AddRecordAsync(Agency agency, string title, IReadOnlyList<Entity>? entities = null, Classification classification = Classification.Restricted)
    {
        await using var db = Database.Open();
        var principal = AnalystOf(agency);
        var record = Record.Create(agency.Id, principal.UserId, Content(title, classification), DateTimeOffset.UtcNow);
        var list = entities ?? [];
        record.SetAssertions(list, list.Count >= 2 ? [LinkDraft.Create(list[0].Id, list[1].Id, LinkType.AssociateOf, PartialDate.Parse("2023"), null, DateTimeOffset.UtcNow)] : []);
        await Store(db).CreateAsync(principal, record, list, list, CancellationToken.None);
        return record;
    }

    public async ValueTask DisposeAsync()
    {
        await Audit.DisposeAsync();
        await Database.DisposeAsync();
    }
}
