using Jisr.Domain.Common;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

/// <summary>
/// On SQLite a group-commit batch of entries alone (reads, searches) is stored by the audit writer's kept INSERT, not
/// by EF Core's SaveChanges: its rows must be exactly the rows SaveChanges stores (the verifier re-hashes what EF Core
/// reads back, and other processes write the same table through SaveChanges).
/// </summary>
public sealed class AuditEntryInsertTests
{
    [Fact]
    public async Task EntriesAlone_StoredByTheKeptInsert_AreStoredAsSaveChangesStoresThem_AndTheChainVerifies()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await AuditRowsBothWays.WriteAsync(database, concurrent: 20);

        await using var check = database.Open();
        var connection = check.Database.GetDbConnection();
        await connection.OpenAsync();
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('AuditLog')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }

        Assert.Contains("At", columns);
        foreach (var column in columns.Where(c => c is not ("Sequence" or "PreviousHash" or "Hash")))
        {
            // quote() shows the stored type and value: text, blob, integer or NULL, exactly as stored.
            Assert.Equal(await StoredAsync(connection, column, 2), await StoredAsync(connection, column, 1));
            Assert.Equal(await StoredAsync(connection, column, 3), await StoredAsync(connection, column, 4));
        }

        Assert.Equal(24, await check.AuditLog.CountAsync());
        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), await check.AuditLog.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync());
        var first = await check.AuditLog.AsNoTracking().SingleAsync(e => e.Sequence == 1);
        var read = AuditRowsBothWays.Filled;
        Assert.Equal((read.ActorUserId, read.AgencyId, read.Purpose, read.Detail, Instants.Normalize(AuditRowsBothWays.At)), (first.ActorUserId, first.AgencyId, first.Purpose, first.Detail, first.At));
        Assert.True((await AuditVerifier.VerifyAsync(check)).IsIntact);
    }

    private static async Task<string> StoredAsync(System.Data.Common.DbConnection connection, string column, long sequence)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT quote(\"{column}\") FROM \"AuditLog\" WHERE \"Sequence\" = {sequence}";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
