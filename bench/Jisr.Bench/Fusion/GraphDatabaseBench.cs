using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Bench.Matching;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Users;
using Jisr.Policy;
using Jisr.Server.Application.Fusion;
using Jisr.Storage;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Bench.Fusion;

/// <summary>
/// The issue's graph speed target on a database rather than in memory: a node in this process over SQLite (or
/// PostgreSQL with <c>--postgres</c>, read from <c>JISR_TEST_POSTGRES</c>) holding the fusion bench's graph (LINKS links,
/// default 1,000,000: communities of 40 entities, nine links in ten inside, plus 100 hubs of degree 500), asserted by
/// records of 100 links each. Then neighbourhoods of depth 2 around the hubs (searched over the node's links held in
/// memory, <see cref="Jisr.Storage.Fusion.LinkAdjacency"/>, once it holds them: the time until then is printed first,
/// with the caller's readable records read under the policy on every query) and shortest paths between random
/// entities (read ring by ring from the database under the caller's readable filters): first through <see cref="GraphService"/>
/// (the store reads and the graph work, no HTTP), then through the API (token, purpose, audit, JSON). CPU is the
/// process's (node and client together), measured around each sequential query.
/// With <c>--whole</c>, then brokers, cells, components and the JSON export (whole-graph analyses, cached per caller) three times each;
/// <c>--whole-only cells,components</c> runs those named only (betweenness at a million links takes minutes).
/// With <c>--keep FILE</c> (SQLite) the seeded database is kept in FILE, with its entity ids beside it (FILE.ids), and a
/// later run given the same FILE reuses it instead of seeding again (a million links take minutes to seed).
/// Run: <c>graph-db [LINKS] [--postgres] [--rounds N] [--whole | --whole-only QUERIES] [--keep FILE]</c>.
/// </summary>
internal static class GraphDatabaseBench
{
    private const int Hubs = 100;
    private const int LinksPerRecord = 100;
    private const int RecordsPerSave = 100;

    public static async Task RunAsync(string[] args)
    {
        var (links, provider, rounds, whole) = (1_000_000, "sqlite", 5, false);
        string? keep = null;
        string[]? wholeOnly = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--postgres": provider = "postgres"; break;
                case "--whole": whole = true; break;
                case "--whole-only": (whole, wholeOnly) = (true, args[++i].Split(',')); break;
                case "--keep": keep = Path.GetFullPath(args[++i]); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: links = int.Parse(args[i], CultureInfo.InvariantCulture); break;
            }
        }

        if (rounds < 1)
        {
            throw new ArgumentException($"--rounds must be at least 1 (got {rounds}): the first of several rounds warms up and is not counted");
        }

        if (keep is not null && provider != "sqlite")
        {
            throw new ArgumentException("--keep keeps a SQLite file; it is not for --postgres");
        }

        var reuse = keep is not null && File.Exists(keep) && File.Exists(keep + ".ids");
        if (keep is not null && !reuse)
        {
            foreach (var file in new[] { keep, keep + "-wal", keep + "-shm" })
            {
                File.Delete(file);
            }
        }

        await using var node = await TestNode.StartAsync(provider, database: keep is null ? null : await TestDatabase.KeptAsync(keep));
        var agency = reuse ? await node.ExistingAgencyAsync("MA-BGD") : await node.AddAgencyAsync("MA-BGD");
        var analyst = reuse ? await node.ExistingUserAsync(agency, "analyst.bgd") : await node.AddUserAsync(agency, "analyst.bgd", [Role.Analyst]);
        var principal = new Principal(new UserId(analyst.Id), analyst.UserName, agency.Id, agency.Code, new HashSet<Role> { Role.Analyst }, Classification.Secret);

        EntityId[] ids;
        if (reuse)
        {
            ids = [.. File.ReadLines(keep + ".ids").Select(TypedId.Parse<EntityId>)];
            Console.WriteLine($"{provider}: reusing {keep} ({ids.Length} entities); load average {CpuClock.LoadAverage()}");
        }
        else
        {
            var watch = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            ids = await SeedAsync(node.Database.Location, agency.Id, new UserId(analyst.Id), links, provider);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{provider}: {ids.Length} entities, {links} links in {links / LinksPerRecord} records seeded in {watch.Elapsed.TotalSeconds:F0} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F0} s CPU; load average {CpuClock.LoadAverage()}"));
            if (keep is not null)
            {
                await File.WriteAllLinesAsync(keep + ".ids", ids.Select(id => id.ToString()));
            }
        }

        var random = new Random(11);
        var hubs = ids[..Hubs];
        var pairs = Enumerable.Range(0, Hubs).Select(_ => (ids[random.Next(ids.Length)], ids[random.Next(ids.Length)])).ToList();

        // A node holds the links in memory once a query found them missing (read in the background meanwhile, the
        // rings read from the database): how long until a neighbourhood is searched there.
        var adjacency = node.App.Services.GetRequiredService<Jisr.Storage.Fusion.LinkAdjacency>();
        var (held, heldCpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
        for (var searched = adjacency.Searches; adjacency.Searches == searched;)
        {
            await using var scope = node.App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<GraphService>().NeighbourhoodOfAsync(principal, hubs[0], 2, GraphService.MaxNodes, CancellationToken.None);
            await Task.Delay(100);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"links held in memory after {held.Elapsed.TotalSeconds:F1} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - heldCpu).TotalSeconds:F1} s CPU (queries meanwhile read their rings); load average {CpuClock.LoadAverage()}"));

        // The service: what the database reads and the graph work cost, per query.
        var sizes = new List<int>();
        await MeasureAsync($"neighbourhood depth 2 around degree-{500}+ entities (service)", hubs, rounds, async hub =>
        {
            await using var scope = node.App.Services.CreateAsyncScope();
            var found = await scope.ServiceProvider.GetRequiredService<GraphService>().NeighbourhoodOfAsync(principal, hub, 2, GraphService.MaxNodes, CancellationToken.None);
            sizes.Add(found!.Value.Around.Distances.Count);
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {sizes.Average():F0} entities each on average ({sizes.Min()}-{sizes.Max()}), capped at {GraphService.MaxNodes}"));

        await NeighbourhoodPhasesAsync(node, principal, hubs);

        var lengths = new List<int>();
        await MeasureAsync("shortest path between random entities (service)", pairs, rounds, async pair =>
        {
            await using var scope = node.App.Services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<Jisr.Storage.Fusion.FusionStore>();
            var ends = await store.ReadableEntitiesByIdAsync(principal, [pair.Item1, pair.Item2], CancellationToken.None);
            var (path, _, _) = await scope.ServiceProvider.GetRequiredService<GraphService>().PathOfAsync(principal, ends[pair.Item1], ends[pair.Item2], CancellationToken.None);
            lengths.Add(path.Count - 1);
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {lengths.Average():F1} links each on average ({lengths.Count(l => l < 0)} without a path within {GraphService.MaxPathLength})"));

        // The API: a request as the web UI sends it, audited.
        analyst.Client.DefaultRequestHeaders.Add("X-Jisr-Purpose", "graph database bench");
        await MeasureAsync("GET /api/v1/graph/neighbourhood/{id}?depth=2 around the hubs (API)", hubs, rounds, async hub =>
        {
            using var response = await analyst.Client.GetAsync(new Uri($"/api/v1/graph/neighbourhood/{hub}?depth=2", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        });
        await MeasureAsync("GET /api/v1/graph/path between random entities (API)", pairs, rounds, async pair =>
        {
            using var response = await analyst.Client.GetAsync(new Uri($"/api/v1/graph/path?from={pair.Item1}&to={pair.Item2}", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            _ = await response.Content.ReadFromJsonAsync<JsonObject>();
        });
        if (whole)
        {
            // Cells, brokers and exports work on the whole graph the caller may read: the first request builds it (and
            // its betweenness or cells), later ones read every readable entity id and link again to find it in the cache.
            var slow = node.CreateClient(analyst.Token);
            slow.Timeout = TimeSpan.FromMinutes(30);
            slow.DefaultRequestHeaders.Add("X-Jisr-Purpose", "graph database bench");
            string[] queries = ["/api/v1/graph/brokers?top=10", "/api/v1/graph/cells?minSize=3", "/api/v1/graph/components?minSize=2&top=20", "/api/v1/graph/export?format=json"];
            foreach (var query in queries.Where(q => wholeOnly is null || wholeOnly.Any(w => q.StartsWith($"/api/v1/graph/{w}?", StringComparison.Ordinal))))
            {
                var figures = new List<string>();
                for (var round = 0; round < 3; round++)
                {
                    var started = Process.GetCurrentProcess().TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    using var response = await slow.GetAsync(new Uri(query, UriKind.Relative));
                    response.EnsureSuccessStatusCode();
                    var bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
                    figures.Add(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:F1} s wall / {(Process.GetCurrentProcess().TotalProcessorTime - started).TotalSeconds:F1} s CPU ({bytes} bytes)"));
                }

                Console.WriteLine($"GET {query} (whole graph), three in a row: {string.Join("; ", figures)}; load average {CpuClock.LoadAverage()}");
            }
        }

        Console.WriteLine($"load average {CpuClock.LoadAverage()}; process peak {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
    }

    /// <summary>
    /// Where a neighbourhood's CPU goes, the steps of <see cref="GraphService.NeighbourhoodOfAsync"/> taken one by one
    /// over the hubs (after the measured rounds: warm): the slice (the readable records, and the neighbourhood searched
    /// over the links held in memory, or its rings read), then for rings the graph built and searched and the links
    /// among the outer ring, and the entities read whole for the answer.
    /// </summary>
    private static async Task NeighbourhoodPhasesAsync(TestNode node, Principal principal, IReadOnlyList<EntityId> hubs)
    {
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        var last = Process.GetCurrentProcess().TotalProcessorTime;
        void Phase(string name)
        {
            var now = Process.GetCurrentProcess().TotalProcessorTime;
            phases[name] = phases.GetValueOrDefault(name) + (now - last).TotalMilliseconds;
            last = now;
        }

        foreach (var hub in hubs)
        {
            await using var scope = node.App.Services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<Jisr.Storage.Fusion.FusionStore>();
            last = Process.GetCurrentProcess().TotalProcessorTime;
            await store.ReadableRecordVersionsAsync(principal, CancellationToken.None);
            Phase("(the readable records' versions alone, read again in the slice)");
            var slice = (await store.ReadableNeighbourhoodAsync(principal, hub, 2, GraphService.MaxNodes, CancellationToken.None))!;
            Phase("slice (readable records, rings searched)");
            if (slice.Searched is not null)
            {
                // Searched over the links held in memory: no graph is built, the entities reached are the answer's.
                await store.SliceEntitiesAsync(slice, [.. slice.Entities], CancellationToken.None);
                Phase("entities read whole");
                continue;
            }

            var outer = slice.OuterRing;
            if (slice.Entities.Count > GraphService.MaxNodes)
            {
                var capped = GraphService.Build(slice.Entities, slice.Links).Neighbourhood(hub.ToString(), 2, GraphService.MaxNodes);
                outer = [.. slice.OuterRing.Where(id => capped.Distances.ContainsKey(id.ToString()))];
                Phase("graph built and searched");
            }

            var among = outer.Count > 1 ? await store.ReadableLinkRowsAmongAsync(principal, outer, CancellationToken.None) : [];
            Phase("links among the outer ring");
            var around = GraphService.Build(slice.Entities, slice.Links.Concat(among).DistinctBy(l => l.Id)).Neighbourhood(hub.ToString(), 2, GraphService.MaxNodes);
            Phase("graph built and searched");
            await store.SliceEntitiesAsync(slice, [.. around.Distances.Keys.Select(TypedId.Parse<EntityId>)], CancellationToken.None);
            Phase("entities read whole");
        }

        Console.WriteLine("  where the CPU goes (mean per neighbourhood): " + string.Join(", ", phases.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value / hubs.Count:F1} ms")))
            + string.Create(CultureInfo.InvariantCulture, $"; garbage collections so far: {GC.CollectionCount(0)} gen0, {GC.CollectionCount(1)} gen1, {GC.CollectionCount(2)} gen2, paused {GC.GetTotalPauseDuration().TotalSeconds:F1} s"));
    }

    /// <summary>Runs <paramref name="query"/> over every item, <paramref name="rounds"/> times (the first round warms up and is not counted, unless it is the only one).</summary>
    private static async Task MeasureAsync<T>(string what, IReadOnlyList<T> items, int rounds, Func<T, Task> query)
    {
        var (wall, cpu) = (new List<double>(), new List<double>());
        var load = CpuClock.LoadAverage();
        // One round alone is measured (cold: its figures include the first queries' compilation); more: the first warms up.
        var measuredFrom = rounds > 1 ? 1 : 0;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var item in items)
            {
                var started = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                await query(item);
                if (round >= measuredFrom)
                {
                    wall.Add(watch.Elapsed.TotalMilliseconds);
                    cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - started).TotalMilliseconds);
                }
            }
        }

        wall.Sort();
        cpu.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}, {wall.Count} queries: wall p50 {wall[wall.Count / 2]:F1} ms, p99 {wall[(int)(wall.Count * 0.99)]:F1} ms, max {wall[^1]:F1} ms; CPU p50 {cpu[cpu.Count / 2]:F1} ms, p99 {cpu[(int)(cpu.Count * 0.99)]:F1} ms, mean {cpu.Average():F1} ms ({1000 / cpu.Average():F0} queries per CPU-second); load average {load} before, {CpuClock.LoadAverage()} after"));
    }

    /// <summary>
    /// The fusion bench's graph (same generator and seed) as persons, records, mentions and links: records through the
    /// model (EF), the rest as rows with one prepared statement each, in the column formats the model writes. Returns
    /// the entity ids, hubs first.
    /// </summary>
    private static async Task<EntityId[]> SeedAsync(DatabaseLocation location, AgencyId agency, UserId author, int links, string provider)
    {
        var random = new Random(9);
        var nodes = links / 4;
        var pairs = new List<(int A, int B)>(links);
        for (var h = 0; h < Hubs; h++)
        {
            for (var i = 0; i < 500; i++)
            {
                pairs.Add((nodes + h, random.Next(nodes)));
            }
        }

        while (pairs.Count < links)
        {
            var a = random.Next(nodes);
            var b = random.NextDouble() < 0.9 ? (a / 40 * 40) + random.Next(40) : random.Next(nodes);
            pairs.Add((a, b));
        }

        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, nodes + Hubs).Select(_ => new EntityId(Guid.CreateVersion7())).ToArray();
        var postgres = provider == "postgres";
        object Id(Guid value) => postgres ? value : value.ToString().ToUpperInvariant();
        object Time(DateTimeOffset value) => postgres ? value : value.UtcTicks;

        await using (var context = JisrDatabase.Open(location))
        {
            await context.Database.OpenConnectionAsync();
            await using var transaction = await context.Database.BeginTransactionAsync();
            await using (var person = Rows(context, transaction.GetDbTransaction(), "Entities", ["Id", "AgencyId", "Label", "CreatedAt", "EntityType", "Names", "Gender", "Nationalities", "Identifiers"]))
            {
                for (var i = 0; i < ids.Length; i++)
                {
                    var label = i >= nodes ? $"Hub {i - nodes}" : $"Person {i}";
                    await person.WriteAsync(Id(ids[i].Value), Id(agency.Value), label, Time(created), "person", $"[\"{label}\"]", 0, "[]", "[]");
                }
            }

            await transaction.CommitAsync();
        }

        for (var start = 0; start < pairs.Count; start += LinksPerRecord * RecordsPerSave)
        {
            await using var context = JisrDatabase.Open(location);
            context.ChangeTracker.AutoDetectChangesEnabled = false;
            await context.Database.OpenConnectionAsync();
            await using var transaction = await context.Database.BeginTransactionAsync();
            var records = new List<(Record Record, List<(int A, int B)> Links)>();
            for (var at = start; at < Math.Min(pairs.Count, start + (LinksPerRecord * RecordsPerSave)); at += LinksPerRecord)
            {
                var record = Record.Create(agency, author, RecordContent.Create(
                    RecordKind.IntelligenceReport, $"Call records, part {at / LinksPerRecord}", "Who called whom.", "en", "basis", "purpose", created.AddYears(20),
                    DateOnly.FromDateTime(created.UtcDateTime), Marking.Create(Classification.Restricted, Tlp.Green, HandlingCode.H0),
                    SourceGrading.Parse("B2"), [ThreatDomain.DrugTrafficking]), created);
                context.Records.Add(record);
                context.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, []);
                records.Add((record, pairs.GetRange(at, Math.Min(LinksPerRecord, pairs.Count - at))));
            }

            await context.SaveChangesAsync();
            var db = transaction.GetDbTransaction();
            await using (var mention = Rows(context, db, "RecordEntities", ["RecordId", "EntityId"]))
            {
                foreach (var (record, asserted) in records)
                {
                    foreach (var end in asserted.SelectMany(p => new[] { p.A, p.B }).Distinct())
                    {
                        await mention.WriteAsync(Id(record.Id.Value), Id(ids[end].Value));
                    }
                }
            }

            await using (var link = Rows(context, db, "Links", ["Id", "RecordId", "FromEntityId", "ToEntityId", "Type"]))
            {
                foreach (var (record, asserted) in records)
                {
                    foreach (var (a, b) in asserted)
                    {
                        await link.WriteAsync(Id(Guid.CreateVersion7()), Id(record.Id.Value), Id(ids[a].Value), Id(ids[b].Value), (int)LinkType.Called);
                    }
                }
            }

            await transaction.CommitAsync();
        }

        // Hubs first (the callers' centres), then the rest.
        return [.. ids[nodes..], .. ids[..nodes]];
    }

    /// <summary>
    /// Rows for <paramref name="table"/>, in the column formats the model writes: on PostgreSQL one binary COPY per
    /// table and batch (row by row took most of a 1,000,000-link seeding), on SQLite one prepared statement.
    /// </summary>
    internal static RowWriter Rows(JisrDbContext context, DbTransaction transaction, string table, string[] columns) =>
        context.Database.GetDbConnection() is Npgsql.NpgsqlConnection postgres
            ? new CopyRows(postgres.BeginBinaryImport($"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)"))
            : new StatementRows(Command(context, transaction, $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))})", columns));

    private static DbCommand Command(JisrDbContext context, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = context.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    internal abstract class RowWriter : IAsyncDisposable
    {
        public abstract Task WriteAsync(params object[] values);

        public abstract ValueTask DisposeAsync();
    }

    private sealed class StatementRows(DbCommand command) : RowWriter
    {
        public override async Task WriteAsync(params object[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i];
            }

            await command.ExecuteNonQueryAsync();
        }

        public override ValueTask DisposeAsync() => command.DisposeAsync();
    }

    private sealed class CopyRows(Npgsql.NpgsqlBinaryImporter import) : RowWriter
    {
        public override async Task WriteAsync(params object[] values)
        {
            await import.StartRowAsync();
            foreach (var value in values)
            {
                await import.WriteAsync(value);
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await import.CompleteAsync();
            await import.DisposeAsync();
        }
    }
}
