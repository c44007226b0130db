using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Jisr.Storage.Tests;

/// <summary>
/// Every context runs on one compiled model, but EF Core builds a compiled query's executor on the services (the
/// memory cache) of the first context that runs it: the kept compiled queries are kept per memory cache
/// (<see cref="CompiledQuerySets{TQueries}"/>), so contexts whose cache is disposed (a test's, a host's) leave nothing
/// that a later context would run on.
/// </summary>
public sealed class CompiledQuerySetsTests
{
    [Fact]
    public void ContextsOfOneMemoryCache_ShareASet_AndAnotherCacheHasItsOwn()
    {
        using var cache = new MemoryCache(new MemoryCacheOptions());
        using var other = new MemoryCache(new MemoryCacheOptions());
        using var first = ContextOn(cache);
        using var second = ContextOn(cache);
        using var onOther = ContextOn(other);

        Assert.Same(first.Model, onOther.Model); // one compiled model: the model does not tell the two apart
        Assert.Same(CompiledQuerySets<Set>.Of(first), CompiledQuerySets<Set>.Of(second));
        Assert.NotSame(CompiledQuerySets<Set>.Of(first), CompiledQuerySets<Set>.Of(onOther));

        // The real queries too, whatever ran before this test: queries kept in a static field would be one set for all.
        foreach (var queriesOf in new Func<SqliteJisrDbContext, object>[] { CompiledReads.QueriesOf, CompiledEntityReads.QueriesOf, CompiledPages.QueriesOf, CompiledPages.SearchQueriesOf })
        {
            Assert.Same(queriesOf(first), queriesOf(second));
            Assert.NotSame(queriesOf(first), queriesOf(onOther));
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ContextsOfCachesInTurn_ReadRecordsAndPersons_AfterThePreviousCacheIsDisposed(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var location = world.Database.Location;
        var police = world.AnalystOf(world.Police);
        var person = Person.Create(world.Police.Id, [PersonName.Create("Karim El Idrissi")], null, null, Gender.Male, [], [], DateTimeOffset.UtcNow);
        var record = await world.AddRecordAsync(world.Police, "read on three caches in turn", [person]);
        for (var round = 0; round < 3; round++)
        {
            // Contexts (and lanes) on a memory cache of their own, disposed at the end of the round.
            using var cache = new MemoryCache(new MemoryCacheOptions());
            using var lanes = provider == "sqlite" ? new SqliteReadLanes(location, SqliteOptions(location.Target, cache), maxLanes: 1) : null;
            foreach (var through in new[] { null, lanes })
            {
                await using var db = ContextOn(location, cache);
                var read = await new RecordStore(db, world.Audit, new EntityCache(), TimeProvider.System, through).ReadAsync(police, record.Id, CancellationToken.None);
                Assert.Equal(person.Id, Assert.Single(read!.Entities).Id);
                var persons = await new EntityStore(db, world.Audit, TimeProvider.System, through).FirstReadablePersonsAsync(police, [person.Id], 1, "karim", "test", CancellationToken.None);
                Assert.Equal([person.Id], persons.Keys);

                // The compiled pages too: the list (both engines) and SQLite's search with its word lookup.
                var records = new RecordStore(db, world.Audit, new EntityCache(), TimeProvider.System, through);
                Assert.Contains(record.Id, (await records.ListAsync(police, null, 10, CancellationToken.None)).Items.Select(h => h.Id));
                Assert.Contains(record.Id, (await records.SearchAsync(police, "caches", "test", null, 10, CancellationToken.None)).Items.Select(h => h.Id));
            }

            if (lanes is not null)
            {
                Assert.Equal(1, lanes.OpenLanes); // the reads through the lanes ran on one
            }
        }
    }

    private static JisrDbContext ContextOn(DatabaseLocation location, IMemoryCache cache)
    {
        if (location.Provider == DatabaseProvider.Sqlite)
        {
            return new SqliteJisrDbContext(SqliteOptions(location.Target, cache));
        }

        var options = new DbContextOptionsBuilder<PostgresJisrDbContext>();
        JisrDatabase.ConfigurePostgres(options, location.Target);
        return new PostgresJisrDbContext(options.UseMemoryCache(cache).Options);
    }

    private static SqliteJisrDbContext ContextOn(IMemoryCache cache) => new(SqliteOptions("compiled-query-sets.db", cache)); // never opened

    private static DbContextOptions<SqliteJisrDbContext> SqliteOptions(string path, IMemoryCache cache)
    {
        var options = new DbContextOptionsBuilder<SqliteJisrDbContext>();
        JisrDatabase.ConfigureSqlite(options, path);
        return options.UseMemoryCache(cache).Options;
    }

    private sealed class Set;
}
