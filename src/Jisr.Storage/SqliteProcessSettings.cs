namespace Jisr.Storage;

/// <summary>
/// Process-wide SQLite settings, applied once before the library opens its first connection. SQLite keeps memory
/// statistics by default, and then every allocation inside it takes one global mutex: with many requests reading at
/// once, that mutex was contended (profile of warm record reads on 2 cores: about 4% of the node's CPU in futex waits
/// and wake-ups under <c>sqlite3Malloc</c> and <c>sqlite3_free</c>). Nothing in the node reads those statistics.
/// </summary>
internal static class SqliteProcessSettings
{
    /// <summary><c>SQLITE_CONFIG_MEMSTATUS</c> in sqlite3.h.</summary>
    private const int ConfigMemoryStatistics = 9;

    private static readonly Lazy<bool> Applied = new(Apply, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Turns the statistics off; true if they are off. False when the library was already in use in this process
    /// (SQLite accepts process settings only before its first connection), as in a test process that opened one
    /// earlier: the node then works as before, with the statistics on.
    /// </summary>
    public static bool EnsureApplied() => Applied.Value;

    private static bool Apply()
    {
        SQLitePCL.Batteries_V2.Init();
        return SQLitePCL.raw.sqlite3_config(ConfigMemoryStatistics, 0) == SQLitePCL.raw.SQLITE_OK;
    }
}
