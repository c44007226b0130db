using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Policy;
using Jisr.Storage.Records;
using Jisr.Storage.Sharing;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

/// <summary>
/// The change rules' storage on both providers: the record version is a concurrency token (a change made over an
/// older version is a 409), and the declassification and consent filters translate and show an item only to those
/// who may read its record.
/// </summary>
public sealed class ChangeStorageTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AChangeSavedOverAnOlderVersion_IsAConflict_AndKeepsTheFirst(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var record = await world.AddRecordAsync(world.Police, "first");
        var principal = world.AnalystOf(world.Police);
        await using var first = world.Database.Open();
        await using var second = world.Database.Open();
        var a = await world.Store(first).FindForUpdateAsync(principal, record.Id, CancellationToken.None);
        var b = await world.Store(second).FindForUpdateAsync(principal, record.Id, CancellationToken.None);

        a!.Update(StorageWorld.Content("changed by a"), DateTimeOffset.UtcNow);
        await world.Store(first).UpdateAsync(principal, a, [], [], CancellationToken.None);
        b!.Update(StorageWorld.Content("changed by b"), DateTimeOffset.UtcNow);

        await Assert.ThrowsAsync<DomainStateException>(() => world.Store(second).UpdateAsync(principal, b, [], [], CancellationToken.None));
        await using var check = world.Database.Open();
        var stored = await check.Records.AsNoTracking().SingleAsync(r => r.Id == record.Id);
        Assert.Equal(("changed by a", a.Version), (stored.Title, stored.Version));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Declassifications_AreShownOnlyToTheRecordsReadersCleared_ForTheProposedMarking(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var record = await world.AddRecordAsync(world.Police, "confidential report", classification: Classification.Confidential);
        var requester = world.AnalystOf(world.Police);
        var held = Declassification.Request(record, requester.UserId, Marking.Create(Classification.Restricted, Tlp.Amber, HandlingCode.H2), false, "{}", DateTimeOffset.UtcNow);
        await using (var db = world.Database.Open())
        {
            await new DeclassificationStore(db, world.Audit, TimeProvider.System).AddAsync(requester, held, CancellationToken.None);
        }

        async Task<(int Listed, bool Read)> SeenByAsync(Principal principal)
        {
            await using var db = world.Database.Open();
            var store = new DeclassificationStore(db, world.Audit, TimeProvider.System);
            return ((await store.ListAsync(principal, DeclassificationStatus.Pending, record.Id, CancellationToken.None)).Count, await store.ReadAsync(principal, held.Id, CancellationToken.None) is not null);
        }

        Assert.Equal((1, true), await SeenByAsync(world.AnalystOf(world.Police)));
        Assert.Equal((0, false), await SeenByAsync(world.AnalystOf(world.Police, Classification.Restricted)));
        Assert.Equal((0, false), await SeenByAsync(world.AnalystOf(world.Intelligence)));
        await using var check = world.Database.Open();
        var stored = await check.Declassifications.AsNoTracking().SingleAsync();
        Assert.Equal((record.Version, Classification.Confidential, Classification.Restricted), (stored.RecordVersion, stored.CurrentMarking.Classification, stored.ProposedMarking.Classification));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ConsentRequests_AreShownOnlyToTheReadersOfTheCopyAndOfTheOriginal(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var third = Agency.Create("FR-THIRD", "Third", "FR", now);
        var agreement = SharingAgreement.Propose(new SharingTerms(world.Police.Id, world.Intelligence.Id, [ThreatDomain.Terrorism], Classification.Secret, [HandlingCode.H2], today, today.AddYears(1)), new UserId(Guid.NewGuid()), now);
        agreement.Accept(new UserId(Guid.NewGuid()), now);
        var record = await world.AddRecordAsync(world.Police, "shared report", classification: Classification.Confidential);
        ConsentRequest consent;
        await using (var db = world.Database.Open())
        {
            db.Agencies.Add(third);
            db.Agreements.Add(agreement);
            await db.SaveChangesAsync();
            var principal = world.AnalystOf(world.Police);
            var source = await world.Store(db).FindForUpdateAsync(principal, record.Id, CancellationToken.None);
            var store = new ReleaseStore(db, world.Audit, TimeProvider.System);
            var release = Release.Request(source!, world.Intelligence.Id, agreement, principal.UserId, [], null, needsSecondPerson: false, now);
            await store.RequestAsync(principal, release, source!, agreement, CancellationToken.None);
            var copy = await db.Records.SingleAsync(r => r.Id == release.CopyRecordId);
            consent = ConsentRequest.Request(copy, third.Id, new UserId(Guid.NewGuid()), null, now);
            await store.AddConsentAsync(world.AnalystOf(world.Intelligence), consent, CancellationToken.None);
        }

        async Task<(int Listed, bool Read)> SeenByAsync(Principal principal)
        {
            await using var db = world.Database.Open();
            var store = new ReleaseStore(db, world.Audit, TimeProvider.System);
            return ((await store.ListConsentsAsync(principal, CancellationToken.None)).Count, await store.ReadConsentAsync(principal, consent.Id, CancellationToken.None) is not null);
        }

        Assert.Equal((1, true), await SeenByAsync(world.AnalystOf(world.Police)));
        Assert.Equal((1, true), await SeenByAsync(world.AnalystOf(world.Intelligence)));
        Assert.Equal((0, false), await SeenByAsync(world.AnalystOf(world.Police, Classification.Restricted)));
        Assert.Equal((0, false), await SeenByAsync(world.AnalystOf(world.Intelligence, Classification.Restricted)));
    }
}
