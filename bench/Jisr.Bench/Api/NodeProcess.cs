using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Jisr.Bench.Api;

/// <summary>
/// A node as an agency runs it: <c>dotnet jisr.dll serve</c> in its own process, limited to the first
/// <see cref="Cores"/> cores (CPU affinity with <c>taskset</c> and <c>DOTNET_PROCESSOR_COUNT</c>, so the runtime sizes
/// its thread pool and GC heaps for what it really gets). Its log goes to a file, as it would to a log collector.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, Uri baseAddress, int cores, string log)
    {
        _process = process;
        BaseAddress = baseAddress;
        Cores = cores;
        Log = log;
    }

    public Uri BaseAddress { get; }

    public int Cores { get; }

    /// <summary>The node's process id (taskset runs dotnet in its own process), to read its CPU time.</summary>
    public int ProcessId => _process.Id;

    public string Log { get; }

    /// <summary>
    /// The CPU time the node process has used so far (user and system, every thread; /proc/PID/stat through
    /// <see cref="Process.TotalProcessorTime"/>): on a shared machine, CPU per request compares builds where wall-clock
    /// throughput cannot.
    /// </summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>The CPU list of the first <paramref name="cores"/> cores, as taskset takes it ("0" or "0-3").</summary>
    public static string CpuList(int cores) => cores == 1 ? "0" : $"0-{cores - 1}";

    /// <summary>Runs a jisr CLI command (setting up the database) and returns its standard output.</summary>
    public static async Task<string> CliAsync(string jisr, string workDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workDirectory };
        info.ArgumentList.Add(jisr);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"jisr {args[0]} {args[1]} failed ({process.ExitCode}): {await error}");
        }

        return (await output).Trim();
    }

    /// <summary>Starts <c>jisr serve</c> on a free loopback port and waits until it answers <c>/health</c>.</summary>
    public static async Task<NodeProcess> StartAsync(string jisr, string db, int cores, string workDirectory)
    {
        var port = FreePort();
        var log = Path.Combine(workDirectory, $"node-{port}.log");

        // The node writes its log straight into the file (the shell execs taskset, which execs dotnet: one process, whose
        // CPU time is the node's): the bench does not read it line by line on the cores the node is measured on.
        var info = new ProcessStartInfo("sh") { UseShellExecute = false, WorkingDirectory = workDirectory };
        foreach (var arg in new[] { "-c", "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1", "sh", log, "taskset", "-c", CpuList(cores), "dotnet", jisr, "serve", "--db", db, "--urls", $"http://127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_PROCESSOR_COUNT"] = cores.ToString(CultureInfo.InvariantCulture);
        var process = Process.Start(info)!;

        var node = new NodeProcess(process, new Uri($"http://127.0.0.1:{port}"), cores, log);
        using var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the node exited with {process.ExitCode} before it was ready; see {log}");
            }

            try
            {
                using var response = await client.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // listening, but busy starting (a large database on a loaded machine): ask again
            }

            // Generous: on a machine shared by many builds (load 60 and more) a node with DOTNET_TieredCompilation=0
            // compiles its whole start-up path fully and took more than 3 minutes to answer.
            if (deadline.Elapsed > TimeSpan.FromMinutes(10))
            {
                await node.DisposeAsync();
                throw new TimeoutException($"the node was not ready within 10 minutes; see {log}");
            }

            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
