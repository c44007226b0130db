using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Bench.Api;

/// <summary>
/// Records created per second through the API (1 and 16 clients) and GET /api/v1/records/{id} throughput and
/// latency (16 clients; small records, then records of 8 persons and 8 links), over real HTTP on loopback, against
/// SQLite and (when given) PostgreSQL.
/// </summary>
internal static class ApiBench
{
    private const int Concurrency = 16;

    public static async Task RunAsync(BenchOptions options)
    {
        await RunProviderAsync("sqlite", options);
        if (options.Postgres is not null)
        {
            Environment.SetEnvironmentVariable(TestDatabase.PostgresVariable, options.Postgres);
            await RunProviderAsync("postgres", options);
        }
        else
        {
            Console.WriteLine("postgres: skipped (pass --postgres CONNECTION-STRING or set JISR_BENCH_POSTGRES)");
        }
    }

    private static async Task RunProviderAsync(string provider, BenchOptions options)
    {
        await using var node = await TestNode.StartAsync(provider);
        var agency = await node.AddAgencyAsync("BENCH");
        var user = await node.AddUserAsync(agency, "bench.writer", [Role.Analyst], Classification.Secret);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var client = new HttpClient(handler) { BaseAddress = node.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        var body = RecordRequests.Valid().ToJsonString();
        var ids = new ConcurrentBag<string>();

        // Warm up JIT, pools and caches.
        await WriteForAsync(client, body, ids, 4, TimeSpan.FromSeconds(2));
        var duration = TimeSpan.FromSeconds(options.Seconds);

        var single = await WriteForAsync(client, body, ids, 1, duration);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{provider}: record writes, 1 client:   {single.PerSecond,8:F0} records/s (p50 {single.P50:F2} ms, p99 {single.P99:F2} ms, {single.Count} requests)"));
        var parallel = await WriteForAsync(client, body, ids, Concurrency, duration);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{provider}: record writes, 16 clients: {parallel.PerSecond,8:F0} records/s (p50 {parallel.P50:F2} ms, p99 {parallel.P99:F2} ms, {parallel.Count} requests)"));

        var known = ids.ToArray();
        var reads = await RunForAsync(Concurrency, duration, async random =>
        {
            using var response = await client.GetAsync($"/api/v1/records/{known[random.Next(known.Length)]}");
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode == HttpStatusCode.OK;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{provider}: GET /api/v1/records/{{id}}, 16 clients: {reads.PerSecond,8:F0} reads/s, p50 {reads.P50:F2} ms, p99 {reads.P99:F2} ms ({reads.Count} requests)"));
        await WrkReadsAsync(provider, "GET /api/v1/records/{id}", node.BaseAddress, user.Token, known, options.Seconds);

        // Records the size of real reports (8 persons, 8 links): the read returns one row per (link, mention) pair.
        var networkBody = RecordRequests.Network().ToJsonString();
        var networks = new ConcurrentBag<string>();
        await WriteForAsync(client, networkBody, networks, Concurrency, TimeSpan.FromSeconds(2));
        await WrkReadsAsync(provider, "GET /api/v1/records/{id} of 8 persons and 8 links", node.BaseAddress, user.Token, [.. networks], options.Seconds);
    }

    /// <summary>
    /// The same read load from wrk (a C load generator), when installed: the in-process .NET client above shares
    /// the two cores with the node and costs it a large part of its CPU, so wrk shows what the node itself serves.
    /// </summary>
    private static async Task WrkReadsAsync(string provider, string label, Uri baseAddress, string token, string[] ids, int seconds)
    {
        var wrk = new[] { "/usr/bin/wrk", "/usr/local/bin/wrk" }.FirstOrDefault(File.Exists);
        if (wrk is null)
        {
            Console.WriteLine($"{provider}: wrk not installed (apt-get install wrk) - skipped the wrk read figure");
            return;
        }

        var script = Path.GetTempFileName();
        var paths = string.Join(",", ids.Take(5000).Select(id => $"\"/api/v1/records/{id}\""));
        await File.WriteAllTextAsync(script, $$"""
            local paths = { {{paths}} }
            local counter = 0
            request = function()
              counter = counter + 1
              return wrk.format("GET", paths[(counter % #paths) + 1], { ["Authorization"] = "Bearer {{token}}" })
            end
            """);
        var info = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-t2", "-c16", $"-d{seconds}s", "--latency", "-s", script, baseAddress.ToString().TrimEnd('/') })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(script);
        string Field(string prefix) => output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].Trim() ?? "?";
        var non2xx = Field("Non-2xx or 3xx responses:");
        Console.WriteLine($"{provider}: {label}, 16 connections (wrk): {Field("Requests/sec:")} reads/s, p50 {Field("50%")}, p99 {Field("99%")}{(non2xx == "?" ? "" : $", {non2xx} non-2xx responses")}");
    }

    private static Task<Figures> WriteForAsync(HttpClient client, string body, ConcurrentBag<string> ids, int clients, TimeSpan duration) =>
        RunForAsync(clients, duration, async _ =>
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/api/v1/records", content);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return false;
            }

            ids.Add(response.Headers.Location!.ToString().Split('/')[^1]);
            return true;
        });

    private static async Task<Figures> RunForAsync(int clients, TimeSpan duration, Func<Random, Task<bool>> request)
    {
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(seed => Task.Run(async () =>
        {
            var random = new Random(seed);
            while (stopwatch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await request(random);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        await Task.WhenAll(workers);
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} requests failed during the benchmark");
        }

        var sorted = latencies.Order().ToArray();
        return new Figures(sorted.Length, sorted.Length / elapsed, Percentile(sorted, 0.50), Percentile(sorted, 0.99));
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private sealed record Figures(int Count, double PerSecond, double P50, double P99);
}
