using Jisr.Storage.Exchange;
using Jisr.Testing;

namespace Jisr.Storage.Tests;

/// <summary>
/// The stamp a kept TAXII collection is checked against on every page (<see cref="StixObjectStore.ServedStampAsync"/>):
/// any record of the agency added, changed or deleted, and a deletion with an addition between two pages, must change
/// it (else a page is served from a collection that no longer holds); another agency's records and a repeated ask must
/// not (else every page rebuilds the collection).
/// </summary>
public sealed class TaxiiServedStampTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EveryChangeOfTheAgencysRecords_ChangesTheStamp_AndNothingElseDoes(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var principal = world.AnalystOf(world.Police);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        async Task<string> StampAsync()
        {
            await using var db = world.Database.Open();
            return await new StixObjectStore(db, world.Audit, TimeProvider.System).ServedStampAsync(world.Police.Id, CancellationToken.None);
        }

        async Task<string> NewStampAsync(string what)
        {
            var stamp = await StampAsync();
            Assert.True(seen.Add(stamp), $"the stamp did not change when {what}: {stamp}");
            Assert.Equal(stamp, await StampAsync()); // asked again with nothing changed: the same
            return stamp;
        }

        await NewStampAsync("nothing was held");
        var first = await world.AddRecordAsync(world.Police, "first");
        await NewStampAsync("a record was added");
        var second = await world.AddRecordAsync(world.Police, "second");
        var stamp = await NewStampAsync("a second record was added");

        await world.AddRecordAsync(world.Intelligence, "another agency's");
        Assert.Equal(stamp, await StampAsync());

        await using (var db = world.Database.Open())
        {
            var held = await world.Store(db).FindForUpdateAsync(principal, first.Id, CancellationToken.None);
            held!.Update(StorageWorld.Content("first, changed"), DateTimeOffset.UtcNow);
            await world.Store(db).UpdateAsync(principal, held, [], [], CancellationToken.None);
        }

        await NewStampAsync("a record was changed");

        // The newest record deleted and another added: the count, and on SQLite possibly the row sequence, stay as they were.
        await using (var db = world.Database.Open())
        {
            var held = await world.Store(db).FindForUpdateAsync(principal, second.Id, CancellationToken.None);
            await world.Store(db).DeleteAsync(principal, held!, CancellationToken.None);
        }

        await world.AddRecordAsync(world.Police, "third");
        await NewStampAsync("a record was deleted and another added");

        await using (var db = world.Database.Open())
        {
            var held = await world.Store(db).FindForUpdateAsync(principal, first.Id, CancellationToken.None);
            await world.Store(db).DeleteAsync(principal, held!, CancellationToken.None);
        }

        await NewStampAsync("a record was deleted");
    }
}
