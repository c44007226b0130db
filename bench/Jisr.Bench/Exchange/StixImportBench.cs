using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Jisr.Domain.Agencies;
using Jisr.Exchange.Stix.Import;
using Jisr.Server.Application;
using Jisr.Storage;
using Jisr.Storage.Accounts;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Bench.Exchange;

/// <summary>
/// <c>jisr stix import</c>'s path (schema validation on, one transaction) on a generated bundle: objects per second and
/// memory, for a quarter of the size and the full size (the importer keeps an index of ids for the reference checks,
/// a few hundred bytes per object; the objects themselves stream through).
/// </summary>
internal static class StixImportBench
{
    public static async Task RunAsync(int objects)
    {
        foreach (var size in new[] { objects / 4, objects })
        {
            await RunOnceAsync(size);
        }
    }

    private static async Task RunOnceAsync(int objects)
    {
        var file = Path.Combine(Path.GetTempPath(), $"jisr-bench-{Guid.NewGuid():N}.json");
        try
        {
            Generate(file, objects);
            await using var database = await TestDatabase.CreateAsync("sqlite");
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddJisrStorage(database.Location);
            services.AddScoped<StixExchangeService>();
            await using var provider = services.BuildServiceProvider();
            await using var scope = provider.CreateAsyncScope();
            var agency = await scope.ServiceProvider.GetRequiredService<AccountService>()
                .CreateAgencyAsync(Agency.Create("XX-BENCH", "Bench", "MA", DateTimeOffset.UtcNow));

            GC.Collect();
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            var before = GC.GetGCMemoryInfo(GCKind.Any);
            var baselineAfterGc = before.HeapSizeBytes - before.FragmentedBytes;
            using var sampler = new PeakSampler();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var collections = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var clock = Stopwatch.StartNew();
            await using var input = File.OpenRead(file);
            var result = await scope.ServiceProvider.GetRequiredService<StixExchangeService>()
                .ImportAsync(StixExchangeService.SystemWriter(agency), input, new StixImportOptions(), CancellationToken.None);
            clock.Stop();
            var peakAfterGc = sampler.PeakAfterGc;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var allocatedPerObject = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / Math.Max(1, result.Objects);
            var gcs = $"{GC.CollectionCount(0) - collections.Item1}/{GC.CollectionCount(1) - collections.Item2}/{GC.CollectionCount(2) - collections.Item3}";
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join("\n", result.Refusals.Take(5)));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stix import (sqlite, schema validation on): {result.Objects} objects ({new FileInfo(file).Length / 1_048_576.0:F1} MB) in {clock.Elapsed.TotalSeconds:F2} s = {result.Objects / clock.Elapsed.TotalSeconds:F0} objects/s ({result.Objects / cpuSeconds:F0} objects per CPU-second, {Environment.ProcessorCount} cores, load {LoadAverage()}); " +
                $"peak managed heap {(sampler.Peak - baseline) / 1_048_576.0:F0} MB above baseline (after a collection: {(peakAfterGc - baselineAfterGc) / 1_048_576.0:F0} MB), process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576.0:F0} MB; {allocatedPerObject} bytes allocated per object, GCs gen0/1/2 {gcs}; {result}"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The machine's 1-minute load average (Linux), to read the figures against: other work shares the cores.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>A bundle of report groups: persons, organisations, indicators (e-mail, phone), relationships, a custom object and a report over them.</summary>
    internal static void Generate(string path, int objects)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream);
        var at = "2025-03-01T10:00:00.000Z";
        writer.WriteStartObject();
        writer.WriteString("type", "bundle");
        writer.WriteString("id", $"bundle--{Guid.NewGuid():D}");
        writer.WriteStartArray("objects");
        var written = 0;
        var group = 0;
        string? previous = null;
        while (written < objects)
        {
            var refs = new List<string>();
            var people = new List<string>();
            for (var i = 0; i < 98 && written < objects - 1; i++, written++)
            {
                var kind = i % 10;
                var id = kind switch
                {
                    < 4 => $"identity--{Guid.NewGuid():D}",
                    4 => $"identity--{Guid.NewGuid():D}",
                    5 or 6 => $"indicator--{Guid.NewGuid():D}",
                    7 => $"x-bench-note--{Guid.NewGuid():D}",
                    _ => $"relationship--{Guid.NewGuid():D}",
                };
                if (kind >= 8 && people.Count < 2)
                {
                    kind = 0;
                    id = $"identity--{Guid.NewGuid():D}";
                }

                writer.WriteStartObject();
                writer.WriteString("type", id[..id.IndexOf("--", StringComparison.Ordinal)]);
                writer.WriteString("spec_version", "2.1");
                writer.WriteString("id", id);
                writer.WriteString("created", at);
                writer.WriteString("modified", at);
                writer.WriteStartArray("object_marking_refs");
                writer.WriteStringValue("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82");
                writer.WriteEndArray();
                switch (kind)
                {
                    case < 4:
                        writer.WriteString("name", $"Youssef El Idrissi {group}-{i}");
                        writer.WriteString("identity_class", "individual");
                        people.Add(id);
                        break;
                    case 4:
                        writer.WriteString("name", $"Réseau {group}-{i}");
                        writer.WriteString("identity_class", "organization");
                        people.Add(id);
                        break;
                    case 5:
                        writer.WriteString("pattern", $"[email-addr:value = 'contact{group}x{i}@example.org']");
                        writer.WriteString("pattern_type", "stix");
                        writer.WriteString("valid_from", at);
                        break;
                    case 6:
                        writer.WriteString("pattern", $"[x-jisr-phone:number = '+2126{group % 100:D2}{i:D6}']");
                        writer.WriteString("pattern_type", "stix");
                        writer.WriteString("valid_from", at);
                        break;
                    case 7:
                        writer.WriteString("x_bench_text", "kept as received");
                        writer.WriteNumber("x_bench_rank", i);
                        break;
                    default:
                        writer.WriteString("relationship_type", "associate-of");
                        writer.WriteString("source_ref", people[^1]);
                        writer.WriteString("target_ref", people[^2]);
                        break;
                }

                writer.WriteEndObject();
                refs.Add(id);
            }

            writer.WriteStartObject();
            writer.WriteString("type", "report");
            writer.WriteString("spec_version", "2.1");
            writer.WriteString("id", $"report--{Guid.NewGuid():D}");
            writer.WriteString("created", at);
            writer.WriteString("modified", at);
            writer.WriteString("name", $"Rapport {group}");
            writer.WriteString("published", at);
            writer.WriteStartArray("object_refs");
            // A last group with no room for objects (OBJECTS = 99n + 1) refers to the previous group's last object: every
            // reference must resolve in the bundle.
            foreach (var r in refs.DefaultIfEmpty(previous ?? "identity--0b6f2a44-7c1d-4e39-a8f5-2e9d4c6b1a37"))
            {
                writer.WriteStringValue(r);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            previous = refs.Count > 0 ? refs[^1] : previous;
            written++;
            group++;
            if (writer.BytesPending > 1 << 20)
            {
                writer.Flush();
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Samples the managed heap every 20 ms and keeps the highest value, and the highest heap left after a collection
    /// (what survived it, less fragmentation): the first counts garbage not yet collected (server GC lets generation 0
    /// grow to over 100 MB before collecting), the second what the import keeps.
    /// </summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;
        private long _peakAfterGc;

        public PeakSampler() => _timer = new Timer(_ => Sample(), null, 0, 20);

        public long Peak => Math.Max(Interlocked.Read(ref _peak), GC.GetTotalMemory(false));

        public long PeakAfterGc
        {
            get
            {
                Sample();
                return Interlocked.Read(ref _peakAfterGc);
            }
        }

        private void Sample()
        {
            Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), GC.GetTotalMemory(false)));
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            Interlocked.Exchange(ref _peakAfterGc, Math.Max(Interlocked.Read(ref _peakAfterGc), info.HeapSizeBytes - info.FragmentedBytes));
        }

        public void Dispose() => _timer.Dispose();
    }
}
