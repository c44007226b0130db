using Jisr.Domain.Entities;
using Jisr.Testing;

namespace Jisr.Storage.Tests;

/// <summary>
/// <see cref="DataChanges.Since"/>: which records and entities the changes committed after a version touched, what the
/// hit/no-hit filter rounds rebuild from; nothing when nothing was committed since; unknown for a reader the journal
/// does not reach back to.
/// </summary>
public sealed class DataChangesJournalTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Since_NamesTheRecordsAndEntitiesOfEachCommittedChange(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        await using var db = world.Database.Open();
        var (before, _) = DataChanges.Since(db, -1);

        var person = Person.Create(world.Police.Id, [PersonName.Create("Youssef El Idrissi")], null, null, Gender.Male, [], [], DateTimeOffset.UtcNow);
        var first = await world.AddRecordAsync(world.Police, "Premier", [person]);
        var (afterFirst, touched) = DataChanges.Since(db, before);
        Assert.True(afterFirst > before);
        Assert.NotNull(touched);
        Assert.Contains(first.Id, touched.Records);
        Assert.Contains(person.Id, touched.Entities);

        var second = await world.AddRecordAsync(world.Intelligence, "Second");
        var (afterSecond, onlySecond) = DataChanges.Since(db, afterFirst);
        Assert.Equal(second.Id, Assert.Single(onlySecond!.Records));
        Assert.Empty(onlySecond.Entities);
        Assert.True(DataChanges.Since(db, before).Touched!.Records.SetEquals([first.Id, second.Id]));

        var (same, nothing) = DataChanges.Since(db, afterSecond);
        Assert.Equal(afterSecond, same);
        Assert.Empty(nothing!.Records);
        Assert.Null(DataChanges.Since(db, -1).Touched); // further back than the journal: redo everything
    }
}
