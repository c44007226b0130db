using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

/// <summary>The same model on SQLite and PostgreSQL: every test runs on both.</summary>
public sealed class RecordStorageTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    private static Entity[] EveryEntityType(AgencyId agency)
    {
        var now = DateTimeOffset.UtcNow;
        return
        [
            Person.Create(agency, [PersonName.Create("مُحَمَّد بن أحمد العلمي"), PersonName.Create("Mohamed EL ALAMI")], PartialDate.Parse("1984-07"), "Fès", Gender.Male, ["MA", "fr"], [PersonIdentifier.Create("passport", "UZ1234567", "MA")], now),
            Organisation.Create(agency, "Atlas Import-Export SARL", ["أطلس للاستيراد"], "MA", now),
            Location.Create(agency, "Port de Tanger Med", "MA", 35.88, -5.50, now),
            PhoneNumber.Create(agency, "+212 6-61 23 45 67", now),
            EmailAddress.Create(agency, "contact@example.org", now),
            OnlineAccount.Create(agency, "Telegram", "@atlas_news", null, now),
            IdentityDocument.Create(agency, DocumentKind.Passport, "uz1234567", "MA", new DateOnly(2030, 1, 1), now),
            Vehicle.Create(agency, "12345-A-6", "MA", "Renault", "Kangoo", "blanc", now),
            Vessel.Create(agency, "Sea Falcon", "IMO 9074729", "242000123", "MA", now),
            BankAccount.Create(agency, "FR76 3000 6000 0112 3456 7890 189", "AGRIFRPP", "Atlas SARL", now),
            CryptoWallet.Create(agency, "btc", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", now),
            Event.Create(agency, "Réunion au café", PartialDate.Parse("2024-05-12"), "Tanger", now),
        ];
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Record_WithEveryEntityType_RoundTrips(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var entities = EveryEntityType(world.Police.Id);
        var record = await world.AddRecordAsync(world.Police, "Rapport complet", entities, Classification.Confidential);

        await using var db = world.Database.Open();
        var details = await world.Store(db).ReadAsync(world.AnalystOf(world.Police), record.Id, CancellationToken.None);

        Assert.NotNull(details);
        Assert.Equal(Classification.Confidential, details.Record.Marking.Classification);
        Assert.Equal(HandlingCode.H2, details.Record.Marking.Handling);
        Assert.Equal("B2", details.Record.SourceGrading.ToString());
        Assert.Equal(record.RetentionUntil, details.Record.RetentionUntil);
        Assert.Equal(entities.Length, details.Entities.Count);
        Assert.Equal(Enum.GetValues<EntityType>().Order(), details.Entities.Select(e => e.Type).Order());
        var person = details.Entities.OfType<Person>().Single();
        Assert.Equal(["مُحَمَّد بن أحمد العلمي", "Mohamed EL ALAMI"], person.Names.Select(n => n.Text));
        Assert.Equal("1984-07", person.DateOfBirth?.ToString());
        Assert.Equal(["MA", "FR"], person.Nationalities);
        Assert.Equal("UZ1234567", person.Identifiers.Single().Value);
        Assert.Equal("FR7630006000011234567890189", details.Entities.OfType<BankAccount>().Single().Iban);
        Assert.Equal("9074729", details.Entities.OfType<Vessel>().Single().Imo);
        Assert.Equal(["أطلس للاستيراد"], details.Entities.OfType<Organisation>().Single().Aliases);
        Assert.Single(details.Record.Links);
        Assert.Equal("2023", details.Record.Links[0].ValidFrom?.ToString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Queries_ReturnOnlyWhatThePolicyAllows(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var own = await world.AddRecordAsync(world.Police, "تقرير الشرطة عن ميناء طنجة");
        var secret = await world.AddRecordAsync(world.Police, "تقرير سري عن ميناء طنجة", classification: Classification.Secret);
        var foreign = await world.AddRecordAsync(world.Intelligence, "تقرير المخابرات عن ميناء طنجة");

        await using var db = world.Database.Open();
        var store = world.Store(db);
        var restricted = world.AnalystOf(world.Police, Classification.Restricted);
        var listed = await store.ListAsync(restricted, null, 100, CancellationToken.None);
        var found = await store.SearchAsync(restricted, "ميناء طنجة", "test", null, 100, CancellationToken.None);

        Assert.Equal([own.Id], listed.Items.Select(r => r.Id));
        Assert.Equal([own.Id], found.Items.Select(r => r.Id));
        Assert.Null(await store.ReadAsync(restricted, secret.Id, CancellationToken.None));
        Assert.Null(await store.ReadAsync(restricted, foreign.Id, CancellationToken.None));
        var cleared = world.AnalystOf(world.Police, Classification.Secret);
        Assert.Equal(2, (await store.SearchAsync(cleared, "طنجة", "test", null, 100, CancellationToken.None)).Items.Count);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Search_FoldsArabicForms_AndFindsEntityNames(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var person = Person.Create(world.Police.Id, [PersonName.Create("يوسف الإدريسي"), PersonName.Create("Youssef El Idrissi")], null, null, Gender.Unknown, [], [], now);
        var record = await world.AddRecordAsync(world.Police, "اجتماع في مَدْرَسَةٍ قُرْبَ الـمـيـنـاء", [person]);

        await using var db = world.Database.Open();
        var store = world.Store(db);
        var analyst = world.AnalystOf(world.Police);
        foreach (var query in new[] { "مدرسه", "الميناء", "ادريسي", "الادريسي", "idrissi", "YOUSSEF", "اجتماع مدرسة" })
        {
            var page = await store.SearchAsync(analyst, query, "test", null, 10, CancellationToken.None);
            Assert.True(page.Items.Any(r => r.Id == record.Id), $"'{query}' did not find the record on {provider}");
        }

        Assert.Empty((await store.SearchAsync(analyst, "مراكش", "test", null, 10, CancellationToken.None)).Items);
        Assert.Empty((await store.SearchAsync(analyst, "\" OR 1=1 --", "test", null, 10, CancellationToken.None)).Items);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Delete_RemovesRecordFromListsAndSearch(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var record = await world.AddRecordAsync(world.Police, "à supprimer bientôt", EveryEntityType(world.Police.Id)[..2]);
        var analyst = world.AnalystOf(world.Police);

        await using (var db = world.Database.Open())
        {
            var store = world.Store(db);
            var tracked = await store.FindForUpdateAsync(analyst, record.Id, CancellationToken.None);
            await store.DeleteAsync(analyst, tracked!, CancellationToken.None);
        }

        await using var check = world.Database.Open();
        Assert.Empty((await world.Store(check).SearchAsync(analyst, "supprimer", "test", null, 10, CancellationToken.None)).Items);
        Assert.False(await check.Links.AnyAsync());
        Assert.False(await check.Mentions.AnyAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_IsIdempotent(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        await JisrDatabase.MigrateAsync(database.Location);
        await using var db = database.Open();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    /// <summary>A SQLite path in folders not made yet (a first <c>jisr ... --db sqlite:data/node.db</c>): the folders and the database are created, and a second start finds it current.</summary>
    [Fact]
    public async Task Migrate_ASqliteFileInAFolderNotYetThere_CreatesBoth()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"jisr-migrate-{Guid.NewGuid():N}");
        try
        {
            var location = new DatabaseLocation(DatabaseProvider.Sqlite, Path.Combine(folder, "data", "node.db"));

            await JisrDatabase.MigrateAsync(location);
            await JisrDatabase.MigrateAsync(location);

            await using var db = JisrDatabase.Open(location);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
