using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Jisr.Domain.Agencies;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Exchange.Stix.Import;
using Jisr.Server.Application;
using Jisr.Storage;
using Jisr.Storage.Seeding;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Bench.Exchange;

/// <summary>
/// <c>jisr sync pull</c> between two real nodes on loopback: node A (<c>jisr serve</c>, SQLite) serves MA-DGST's
/// collection for FR-DGSI (the demo agreement) holding about OBJECTS objects; node B (another SQLite database) pulls it
/// with the real command (pages of its default size, or LIMIT). Prints the time and objects per second of the pull alone,
/// and the CPU seconds of both processes; every stage and every pulled page is printed as it ends, with a line every
/// <see cref="Heartbeat"/> besides, so a run cut short by a time limit still shows how far it got and at what cost.
/// </summary>
internal static class TaxiiPullBench
{
    private static readonly string Jisr = Path.Combine(AppContext.BaseDirectory, "jisr.dll");
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static async Task RunAsync(int objects, int? limit)
    {
        await using var nodeA = await TestDatabase.CreateAsync("sqlite");
        await using var nodeB = await TestDatabase.CreateAsync("sqlite");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeding node A with about {objects} objects ({Environment.ProcessorCount} cores, load {LoadAverage()})"));
        var seedClock = Stopwatch.StartNew();
        var seedCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var token = await SeedAsync(nodeA, objects);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded in {seedClock.Elapsed.TotalSeconds:F1} s, CPU {(Process.GetCurrentProcess().TotalProcessorTime - seedCpu).TotalSeconds:F1} s (load {LoadAverage()}); pulling"));
        Check(await RunAsync(null, ["agency", "add", "--db", Db(nodeB), "--code", "FR-DGSI", "--name", "DGSI", "--country", "FR"]));

        var port = FreePort();
        var baseAddress = $"http://127.0.0.1:{port}/";
        using var server = Start(["serve", "--db", Db(nodeA), "--urls", baseAddress]);
        try
        {
            while (await server.StandardOutput.ReadLineAsync() is { } line && !line.Contains("ready at", StringComparison.Ordinal))
            {
            }

            // The server logs every request: its output is read to the end, else a full pipe would stall it.
            _ = server.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            _ = server.StandardError.BaseStream.CopyToAsync(Stream.Null);

            var collection = await CollectionAsync(nodeA);
            var serverCpu = CpuSeconds(server.Id);
            var clock = Stopwatch.StartNew();
            string[] pullArgs = ["sync", "pull", "--db", Db(nodeB), "--agency", "FR-DGSI", "--from", $"{baseAddress}taxii2/api/", "--collection", collection, "--token", token];
            var pull = await RunAsync(clock, limit is { } l ? [.. pullArgs, "--limit", l.ToString(CultureInfo.InvariantCulture)] : pullArgs, server.Id);
            clock.Stop();
            serverCpu = CpuSeconds(server.Id) - serverCpu;
            Check(pull);
            // The server's share: the same pages asked for again by a bare HTTP client (no import).
            using var http = new HttpClient { BaseAddress = new Uri(baseAddress) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            http.DefaultRequestHeaders.Accept.ParseAdd("application/taxii+json;version=2.1");
            var serverClock = Stopwatch.StartNew();
            var replayCpu = CpuSeconds(server.Id);
            var pages = 0;
            var pageSize = limit ?? global::Jisr.Exchange.Taxii.TaxiiFilter.MaxPageSize;
            string? next = null;
            do
            {
                using var response = await http.GetAsync($"taxii2/api/collections/{collection}/objects/?limit={pageSize}{(next is null ? "" : "&next=" + Uri.EscapeDataString(next))}");
                response.EnsureSuccessStatusCode();
                var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                next = body["more"]?.GetValue<bool>() == true ? body["next"]?.GetValue<string>() : null;
                pages++;
            }
            while (next is not null);
            serverClock.Stop();
            replayCpu = CpuSeconds(server.Id) - replayCpu;
            await using var context = nodeB.Open();
            var pulled = await context.StixObjects.CountAsync(o => o.Json.Length > 0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"taxii pull (two nodes on loopback, sqlite, pages of {(limit is { } size ? size.ToString(CultureInfo.InvariantCulture) : "the client's default")}): {pulled} objects in {clock.Elapsed.TotalSeconds:F1} s = {pulled / clock.Elapsed.TotalSeconds:F0} objects/s ({Environment.ProcessorCount} cores, load {LoadAverage()}); CPU: client {pull.CpuSeconds:F1} s, server {serverCpu:F1} s; {pull.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]}; the same {pages} pages served again to a bare client in {serverClock.Elapsed.TotalSeconds:F1} s, server CPU {replayCpu:F1} s"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Loads the demo, then gives MA-DGST about <paramref name="objects"/> objects' worth of its own records: a generated
    /// bundle imported under a marking and threat domain the MA-DGST/FR-DGSI agreement covers, whose rows of what was
    /// received are then dropped (else the third-party rule would keep the records out of the collection).
    /// </summary>
    private static async Task<string> SeedAsync(TestDatabase node, int objects)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddJisrStorage(node.Location);
        services.AddScoped<StixExchangeService>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var accounts = await ActivatorUtilities.CreateInstance<DemoLoader>(scope.ServiceProvider).LoadAsync();
        var token = accounts.First(a => a.AgencyCode == "MA-DGST" && a.Role == global::Jisr.Domain.Users.Role.Analyst).Token;
        var db = scope.ServiceProvider.GetRequiredService<JisrDbContext>();
        var agency = await db.Agencies.SingleAsync(a => a.Code == "MA-DGST");
        var file = Path.Combine(Path.GetTempPath(), $"jisr-bench-{Guid.NewGuid():N}.json");
        try
        {
            StixImportBench.Generate(file, objects);
            await using var input = File.OpenRead(file);
            var options = new StixImportOptions { DefaultThreatDomain = ThreatDomain.Terrorism, DefaultClassification = Classification.Restricted, DefaultTlp = Tlp.Amber };
            var result = await scope.ServiceProvider.GetRequiredService<StixExchangeService>().ImportAsync(StixExchangeService.SystemWriter(agency), input, options, CancellationToken.None);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join("\n", result.Refusals.Take(5)));
            }
        }
        finally
        {
            File.Delete(file);
        }

        await db.StixObjects.Where(o => o.AgencyId == agency.Id).ExecuteDeleteAsync();
        return token;
    }

    private static async Task<string> CollectionAsync(TestDatabase node)
    {
        await using var context = node.Open();
        var dgst = await context.Agencies.SingleAsync(a => a.Code == "MA-DGST");
        var dgsi = await context.Agencies.SingleAsync(a => a.Code == "FR-DGSI");
        var agreements = await context.Agreements.ToListAsync();
        return agreements.Single(a => a.IsParty(dgst.Id) && a.IsParty(dgsi.Id)).Id.Value.ToString("D");
    }

    private static string Db(TestDatabase database) => $"sqlite:{database.Location.Target}";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Jisr);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start jisr");
    }

    /// <summary>
    /// Runs jisr; with a clock, echoes each line it prints with the time it came and the CPU seconds so far of it and of
    /// the server (<paramref name="serverId"/>), and prints the same every <see cref="Heartbeat"/> while it runs.
    /// </summary>
    private static async Task<(int ExitCode, string Output, string Error, double CpuSeconds)> RunAsync(Stopwatch? clock, string[] args, int? serverId = null)
    {
        using var process = Start(args);
        // The process's CPU time, sampled until it exits (its /proc entry goes with it): the last 50 ms may be missed.
        var cpu = 0.0;
        using var sampler = new Timer(_ => cpu = Math.Max(cpu, CpuSeconds(process.Id)), null, 0, 50);
        var serverStart = serverId is { } id ? CpuSeconds(id) : 0;
        string Progress() => string.Create(CultureInfo.InvariantCulture,
            $"  {clock!.Elapsed.TotalSeconds,6:F1} s  CPU client {cpu,6:F1} s{(serverId is { } server ? $", server {CpuSeconds(server) - serverStart,6:F1} s" : "")}, load {LoadAverage()}");
        using var heartbeat = clock is null ? null : new Timer(_ => Console.WriteLine($"{Progress()}  (running)"), null, Heartbeat, Heartbeat);
        var output = Task.Run(async () =>
        {
            var lines = new System.Text.StringBuilder();
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.AppendLine(line);
                if (clock is not null)
                {
                    Console.WriteLine($"{Progress()}  {line}");
                }
            }

            return lines.ToString();
        });
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error, cpu);
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

    private static void Check((int ExitCode, string Output, string Error, double CpuSeconds) run)
    {
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"jisr failed ({run.ExitCode}): {run.Error}");
        }
    }
}
