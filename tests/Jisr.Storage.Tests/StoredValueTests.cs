using System.Data.Common;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Notices;
using Jisr.Domain.Records;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

/// <summary>
/// A row altered outside the node (by hand, by another version) cannot hand the model a value no factory accepts:
/// reading it fails naming the field, instead of an unknown number becoming an enum value the policy compares.
/// </summary>
public sealed class StoredValueTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    public static TheoryData<string, string, string> AlteredRecordColumns()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var provider in TestDatabase.Providers.Select(p => (string)p[0]))
        {
            data.Add(provider, "UPDATE \"Records\" SET \"Tlp\" = 42", "tlp");
            data.Add(provider, "UPDATE \"Records\" SET \"Classification\" = -1", "classification");
            data.Add(provider, "UPDATE \"Records\" SET \"Kind\" = 99", "kind");
            data.Add(provider, "UPDATE \"Records\" SET \"Handling\" = 3", "handlingNote"); // H3 without its written restriction
            data.Add(provider, "UPDATE \"Records\" SET \"SourceGrading\" = 'Z9'", "sourceGrading");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AlteredRecordColumns))]
    public async Task RecordRow_HoldingAValueNoFactoryAccepts_IsRefusedOnRead_NamingTheField(string provider, string update, string field)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var record = await world.AddRecordAsync(world.Police, "Rapport");
        await using var db = world.Database.Open();
        await db.Database.ExecuteSqlRawAsync(update);

        var error = await Assert.ThrowsAsync<DomainValidationException>(() =>
            world.Store(db).ReadAsync(world.AnalystOf(world.Police), record.Id, CancellationToken.None));

        Assert.Equal(field, error.Field);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task RecordRow_WithoutASourceGrading_CannotBeStored(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        await world.AddRecordAsync(world.Police, "Rapport");
        await using var db = world.Database.Open();

        await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"Records\" SET \"SourceGrading\" = NULL"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task NoticeRow_WithAnUnknownColour_IsRefusedOnRead(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var person = Person.Create(world.Police.Id, [PersonName.Create("Youssef El Idrissi")], null, null, Gender.Male, [], [], DateTimeOffset.UtcNow);
        await world.AddRecordAsync(world.Police, "Rapport", [person]);
        var notice = Notice.Create(
            world.Police.Id, new UserId(Guid.NewGuid()), NoticeColor.Red, person.Id, "Wanted", "Sought for trafficking", "drug trafficking", ThreatDomain.DrugTrafficking,
            [world.Intelligence.Id], [], DateTimeOffset.UtcNow);
        await using (var writer = world.Database.Open())
        {
            writer.Notices.Add(notice);
            await writer.SaveChangesAsync();
            await writer.Database.ExecuteSqlRawAsync("UPDATE \"Notices\" SET \"Color\" = 42");
        }

        await using var db = world.Database.Open();
        var error = await Assert.ThrowsAsync<DomainValidationException>(() => db.Notices.AsNoTracking().SingleAsync(n => n.Id == notice.Id));

        Assert.Equal("color", error.Field);
        Assert.Contains("42", error.Reason, StringComparison.Ordinal);
    }

    /// <summary>Checking enum columns on read changes no column: the model still matches the migrations of both providers.</summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Model_MatchesTheMigrations(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Open();

        Assert.False(db.Database.HasPendingModelChanges());
    }
}
