using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Jisr.Server.Application;
using Jisr.Server.Contracts;
using Jisr.Storage.Accounts;
using Jisr.Storage.Federation;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Bench.Federation;

/// <summary>
/// Two federated nodes on loopback (real HTTPS, pinned keys, SQLite each): (1) release delivery latency, from the
/// release being approved (the API's answer on the releasing node) to the copy being readable on the partner's node,
/// p50 and p99 over sequential releases; (2) a backlog written while the partner is down, and the time it takes to
/// drain once the partner is back (its hello lifts the sender's back-off; sent in batches), with the CPU time both
/// nodes spent on it.
/// </summary>
internal static class FederationBench
{
    public static async Task RunAsync(int releases, int backlog)
    {
        await using var nodes = await AgreedNodes.StartAsync();
        var (morocco, spain, maAdmin) = (nodes.Morocco, nodes.Spain, nodes.MaAdmin);
        var analyst = await morocco.AddUserAsync(nodes.Ma, "analyst.ma", [Role.Analyst]);
        var partner = await spain.AddUserAsync(nodes.Es, "analyst.es", [Role.Analyst]);

        // (1) Latency: one release at a time, polling the partner every millisecond or so until the copy reads.
        var latencies = new List<double>();
        for (var i = 0; i < releases; i++)
        {
            var record = (await (await analyst.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: $"Bench {i}"))).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
            var released = await analyst.Client.PostAsJsonAsync($"/api/v1/records/{record}/releases", new { agency = "ES-CNP" });
            var clock = Stopwatch.StartNew();
            var copy = (await released.Content.ReadFromJsonAsync<JsonObject>())!["copy"]!.GetValue<Guid>();
            while (!(await partner.Client.GetAsync($"/api/v1/records/{copy}")).IsSuccessStatusCode)
            {
                await Task.Delay(1);
            }

            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"release delivery A->B (approval to copy readable on B), {releases} sequential releases: p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms"));

        // (2) Backlog: the partner is down while agreements are proposed to it (each one message, written with the
        // agreement in one transaction), then comes back; the clock runs from its restart to the last acknowledgement.
        await spain.StopAsync();
        var writer = Process.GetCurrentProcess();
        var writeCpu = writer.TotalProcessorTime;
        var write = Stopwatch.StartNew();
        await using (var scope = morocco.App.Services.CreateAsyncScope())
        {
            var caller = (await scope.ServiceProvider.GetRequiredService<AccountService>().PrincipalForAsync(maAdmin.Id))!;
            for (var i = 0; i < backlog; i++)
            {
                await using var each = morocco.App.Services.CreateAsyncScope();
                var outcome = await each.ServiceProvider.GetRequiredService<AgreementService>().ProposeAsync(caller, new AgreementRequest(
                    "ES-CNP", ["terrorism"], "RESTRICTED", ["H1"], DateOnly.FromDateTime(DateTime.UtcNow), DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1)), CancellationToken.None);
                _ = outcome.Value ?? throw new InvalidOperationException(outcome.Refusal!.Detail);
            }
        }

        writer.Refresh();
        var written = (writer.TotalProcessorTime - writeCpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"backlog: {backlog} messages written in {write.Elapsed.TotalSeconds:F1} s while the partner was down; {written:F1} CPU-s = {written * 1000 / backlog:F2} CPU-ms per proposal (agreement, outbox message, audit entries in one transaction); load average {LoadAverage()}"));
        // Both nodes run in this process: its CPU time over the drain is both nodes' (this loop's polling is a few queries).
        var self = Process.GetCurrentProcess();

        // While B is down, A's delivery waits on the back-off of the first message in line: it should cost next to nothing.
        var idleBefore = self.TotalProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(5));
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"partner down, backlog waiting: {(self.TotalProcessorTime - idleBefore).TotalSeconds:F2} CPU-s in 5 s for both nodes (delivery waiting on its back-off); load average {LoadAverage()}"));
        var cpuBefore = self.TotalProcessorTime;
        var loadBefore = LoadAverage();
        var drain = Stopwatch.StartNew();
        await spain.StartAgainAsync();
        var up = DateTimeOffset.UtcNow;
        var restart = drain.Elapsed.TotalSeconds;
        while (true)
        {
            await using var db = morocco.Database.Open();
            if (!await db.Set<OutboxMessage>().AnyAsync(m => m.Status == DeliveryStatuses.Pending))
            {
                break;
            }

            await Task.Delay(100);
        }

        var seconds = drain.Elapsed.TotalSeconds;
        self.Refresh();
        var cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
        // The sender learns that the partner is back from its hello (sent once it listens), not at its next retry (the
        // back-off reaches 5 minutes while the backlog is written): the drain proper runs from the first
        // acknowledgement after the restart to the last, as the sender recorded them.
        List<DateTimeOffset> deliveredAt;
        await using (var moroccoDb = morocco.Database.Open())
        {
            deliveredAt = [.. (await moroccoDb.Set<OutboxMessage>().AsNoTracking().Where(m => m.Type == "agreement.propose").Select(m => m.DeliveredAt).ToListAsync()).OfType<DateTimeOffset>().Order()];
        }

        var first = deliveredAt[backlog > 1 ? deliveredAt.Count - backlog : 0];
        var proper = (deliveredAt[^1] - first).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peer is back: B's restart took {restart:F1} s; its first acknowledgement came {(first - up).TotalSeconds:F2} s after B was up (the sender's back-off was at its longest, {FederationStore.LongestRetry.TotalMinutes:F0} min)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"backlog drain proper: {backlog} messages from the first acknowledgement after the restart to the last in {proper:F1} s ({backlog / Math.Max(proper, 0.001):F0} messages/s); from B's restart to the first acknowledgement: {seconds - proper:F1} s"));
        await using (var spainDb = spain.Database.Open())
        {
            var agreements = await spainDb.Agreements.CountAsync(a => a.Status == AgreementStatus.Proposed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"backlog drained: {backlog} messages in {seconds:F1} s after the partner's restart ({backlog / seconds:F0} messages/s); {agreements} proposals on B"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"backlog CPU: {cpu:F1} s for both nodes (one process, restart of B included) = {backlog / cpu:F0} messages per CPU-second; load average {loadBefore} before, {LoadAverage()} after; {Environment.ProcessorCount} cores"));
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
