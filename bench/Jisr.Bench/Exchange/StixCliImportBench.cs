using System.Diagnostics;
using System.Globalization;
using Jisr.Testing;

namespace Jisr.Bench.Exchange;

/// <summary>
/// <c>jisr stix import</c> as a user runs it: the built <c>jisr</c> (its own runtime settings: tiered compilation,
/// ReadyToRun code, GC) in a fresh process on a generated bundle, start-up and model building included. Prints the
/// process's wall-clock time and CPU time per object, for a quarter of the size and the full size. <c>--jisr PATH</c>
/// measures another build of jisr.dll (a ReadyToRun publish, say).
/// </summary>
internal static class StixCliImportBench
{
    public static async Task RunAsync(string[] args)
    {
        var objects = 100_000;
        string? jisr = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--jisr" && i + 1 < args.Length)
            {
                jisr = Path.GetFullPath(args[++i]);
            }
            else
            {
                objects = int.Parse(args[i], CultureInfo.InvariantCulture);
            }
        }

        jisr ??= Api.ApiBench.FindJisr();
        Console.WriteLine($"jisr: {jisr}");
        foreach (var size in new[] { objects / 4, objects })
        {
            await RunOnceAsync(jisr, size);
        }
    }

    private static async Task RunOnceAsync(string jisr, int objects)
    {
        var file = Path.Combine(Path.GetTempPath(), $"jisr-bench-{Guid.NewGuid():N}.json");
        try
        {
            StixImportBench.Generate(file, objects);
            await using var database = await TestDatabase.CreateAsync("sqlite");
            var db = $"sqlite:{database.Location.Target}";
            var add = await RunJisrAsync(jisr, ["agency", "add", "--db", db, "--code", "XX-BENCH", "--name", "Bench", "--country", "MA"]);
            if (add.ExitCode != 0)
            {
                throw new InvalidOperationException($"jisr agency add failed: {add.Error}");
            }

            var import = await RunJisrAsync(jisr, ["stix", "import", "--db", db, "--agency", "XX-BENCH", file]);
            if (import.ExitCode != 0)
            {
                throw new InvalidOperationException($"jisr stix import failed: {import.Error}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"jisr stix import (process, sqlite): {objects} objects in {import.Wall.TotalSeconds:F2} s = {objects / import.Wall.TotalSeconds:F0} objects/s; CPU {import.CpuSeconds:F2} s = {objects / import.CpuSeconds:F0} objects per CPU-second ({1e6 * import.CpuSeconds / objects:F0} CPU-us per object; {Environment.ProcessorCount} cores, load {LoadAverage()}); peak resident set {import.PeakMegabytes:F0} MB; {import.Output.Trim()}"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Runs jisr to its end; its CPU time is read from /proc just before it exits (a sampler every 20 ms: the last
    /// sample before exit is taken, so up to 20 ms may be missed).
    /// </summary>
    /// <remarks>Also the xref bench's way to run the CLI (<see cref="Fusion.XrefDatabaseBench"/>).</remarks>
    internal static async Task<(int ExitCode, string Output, string Error, TimeSpan Wall, double CpuSeconds, double PeakMegabytes)> RunJisrAsync(string jisr, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(jisr);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start jisr");
        var cpu = 0.0;
        var peak = 0.0;
        using var sampler = new Timer(
            _ =>
            {
                cpu = Math.Max(cpu, CpuSeconds(process.Id));
                peak = Math.Max(peak, PeakMegabytes(process.Id));
            },
            null,
            0,
            20);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        clock.Stop();
        return (process.ExitCode, await output, await error, clock.Elapsed, cpu, peak);
    }

    /// <summary>User and system CPU seconds of a running process, from /proc (0 when it is gone or not on Linux).</summary>
    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0; // clock ticks of 1/100 s
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The process's peak resident set (VmHWM, the kernel's high-water mark) in MB, from /proc (0 when it is gone or not on Linux).</summary>
    private static double PeakMegabytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0; // kB
                }
            }
        }
        catch (IOException)
        {
            // gone
        }

        return 0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
