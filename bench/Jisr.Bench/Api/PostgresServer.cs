using System.Globalization;
using Npgsql;

namespace Jisr.Bench.Api;

/// <summary>
/// The PostgreSQL server a bench database lives on, when it runs on this machine: its CPU time (so a request's cost is
/// the node's CPU plus the server's, comparable with SQLite, where the node does both) and <c>ANALYZE</c> after seeding.
/// </summary>
internal sealed class PostgresServer
{
    private static readonly double TicksPerSecond = ReadTicksPerSecond();

    private readonly int _postmaster;

    private PostgresServer(int postmaster) => _postmaster = postmaster;

    /// <summary>
    /// The server of <paramref name="connectionString"/>: the postmaster is the parent of the backend serving this
    /// connection. Null when that backend is not a process of this machine (a remote server): its CPU cannot be read.
    /// </summary>
    public static async Task<PostgresServer?> FindAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        var stat = Stat(backend);
        return stat is null || !IsPostgres(backend) ? null : new PostgresServer((int)stat[1]);
    }

    /// <summary>
    /// The CPU time the server has used so far: the postmaster's own and that of its children that have ended (the
    /// kernel adds an ended child's time to its parent's when the parent reaps it), and every live child's (backends,
    /// WAL writer, checkpointer, autovacuum).
    /// </summary>
    public TimeSpan CpuTime()
    {
        var ticks = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var stat = Stat(pid);
            if (stat is null)
            {
                continue;
            }

            if (pid == _postmaster)
            {
                ticks += stat[11] + stat[12] + stat[13] + stat[14]; // utime, stime, cutime, cstime
            }
            else if (stat[1] == _postmaster)
            {
                ticks += stat[11] + stat[12];
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Fresh planner statistics for a database just filled (autovacuum would get there within a minute).</summary>
    public static async Task AnalyzeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("ANALYZE", connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The numeric fields of /proc/PID/stat after the command name, numbered from the state (index 0 = field 3): [1] is
    /// the parent's pid, [11]..[14] utime, stime, cutime, cstime in clock ticks. Null when the process is gone.
    /// </summary>
    private static long[]? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return [0, .. fields[1..15].Select(f => long.Parse(f, CultureInfo.InvariantCulture))];
    }

    private static bool IsPostgres(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").StartsWith("postgres", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>USER_HZ: 100 on every Linux this runs on; getconf says for sure.</summary>
    private static double ReadTicksPerSecond()
    {
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
            var output = getconf.StandardOutput.ReadToEnd();
            getconf.WaitForExit();
            return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}
