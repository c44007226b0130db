using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Server.Application.Fusion;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Bench.Fusion;

/// <summary>
/// What the graph cache saves per request, through the API of a node in this process (SQLite): RECORDS records of 20
/// linked persons each; then rounds of one write (a new key: not measured) followed by the same query twice, a miss
/// and a hit. CPU is the process's (node and client together, the same client work in both). The neighbourhood no
/// longer goes through the cache (it reads only its rings from the database): its miss and hit are the same path.
/// </summary>
internal static class GraphCacheBench
{
    public static async Task RunAsync(int records)
    {
        await using var node = await TestNode.StartAsync();
        var agency = await node.AddAgencyAsync("MA-BGC");
        var analyst = await node.AddUserAsync(agency, "analyst.bgc", [Role.Analyst]);
        Guid centre = default;
        for (var i = 0; i < records; i++)
        {
            var created = await analyst.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Network(20, $"Réseau {i}"));
            created.EnsureSuccessStatusCode();
            if (i == 0)
            {
                centre = (await created.Content.ReadFromJsonAsync<JsonObject>())!["entities"]![0]!["id"]!.GetValue<Guid>();
            }
        }

        var cache = node.App.Services.GetRequiredService<GraphCache>();
        foreach (var query in new[] { "/api/v1/graph/cells", "/api/v1/graph/brokers?top=10", $"/api/v1/graph/neighbourhood/{centre}?depth=2" })
        {
            var (missCpu, missWall, hitCpu, hitWall) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
            for (var round = 0; round < 10; round++)
            {
                (await analyst.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Network(20, $"Réseau ajouté {query} {round}"))).EnsureSuccessStatusCode();
                foreach (var (cpu, wall) in new[] { (missCpu, missWall), (hitCpu, hitWall) })
                {
                    var started = Process.GetCurrentProcess().TotalProcessorTime;
                    var watch = Stopwatch.StartNew();
                    using var request = new HttpRequestMessage(HttpMethod.Get, query);
                    request.Headers.Add("X-Jisr-Purpose", "graph cache bench");
                    (await analyst.Client.SendAsync(request)).EnsureSuccessStatusCode();
                    wall.Add(watch.Elapsed.TotalMilliseconds);
                    cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - started).TotalMilliseconds);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{query.Split('?')[0]} over {records * 20 + 200} persons: miss {missCpu.Order().ElementAt(5):F0} ms CPU / {missWall.Order().ElementAt(5):F0} ms wall (median of 10), hit {hitCpu.Order().ElementAt(5):F0} ms CPU / {hitWall.Order().ElementAt(5):F0} ms wall; cache hits {cache.Hits}, misses {cache.Misses}"));
        }

        Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}");
    }
}
