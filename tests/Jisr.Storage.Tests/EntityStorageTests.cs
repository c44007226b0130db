using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Testing;

namespace Jisr.Storage.Tests;

/// <summary>
/// The stores around records (entities, the link graph, the review queue, subject access) start from the same policy
/// sets as the record store: on both providers, a RESTRICTED analyst of the police sees only what its RESTRICTED
/// record holds, never the SECRET record's entities nor another agency's.
/// </summary>
public sealed class EntityStorageTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EveryStore_StartsFromWhatThePolicyAllows(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var person = Person.Create(world.Police.Id, [PersonName.Create("Karim Bennani")], null, null, Gender.Male, [], [], now);
        var phone = PhoneNumber.Create(world.Police.Id, "+212 6-61 00 00 01", now);
        var secretPerson = Person.Create(world.Police.Id, [PersonName.Create("Samir Tazi")], null, null, Gender.Male, [], [], now);
        var secretPhone = PhoneNumber.Create(world.Police.Id, "+212 6-61 00 00 02", now);
        var foreignPerson = Person.Create(world.Intelligence.Id, [PersonName.Create("Nadia Chraibi")], null, null, Gender.Female, [], [], now);
        var record = await world.AddRecordAsync(world.Police, "rapport", [person, phone]);
        await world.AddRecordAsync(world.Police, "rapport secret", [secretPerson, secretPhone], Classification.Secret);
        await world.AddRecordAsync(world.Intelligence, "rapport étranger", [foreignPerson]);
        var analyst = world.AnalystOf(world.Police, Classification.Restricted);
        var ct = CancellationToken.None;
        await using var db = world.Database.Open();

        var entities = world.Entities(db);
        var first = await entities.ListAsync(analyst, null, null, 1, ct);
        var second = await entities.ListAsync(analyst, null, first.Next, 1, ct);
        Assert.Equal(new[] { person.Id, phone.Id }.Order(), first.Items.Concat(second.Items).Select(e => e.Id).Order());
        Assert.Null(second.Next);
        Assert.Equal([person.Id], (await entities.ListAsync(analyst, EntityType.Person, null, 10, ct)).Items.Select(e => e.Id));
        Assert.NotNull(await entities.ReadAsync(analyst, person.Id, ct));
        Assert.Null(await entities.ReadAsync(analyst, secretPerson.Id, ct));
        Assert.Null(await entities.ReadAsync(analyst, foreignPerson.Id, ct));
        Assert.Equal([record.Id], (await entities.RecordsMentioningAsync(analyst, person.Id, null, 10, ct)).Items.Select(r => r.Id));
        Assert.Empty((await entities.RecordsMentioningAsync(analyst, secretPerson.Id, null, 10, ct)).Items);
        Assert.Equal(new[] { person.Id, phone.Id }.Order(), (await entities.ReadableByIdAsync(analyst, [person.Id, phone.Id, secretPerson.Id, foreignPerson.Id], ct)).Keys.Order());
        Assert.Equal([person.Id], (await entities.ReadablePersonsAsync(analyst, [person.Id, secretPerson.Id, foreignPerson.Id], "karim", "test", ct)).Keys);

        var neighbours = await world.Graph(db).NeighboursAsync(analyst, person.Id, "test", ct);
        Assert.NotNull(neighbours);
        Assert.Equal(phone.Id, Assert.Single(neighbours.Links).ToEntityId);
        Assert.Equal([phone.Id], neighbours.Others.Keys);
        Assert.Null(await world.Graph(db).NeighboursAsync(analyst, secretPerson.Id, "test", ct));

        var due = await world.Reviews(db).ListAsync(analyst, DateOnly.FromDateTime(now.AddYears(2).UtcDateTime), null, 10, ct);
        Assert.Equal([record.Id], due.Items.Select(r => r.Id));
        Assert.Empty((await world.Reviews(db).ListAsync(analyst, DateOnly.FromDateTime(now.UtcDateTime), null, 10, ct)).Items);

        var access = await world.SubjectAccess(db).ExportAsync(analyst, person.Id, "test", ct);
        Assert.NotNull(access);
        Assert.Equal([record.Id], access.Records.Select(r => r.Id));
        Assert.Single(access.Links);
        Assert.Null(await world.SubjectAccess(db).ExportAsync(analyst, secretPerson.Id, "test", ct));
        Assert.Null(await world.SubjectAccess(db).ExportAsync(analyst, foreignPerson.Id, "test", ct));
    }
}
