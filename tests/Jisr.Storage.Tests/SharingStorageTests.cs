using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Notices;
using Jisr.Domain.Sharing;
using Jisr.Storage.Notices;
using Jisr.Storage.Sharing;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Storage.Tests;

/// <summary>
/// Sharing in the database on both providers: the guard behind the endpoint's "already released?" check (two
/// requests that pass it at the same moment must not both go in), and the agreement condition on partners' notices.
/// </summary>
public sealed class SharingStorageTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    private static async Task<SharingAgreement> AgreementAsync(StorageWorld world)
    {
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var agreement = SharingAgreement.Propose(
            new SharingTerms(world.Police.Id, world.Intelligence.Id, [ThreatDomain.Terrorism], Classification.Secret, [HandlingCode.H2],
            today, today.AddYears(1)), new UserId(Guid.NewGuid()), now);
        agreement.Accept(new UserId(Guid.NewGuid()), now);
        await using var db = world.Database.Open();
        db.Agreements.Add(agreement);
        await db.SaveChangesAsync();
        return agreement;
    }

    /// <summary>Requests a release of the record to the partner, as the endpoint does once its checks have passed.</summary>
    private static async Task<Release> RequestAsync(StorageWorld world, Record record, SharingAgreement agreement)
    {
        await using var db = world.Database.Open();
        var principal = world.AnalystOf(world.Police);
        var source = await world.Store(db).FindForUpdateAsync(principal, record.Id, CancellationToken.None);
        var store = new ReleaseStore(db, world.Audit, TimeProvider.System);
        var terms = await store.FindAgreementAsync(agreement.Id, CancellationToken.None);
        var release = Release.Request(source!, world.Intelligence.Id, terms!, principal.UserId, [], "joint case", Jisr.Policy.AccessPolicy.ReleaseNeedsSecondPerson(source!.Marking), DateTimeOffset.UtcNow);
        await store.RequestAsync(principal, release, source!, terms!, CancellationToken.None);
        return release;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task PartnersNotices_AreVisibleWhileTheAgreementIsInForce_OnBothQueries(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var agreement = await AgreementAsync(world);
        var now = DateTimeOffset.UtcNow;
        var person = Person.Create(world.Police.Id, [PersonName.Create("Rachid Oubaha")], null, null, Gender.Male, [], [], now);
        await world.AddRecordAsync(world.Police, "subject of a notice", [person]);
        var notice = Notice.Create(world.Police.Id, new UserId(Guid.NewGuid()), NoticeColor.Blue, person.Id, "Localisation", "Sought", "smuggling", ThreatDomain.Terrorism, [world.Intelligence.Id], [], now);
        await using (var db = world.Database.Open())
        {
            await new NoticeStore(db, world.Audit, TimeProvider.System).AddAsync(world.AnalystOf(world.Police), notice, CancellationToken.None);
        }

        async Task<(int Listed, bool Found)> PartnerSeesAsync()
        {
            await using var db = world.Database.Open();
            var store = new NoticeStore(db, world.Audit, TimeProvider.System);
            var partner = world.AnalystOf(world.Intelligence);
            return ((await store.ListAsync(partner, CancellationToken.None)).Count, await store.FindAsync(partner, notice.Id, CancellationToken.None) is not null);
        }

        Assert.Equal((1, true), await PartnerSeesAsync());
        await using (var db = world.Database.Open())
        {
            var tracked = await db.Agreements.SingleAsync(a => a.Id == agreement.Id);
            tracked.Suspend(tracked.ProposerAgencyId, "partner under review", now);
            await db.SaveChangesAsync();
        }

        Assert.Equal((0, false), await PartnerSeesAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SecondOpenRelease_ToTheSameAgency_IsRefused_AndKeepsNothing(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var agreement = await AgreementAsync(world);
        var record = await world.AddRecordAsync(world.Police, "shared report");
        var first = await RequestAsync(world, record, agreement);
        Assert.Equal(ReleaseStatus.Released, first.Status);

        var duplicate = await Assert.ThrowsAsync<DomainStateException>(() => RequestAsync(world, record, agreement));
        Assert.Contains("already released", duplicate.Message, StringComparison.Ordinal);

        await using var db = world.Database.Open();
        Assert.Equal(first.Id, (await db.Releases.SingleAsync()).Id);
        Assert.Equal(2, await db.Records.CountAsync()); // the original and one copy, not two
        Assert.Equal(1, await db.AuditLog.CountAsync(e => e.Action == "release.request"));
        Assert.Equal(1, await db.AuditLog.CountAsync(e => e.Action == "release.receive"));
    }

    /// <summary>
    /// A copy's provenance is one JSON column: typed ids go in as the Guid strings they always were (rows written
    /// before typed ids read back), and come out as the same typed ids.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ReleaseCopy_StoresItsProvenance_WithIdsAsGuidStrings(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var agreement = await AgreementAsync(world);
        var record = await world.AddRecordAsync(world.Police, "shared report");
        var release = await RequestAsync(world, record, agreement);

        await using var db = world.Database.Open();
        var stored = await db.Database.SqlQueryRaw<string>("SELECT \"Provenance\" AS \"Value\" FROM \"Records\" WHERE \"Provenance\" IS NOT NULL").SingleAsync();
        using var json = System.Text.Json.JsonDocument.Parse(stored);
        var ids = json.RootElement.EnumerateObject().Where(p => p.Name != nameof(ReleaseProvenance.ReleasedAt)).ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(
            new Dictionary<string, string?>
            {
                [nameof(ReleaseProvenance.ReleaseId)] = release.Id.Value.ToString("D"),
                [nameof(ReleaseProvenance.OriginalRecordId)] = record.Id.Value.ToString("D"),
                [nameof(ReleaseProvenance.SourceRecordId)] = record.Id.Value.ToString("D"),
                [nameof(ReleaseProvenance.ReleasingAgencyId)] = world.Police.Id.Value.ToString("D"),
                [nameof(ReleaseProvenance.ReleasedByUserId)] = release.RequestedBy.Value.ToString("D"),
            },
            ids);

        var copy = await db.Records.AsNoTracking().SingleAsync(r => r.Provenance != null);
        Assert.Equal((release.Id, record.Id, world.Police.Id, release.RequestedBy), (copy.Provenance!.ReleaseId, copy.Provenance.OriginalRecordId, copy.Provenance.ReleasingAgencyId, copy.Provenance.ReleasedByUserId));
        Assert.Equal(copy.Id, (await db.Releases.AsNoTracking().SingleAsync(r => r.Id == release.Id)).CopyRecordId);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task RefusedRelease_CanBeAskedForAgain_ButOnlyOnceOpen(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var agreement = await AgreementAsync(world);
        var record = await world.AddRecordAsync(world.Police, "sensitive report", classification: Classification.Confidential);
        var first = await RequestAsync(world, record, agreement);
        Assert.Equal(ReleaseStatus.AwaitingApproval, first.Status);
        await Assert.ThrowsAsync<DomainStateException>(() => RequestAsync(world, record, agreement));

        await using (var db = world.Database.Open())
        {
            var reviewer = world.AnalystOf(world.Police);
            var tracked = await db.Releases.SingleAsync(r => r.Id == first.Id);
            tracked.Refuse(reviewer.UserId, "not proportionate", DateTimeOffset.UtcNow);
            await new ReleaseStore(db, world.Audit, TimeProvider.System).DecideAsync(reviewer, tracked, record, null, CancellationToken.None);
        }

        var second = await RequestAsync(world, record, agreement);
        Assert.Equal(ReleaseStatus.AwaitingApproval, second.Status);
        await Assert.ThrowsAsync<DomainStateException>(() => RequestAsync(world, record, agreement));
        await using var check = world.Database.Open();
        Assert.Equal(2, await check.Releases.CountAsync());
    }
}
