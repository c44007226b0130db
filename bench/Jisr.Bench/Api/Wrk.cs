using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Jisr.Bench.Api;

/// <summary>
/// What wrk measured: requests per second over the run, latency percentiles, answers that were not 2xx; and, when the
/// node's CPU time was taken around the run, the node's CPU microseconds per request (what a build costs per request,
/// whatever else the machine is doing) and the load average when the run ended.
/// </summary>
internal sealed record WrkFigures(double PerSecond, double P50Ms, double P99Ms, long Requests, long Failed)
{
    /// <summary>Node CPU time (all its processes) divided by the requests served; NaN when not measured.</summary>
    public double CpuMicrosecondsPerRequest { get; init; } = double.NaN;

    /// <summary>The database server's CPU time (PostgreSQL on this machine) divided by the requests served; NaN when not measured.</summary>
    public double ServerCpuMicrosecondsPerRequest { get; init; } = double.NaN;

    /// <summary>The machine's 1-minute load average at the end of the run; NaN when not read.</summary>
    public double LoadAverage { get; init; } = double.NaN;

    /// <summary>Two loads run at the same time (one per node process) taken as one: rates add, latencies are the worse.</summary>
    public static WrkFigures Sum(IReadOnlyList<WrkFigures> parts) =>
        new(parts.Sum(p => p.PerSecond), parts.Max(p => p.P50Ms), parts.Max(p => p.P99Ms), parts.Sum(p => p.Requests), parts.Sum(p => p.Failed));

    /// <summary>These figures with the node CPU time <paramref name="cpu"/> (and the database server's, when measured) spent serving them.</summary>
    public WrkFigures WithCpu(TimeSpan cpu, TimeSpan? serverCpu = null) => this with
    {
        CpuMicrosecondsPerRequest = Requests > 0 ? cpu.TotalMicroseconds / Requests : double.NaN,
        ServerCpuMicrosecondsPerRequest = Requests > 0 && serverCpu is { } server ? server.TotalMicroseconds / Requests : double.NaN,
        LoadAverage = ReadLoadAverage(),
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{PerSecond,8:F0}/s  p50 {P50Ms,6:F2} ms  p99 {P99Ms,6:F2} ms{Cpu()}  ({Requests} requests{(Failed > 0 ? $", {Failed} not 2xx" : "")}{Load()})");

    private string Cpu() => double.IsNaN(CpuMicrosecondsPerRequest) ? "" : string.Create(CultureInfo.InvariantCulture, $"  cpu {CpuMicrosecondsPerRequest,6:F0} us/req{ServerCpu()}");

    private string ServerCpu() => double.IsNaN(ServerCpuMicrosecondsPerRequest) ? "" : string.Create(CultureInfo.InvariantCulture, $" + server {ServerCpuMicrosecondsPerRequest,4:F0} us/req");

    private string Load() => double.IsNaN(LoadAverage) ? "" : string.Create(CultureInfo.InvariantCulture, $", load {LoadAverage:F1}");

    private static double ReadLoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
        catch (UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }
}

/// <summary>
/// wrk, the C load generator (installed with apt-get when missing): a .NET client in the bench process would take a
/// large part of the CPU the node is measured on. Lua scripts give every request its path, token and body.
/// </summary>
internal static class Wrk
{
    private static string? _path;

    public static async Task<string> EnsureInstalledAsync()
    {
        _path ??= new[] { "/usr/bin/wrk", "/usr/local/bin/wrk" }.FirstOrDefault(File.Exists);
        if (_path is not null)
        {
            return _path;
        }

        Console.WriteLine("wrk is not installed: apt-get install -y wrk");
        foreach (var args in new[] { "update -q", "install -y -q wrk" })
        {
            using var process = Process.Start(new ProcessStartInfo("apt-get", args) { UseShellExecute = false })!;
            await process.WaitForExitAsync();
        }

        return _path = new[] { "/usr/bin/wrk", "/usr/local/bin/wrk" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("wrk could not be installed (apt-get install wrk); the api bench needs it");
    }

    /// <summary>GETs the paths in turn, with the bearer token and a purpose.</summary>
    public static string GetScript(string token, IReadOnlyList<string> paths) => $$"""
        local paths = { {{string.Join(",", paths.Select(Quote))}} }
        local headers = { ["Authorization"] = "Bearer {{token}}", ["X-Jisr-Purpose"] = "bench: api throughput" }
        local counter = 0
        request = function()
          counter = counter + 1
          return wrk.format("GET", paths[(counter % #paths) + 1], headers)
        end
        """;

    /// <summary>
    /// POSTs records: <paramref name="body"/> with "__TITLE__" and "__TEXT__" replaced by random words of the two
    /// vocabularies (so that search has words of every frequency); each thread stops sending after <paramref name="perThread"/>
    /// answers (0: never; wrk still waits out its -d duration).
    /// </summary>
    public static string PostScript(string token, string body, IReadOnlyList<string> latin, IReadOnlyList<string> arabic, int perThread)
    {
        var title = body.IndexOf("__TITLE__", StringComparison.Ordinal);
        var text = body.IndexOf("__TEXT__", StringComparison.Ordinal);
        return $$"""
            local latin = { {{string.Join(",", latin.Select(Quote))}} }
            local arabic = { {{string.Join(",", arabic.Select(Quote))}} }
            local p1, p2, p3 = {{Quote(body[..title])}}, {{Quote(body[(title + "__TITLE__".Length)..text])}}, {{Quote(body[(text + "__TEXT__".Length)..])}}
            local headers = { ["Authorization"] = "Bearer {{token}}", ["Content-Type"] = "application/json" }
            local limit = {{perThread}}
            local answered = 0
            local threads = 0
            function setup(thread)
              threads = threads + 1
              thread:set("seed", threads)
            end
            function init(args)
              math.randomseed(seed or 1)
            end
            local function word(list) return list[math.random(#list)] end
            request = function()
              local body = p1 .. "Rapport " .. word(latin) .. " " .. word(arabic) .. p2 .. word(latin) .. " " .. word(arabic) .. " vus au port de Tanger." .. p3
              return wrk.format("POST", "/api/v1/records", headers, body)
            end
            response = function(status, headers, body)
              answered = answered + 1
              if limit > 0 and answered >= limit then wrk.thread:stop() end
            end
            """;
    }

    /// <summary>Runs wrk against <paramref name="baseAddress"/>; <paramref name="cpus"/> pins it (taskset) away from the node's cores.</summary>
    public static async Task<WrkFigures> RunAsync(Uri baseAddress, string script, int connections, int seconds, string? cpus, int threads = 2)
    {
        var wrk = await EnsureInstalledAsync();
        var file = Path.Combine(Path.GetTempPath(), $"jisr-bench-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(file, script, new UTF8Encoding(false));
        try
        {
            var info = new ProcessStartInfo(cpus is null ? wrk : "taskset") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            var args = new List<string>();
            if (cpus is not null)
            {
                args.AddRange(["-c", cpus, wrk]);
            }

            args.AddRange([$"-t{Math.Min(threads, connections)}", $"-c{connections}", $"-d{seconds}s", "--timeout", "30s", "--latency", "-s", file, baseAddress.ToString().TrimEnd('/')]);
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return Parse(output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static WrkFigures Parse(string output)
    {
        var lines = output.Split('\n').Select(l => l.Trim()).ToArray();
        string? Field(string prefix) => lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].Trim();
        var perSecond = double.Parse(Field("Requests/sec:") ?? throw new InvalidOperationException($"wrk printed no figures:\n{output}"), CultureInfo.InvariantCulture);
        var requests = long.Parse(lines.First(l => l.Contains(" requests in ", StringComparison.Ordinal)).Split(' ')[0], CultureInfo.InvariantCulture);
        var failed = long.TryParse(Field("Non-2xx or 3xx responses:"), CultureInfo.InvariantCulture, out var n) ? n : 0;
        var errors = Field("Socket errors:");
        if (errors is not null)
        {
            failed += errors.Split(',').Sum(part => long.Parse(part.Trim().Split(' ')[^1], CultureInfo.InvariantCulture));
        }

        return new WrkFigures(perSecond, Milliseconds(Field("50%")), Milliseconds(Field("99%")), requests, failed);
    }

    private static double Milliseconds(string? value)
    {
        if (value is null)
        {
            return double.NaN;
        }

        var (number, scale) = value.EndsWith("us", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1.0)
            : value.EndsWith("m", StringComparison.Ordinal) ? (value[..^1], 60_000.0)
            : (value[..^1], 1000.0);
        return double.Parse(number, CultureInfo.InvariantCulture) * scale;
    }

    /// <summary>A Lua long-bracket string literal: no escaping needed, whatever the text (JSON, Arabic).</summary>
    private static string Quote(string text)
    {
        var level = new string('=', 1);
        while (text.Contains($"]{level}]", StringComparison.Ordinal))
        {
            level += "=";
        }

        return $"[{level}[{text}]{level}]";
    }
}
