using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Storage.Fusion;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

/// <summary>
/// The cross-reference reads each person's columns straight from the rows of the policy's query
/// (<see cref="FusionStore.ReadablePersonRowsAsync"/>), parsed on every core. Over random persons (names in both
/// scripts, partial dates, identifiers with and without a country, nationalities, genders) in records some callers may
/// not read, it must give exactly what the entity read gives: the same persons (in any order), fields and labels,
/// nothing a caller may not read.
/// </summary>
public sealed class FusionPersonRowsTests
{
    private static readonly string[] Given = ["Karim", "Nadia", "Youssef", "كريم", "نادية", "Ahmed", "Fatima Zahra", "Élodie"];
    private static readonly string[] Family = ["Benali", "El Idrissi", "بنعلي", "Haddad", "O'Neil", "Müller"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PersonRows_AreWhatTheEntityReadGives_ForEveryCaller(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var random = new Random(8);
        var now = DateTimeOffset.UtcNow;
        foreach (var (agency, classification) in new[]
                 {
                     (world.Police, Classification.Restricted), (world.Police, Classification.Secret),
                     (world.Intelligence, Classification.Restricted), (world.Intelligence, Classification.Confidential),
                 })
        {
            List<Entity> mentioned = [.. Enumerable.Range(0, 25).Select(_ => RandomPerson(random, agency.Id, now)), PhoneNumber.Create(agency.Id, $"+2126612{random.Next(10000, 99999)}", now)];
            await world.AddRecordAsync(agency, $"rapport {classification}", mentioned, classification);
        }

        foreach (var caller in new[]
                 {
                     world.AnalystOf(world.Police, Classification.Restricted), world.AnalystOf(world.Police, Classification.Secret),
                     world.AnalystOf(world.Intelligence, Classification.Restricted), world.AnalystOf(world.Intelligence, Classification.Secret),
                 })
        {
            await using var db = world.Database.Open();
            var store = new FusionStore(db, world.Audit, TimeProvider.System, new Jisr.Storage.Records.EntityCache());
            var whole = await store.ReadablePersonsAsync(caller, CancellationToken.None);
            var rows = await store.ReadablePersonRowsAsync(caller, CancellationToken.None);

            Assert.NotEmpty(whole.Persons);
            Assert.Equal(whole.Persons.Select(Describe).Order(StringComparer.Ordinal), rows.Persons.Select(Describe).Order(StringComparer.Ordinal));
            Assert.Equal(whole.Own.Order(), rows.Own.Order());
        }
    }

    /// <summary>The rows are parsed on every core; a damaged one still fails the read naming its field, as one read alone would.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PersonRow_HoldingADateNoFactoryAccepts_FailsTheRead_NamingTheField(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var random = new Random(3);
        await world.AddRecordAsync(world.Police, "rapport", [.. Enumerable.Range(0, 50).Select(_ => RandomPerson(random, world.Police.Id, now))]);
        await using var db = world.Database.Open();
        await db.Database.ExecuteSqlRawAsync("UPDATE \"Entities\" SET \"DateOfBirth\" = '1985-13'");
        var store = new FusionStore(db, world.Audit, TimeProvider.System, new Jisr.Storage.Records.EntityCache());

        var error = await Assert.ThrowsAsync<DomainValidationException>(() => store.ReadablePersonRowsAsync(world.AnalystOf(world.Police), CancellationToken.None));

        Assert.Equal("dateOfBirth", error.Field);
    }

    /// <summary>
    /// Rows are parsed in batches while the next ones are read: across many batches (the channel full, the reader
    /// waiting) every person comes once; one damaged row among thousands, or every row damaged (the parsers fail while
    /// the reader still writes), fails the whole read naming its field; and the store reads again afterwards.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PersonRows_OverManyBatches_ComeOnceEach_AndDamagedRowsFailTheRead(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var random = new Random(9);
        var now = DateTimeOffset.UtcNow;
        List<Entity> persons = [.. Enumerable.Range(0, 5_000).Select(_ => RandomPerson(random, world.Police.Id, now))];
        foreach (var chunk in persons.Chunk(500))
        {
            await world.AddRecordAsync(world.Police, "rapport", chunk);
        }

        await using var db = world.Database.Open();
        var store = new FusionStore(db, world.Audit, TimeProvider.System, new Jisr.Storage.Records.EntityCache());
        var caller = world.AnalystOf(world.Police);

        const int Batch = 16;
        var rows = (await store.ReadablePersonRowsAsync(caller, Batch, CancellationToken.None)).Persons;
        Assert.Equal(persons.Select(p => p.Id).Order(), rows.Select(r => r.Id).Order());
        Assert.Equal(persons.Count, (await store.ReadablePersonRowsAsync(caller, CancellationToken.None)).Persons.Count);

        var damaged = persons[random.Next(persons.Count)].Id;
        await db.Database.ExecuteSqlAsync($"UPDATE \"Entities\" SET \"Gender\" = 77 WHERE \"Id\" = {damaged}");
        Assert.Equal("gender", (await Assert.ThrowsAsync<DomainValidationException>(() => store.ReadablePersonRowsAsync(caller, Batch, CancellationToken.None))).Field);
        await db.Database.ExecuteSqlRawAsync("UPDATE \"Entities\" SET \"Gender\" = 77");
        Assert.Equal("gender", (await Assert.ThrowsAsync<DomainValidationException>(() => store.ReadablePersonRowsAsync(caller, Batch, CancellationToken.None))).Field);

        await db.Database.ExecuteSqlRawAsync("UPDATE \"Entities\" SET \"Gender\" = 0");
        Assert.Equal(persons.Count, (await store.ReadablePersonRowsAsync(caller, Batch, CancellationToken.None)).Persons.Count);
    }

    /// <summary>
    /// A million persons hold a few hundred nationality lists and some tens of thousands of dates of birth: each value
    /// is one object shared by the rows that hold it, and a label that is the first name is that name's string.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PersonRows_ShareOneObjectPerRepeatedValue(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var random = new Random(5);
        var now = DateTimeOffset.UtcNow;
        await world.AddRecordAsync(world.Police, "rapport", [.. Enumerable.Range(0, 60).Select(_ => RandomPerson(random, world.Police.Id, now))]);
        await using var db = world.Database.Open();
        var store = new FusionStore(db, world.Audit, TimeProvider.System, new Jisr.Storage.Records.EntityCache());

        var rows = (await store.ReadablePersonRowsAsync(world.AnalystOf(world.Police), CancellationToken.None)).Persons;

        var byDate = rows.Where(r => r.DateOfBirth is not null).GroupBy(r => r.DateOfBirth!.ToString()).Where(g => g.Count() > 1).ToList();
        var byNationalities = rows.GroupBy(r => string.Join('|', r.Nationalities)).Where(g => g.Count() > 1).ToList();
        Assert.NotEmpty(byDate);
        Assert.NotEmpty(byNationalities);
        Assert.All(byDate, g => Assert.All(g, r => Assert.Same(g.First().DateOfBirth, r.DateOfBirth)));
        Assert.All(byNationalities, g => Assert.All(g, r => Assert.Same(g.First().Nationalities, r.Nationalities)));
        Assert.All(rows, r => Assert.Same(r.Names[0], r.Label));
    }

    /// <summary>
    /// A cross-reference's scans of whole tables read the SQLite file with read calls, not through the memory map that
    /// would leave the whole file resident in the process; the pooled connection goes back mapped as every other read
    /// expects. On PostgreSQL the scope only holds the connection open.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task WholeTableReads_AreUnmapped_AndTheConnectionGoesBackMapped(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        await world.AddRecordAsync(world.Police, "rapport", [RandomPerson(new Random(1), world.Police.Id, DateTimeOffset.UtcNow)]);
        await using var db = world.Database.Open();
        var store = new FusionStore(db, world.Audit, TimeProvider.System, new Jisr.Storage.Records.EntityCache());
        var sqlite = db.Database.IsSqlite();
        var mapped = sqlite ? await MemoryMapAsync(db) : 0;

        await using (await store.WholeTableReadsAsync(CancellationToken.None))
        {
            Assert.Single((await store.ReadablePersonRowsAsync(world.AnalystOf(world.Police), CancellationToken.None)).Persons);
            if (sqlite)
            {
                Assert.Equal(0, await MemoryMapAsync(db));
            }
        }

        if (sqlite)
        {
            Assert.True(mapped > 0, "the node's connections map the file");
            Assert.Equal(mapped, await MemoryMapAsync(db));
        }

        Assert.Single((await store.ReadablePersonRowsAsync(world.AnalystOf(world.Police), CancellationToken.None)).Persons);
    }

    private static async Task<long> MemoryMapAsync(JisrDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA mmap_size;";
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static Person RandomPerson(Random random, AgencyId agency, DateTimeOffset now)
    {
        var names = Enumerable.Range(0, random.Next(1, 4))
            .Select(_ => PersonName.Create($"{Given[random.Next(Given.Length)]} {Family[random.Next(Family.Length)]}")).ToList();
        PartialDate? born = random.Next(4) switch
        {
            0 => null,
            1 => PartialDate.Create(random.Next(1950, 2005)),
            2 => PartialDate.Create(random.Next(1950, 2005), random.Next(1, 13)),
            _ => PartialDate.Create(random.Next(1950, 2005), random.Next(1, 13), random.Next(1, 29)),
        };
        string[] countries = ["MA", "DZ", "TN", "ES", "FR"];
        var nationalities = countries.Where(_ => random.Next(3) == 0).ToList();
        var identifiers = Enumerable.Range(0, random.Next(0, 3)).Select(i => random.Next(3) switch
        {
            0 => PersonIdentifier.Create("passport", $"AB{random.Next(100000, 999999)}", countries[random.Next(countries.Length)]),
            1 => PersonIdentifier.Create("phone", $"06 61 {random.Next(10, 99)} {random.Next(10, 99)} {random.Next(10, 99)}", random.Next(2) == 0 ? "MA" : null),
            _ => PersonIdentifier.Create("email", $"person{random.Next(1000)}@example.org", null),
        }).ToList();
        return Person.Create(agency, names, born, null, (Gender)random.Next(3), nationalities, identifiers, now);
    }

    /// <summary>Every field a cross-reference scores, from an entity or from a row, as one comparable line.</summary>
    private static string Describe(Person p) => Describe(new PersonRow(
        p.Id, p.AgencyId, p.Label, [.. p.Names.Select(n => n.Text)], p.DateOfBirth, p.Nationalities, [.. p.Identifiers.Select(i => new IdentifierRow(i.Kind, i.Value, i.Country))], p.Gender));

    private static string Describe(PersonRow p) =>
        $"{p.Id} {p.AgencyId} {p.Label} [{string.Join('|', p.Names)}] {p.DateOfBirth} [{string.Join('|', p.Nationalities)}] [{string.Join('|', p.Identifiers.Select(i => $"{i.Kind}:{i.Value}:{i.Country}"))}] {p.Gender}";
}
