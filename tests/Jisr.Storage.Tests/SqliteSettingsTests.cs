using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

/// <summary>The per-connection SQLite settings every context's connection gets (they do not persist in the file).</summary>
public sealed class SqliteSettingsTests
{
    [Fact]
    public async Task AContextsConnection_ReadsTheFileThroughAMemoryMap_WithForeignKeysOn()
    {
        await using var world = await StorageWorld.CreateAsync("sqlite");
        await using var db = world.Database.Open();
        await db.Database.OpenConnectionAsync();

        // Without the map each page a query touches is copied into the connection's cache by a system call: a graph's
        // rings spent as much CPU in the kernel as in SQLite.
        Assert.True(await PragmaAsync(db, "mmap_size") > 0);
        Assert.Equal(1, await PragmaAsync(db, "foreign_keys"));
    }

    private static async Task<long> PragmaAsync(JisrDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
