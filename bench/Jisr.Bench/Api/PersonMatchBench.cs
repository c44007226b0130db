using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Jisr.Bench.Matching;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Storage;
using Jisr.Storage.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Jisr.Bench.Api;

/// <summary>
/// <c>GET /api/v1/persons/match</c> end to end: <c>jisr serve</c> (every core) over a SQLite database holding
/// <c>--persons</c> persons (default 1,000,000: synthetic names in both scripts with the dev set's true matches hidden
/// among them), each mentioned in a record of the caller's agency so the policy filter lets them through; wrk asks for
/// the dev positives' other spellings with a purpose header, one round per connection count (default 1, 2, 4, 8, 16:
/// from a node that is not saturated to one where requests queue). Each round prints requests/s, p50/p99, the node's
/// and wrk's CPU time per request (from /proc) and the load average, since the machine may be shared; then the best
/// rate whose p99 stays under 50 ms and the rate the node's CPU per request allows on two idle cores.
/// Seeding uses the node's own schema (migrations), EF for the records and their search text, prepared statements
/// for the persons and their mentions (see <see cref="InsertPersonsAsync"/>), 100 persons to a record; the database file is kept in the temp folder and reused by the next run with the same size.
/// Run: <c>person-match [--persons N] [--seconds S] [--connections C1,C2,...]</c>.
/// </summary>
internal static class PersonMatchBench
{
    private const int PersonsPerRecord = 100;
    private const int RecordsPerSave = 50;

    public static async Task RunAsync(string[] args)
    {
        int persons = 1_000_000, seconds = 20;
        int[] connections = [1, 2, 4, 8, 16];
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--persons": persons = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--connections": connections = [.. args[i + 1].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))]; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        var jisr = ApiBench.FindJisr();
        await Wrk.EnsureInstalledAsync();
        var path = Path.Combine(Path.GetTempPath(), $"jisr-personmatch-{persons}.db");
        var db = $"sqlite:{path}";
        var location = DatabaseLocation.Parse(db);
        var directory = Directory.CreateTempSubdirectory("jisr-bench-").FullName;
        try
        {
            await JisrDatabase.MigrateAsync(location);
            await using (var context = JisrDatabase.Open(location))
            {
                if (!await context.Agencies.AnyAsync(a => a.Code == "BENCH"))
                {
                    await NodeProcess.CliAsync(jisr, directory, "agency", "add", "--db", db, "--code", "BENCH", "--name", "Bench agency", "--country", "MA");
                    await NodeProcess.CliAsync(jisr, directory, "user", "add", "--db", db, "--agency", "BENCH", "--user", "bench.matcher", "--role", "analyst", "--clearance", "SECRET");
                }
            }

            var token = (await NodeProcess.CliAsync(jisr, directory, "token", "create", "--db", db, "--user", "bench.matcher", "--name", $"bench-{Guid.NewGuid():N}")).Split('\n')[^1].Trim();
            var queries = await SeedAsync(location, persons);
            await MeasureAsync(jisr, db, directory, token, queries, seconds, connections);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Seeds up to <paramref name="persons"/> persons (what is already there is kept); returns the queries: the dev positives' second names.</summary>
    private static async Task<List<string>> SeedAsync(DatabaseLocation location, int persons)
    {
        var data = NameData.Locate();
        var positives = NameData.ReadPairs(Path.Combine(data, "dev.tsv")).Where(p => p.Label).ToList();
        AgencyId agency;
        int existing;
        await using (var context = JisrDatabase.Open(location))
        {
            agency = await context.Agencies.Where(a => a.Code == "BENCH").Select(a => a.Id).SingleAsync();
            existing = await context.Entities.OfType<Person>().CountAsync();
        }

        if (existing < persons)
        {
            // The dev positives' first names first, then synthetic names (the matching bench's, same seed).
            var names = positives.Select(p => p.A).Concat(SyntheticNames.Generate(Path.Combine(data, "wikidata_name_tokens_top3000.tsv"), persons - positives.Count, seed: 7)).ToList();
            var author = new UserId(Guid.Parse("0190c0de-0000-7000-8000-0000000000b1"));
            var started = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var seeding = Stopwatch.StartNew();
            for (var i = existing; i < persons;)
            {
                await using var context = JisrDatabase.Open(location);
                context.ChangeTracker.AutoDetectChangesEnabled = false;
                await context.Database.OpenConnectionAsync();
                await using var transaction = await context.Database.BeginTransactionAsync();
                var mentions = new List<(Record Record, List<Person> Persons)>(RecordsPerSave);
                for (var r = 0; r < RecordsPerSave && i < persons; r++)
                {
                    var created = started.AddSeconds(i / PersonsPerRecord);
                    var batch = new List<Person>(PersonsPerRecord);
                    for (; batch.Count < PersonsPerRecord && i < persons; i++)
                    {
                        batch.Add(Person.Create(agency, [PersonName.Create(names[i])], null, null, Gender.Unknown, [], [], created));
                    }

                    var record = Record.Create(agency, author, RecordContent.Create(
                        RecordKind.FieldReport, $"Persons of interest, list part {i / PersonsPerRecord}", "Names from a watchlist.", "en", "basis", "purpose", created.AddYears(20),
                        DateOnly.FromDateTime(created.UtcDateTime), Marking.Create(Classification.Restricted, Tlp.Green, HandlingCode.H0),
                        SourceGrading.Parse("B2"), [ThreatDomain.DrugTrafficking]), created);
                    context.Records.Add(record);
                    context.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, batch);
                    mentions.Add((record, batch));
                }

                await context.SaveChangesAsync();
                await InsertPersonsAsync(context, transaction.GetDbTransaction(), mentions);
                await transaction.CommitAsync();
                if (i % 100_000 == 0 || i == persons)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded to {i} persons ({(i - existing) / seeding.Elapsed.TotalSeconds:F0}/s, load average {CpuClock.LoadAverage()})"));
                }
            }

            // The rows written directly must read back through the node's model as the persons made.
            await using (var context = JisrDatabase.Open(location))
            {
                var count = await context.Entities.OfType<Person>().CountAsync();
                var last = await context.Entities.AsNoTracking().OfType<Person>().OrderByDescending(p => p.CreatedAt).FirstAsync();
                var mentioned = await context.Mentions.CountAsync();
                if (count != persons || mentioned != persons || !names.Contains(last.Names[0].Text))
                {
                    throw new InvalidOperationException($"seeding wrote {count} persons and {mentioned} mentions, expected {persons}");
                }
            }
        }

        Console.WriteLine($"database: {location.Target}, {persons} persons");
        return [.. positives.Select(p => p.B)];
    }

    /// <summary>
    /// The persons and their mentions as rows, with one prepared statement each (EF's per-row change tracking would
    /// take most of an hour for a million): the columns and value formats the EF model writes (upper-case GUID text,
    /// UTC ticks, the names as a JSON array), checked by reading back through the model after seeding.
    /// </summary>
    internal static async Task InsertPersonsAsync(JisrDbContext context, DbTransaction transaction, List<(Record Record, List<Person> Persons)> batches)
    {
        var connection = context.Database.GetDbConnection();
        await using var person = connection.CreateCommand();
        person.Transaction = transaction;
        person.CommandText = """
            INSERT INTO "Entities" ("Id", "AgencyId", "Label", "CreatedAt", "EntityType", "Names", "Gender", "Nationalities", "Identifiers")
            VALUES ($id, $agency, $label, $created, 'person', $names, 0, '[]', '[]')
            """;
        var (id, agency, label, created, names) = (Parameter(person, "$id"), Parameter(person, "$agency"), Parameter(person, "$label"), Parameter(person, "$created"), Parameter(person, "$names"));
        await using var mention = connection.CreateCommand();
        mention.Transaction = transaction;
        mention.CommandText = """INSERT INTO "RecordEntities" ("RecordId", "EntityId") VALUES ($record, $entity)""";
        var (record, entity) = (Parameter(mention, "$record"), Parameter(mention, "$entity"));
        person.Prepare();
        mention.Prepare();
        foreach (var (r, persons) in batches)
        {
            foreach (var p in persons)
            {
                id.Value = Guid(p.Id.Value);
                agency.Value = Guid(p.AgencyId.Value);
                label.Value = p.Label;
                created.Value = p.CreatedAt.UtcTicks;
                names.Value = System.Text.Json.JsonSerializer.Serialize(p.Names.Select(n => n.Text));
                await person.ExecuteNonQueryAsync();
                record.Value = Guid(r.Id.Value);
                entity.Value = id.Value;
                await mention.ExecuteNonQueryAsync();
            }
        }

        static string Guid(Guid value) => value.ToString().ToUpperInvariant();

        static DbParameter Parameter(DbCommand command, string name)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            return parameter;
        }
    }

    private static async Task MeasureAsync(string jisr, string db, string directory, string token, List<string> queries, int seconds, IReadOnlyList<int> connectionCounts)
    {
        var cores = Environment.ProcessorCount;
        await using var node = await NodeProcess.StartAsync(jisr, db, cores, directory);
        var paths = queries.Select(q => $"/api/v1/persons/match?name={Uri.EscapeDataString(q)}").ToList();
        using (var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromMinutes(15) })
        {
            // The node builds its name index from the database as it starts; the first query waits for that build.
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            client.DefaultRequestHeaders.Add("X-Jisr-Purpose", "bench: person match");
            var cpu = NodeCpuSeconds(node.ProcessId);
            var watch = Stopwatch.StartNew();
            using var first = await client.GetAsync(new Uri(paths[0], UriKind.Relative));
            first.EnsureSuccessStatusCode();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"first query (waits for the name index built at start): {watch.Elapsed.TotalSeconds:F1} s, node CPU {NodeCpuSeconds(node.ProcessId) - cpu:F1} s ({NodeCpuSeconds(node.ProcessId):F1} s since the node started), node memory {NodeRssMb(node.ProcessId):F0} MB"));
        }

        var script = Wrk.GetScript(token, paths).Replace("bench: api throughput", "bench: person match", StringComparison.Ordinal);
        await Wrk.RunAsync(node.BaseAddress, script, connectionCounts.Max(), 5, null); // warm up (tiered JIT)

        // One round per connection count: with few connections the node is not saturated and p99 is the request's own
        // latency; with many, requests queue and p99 is mostly waiting (on this shared machine, waiting for a core).
        Console.WriteLine($"GET /api/v1/persons/match, {queries.Count} distinct names, node on {cores} cores, wrk 2 threads on the same cores, {seconds} s a round:");
        Console.WriteLine("  connections  requests/s   p50 ms   p99 ms  node CPU ms/req  wrk CPU ms/req  load average (1/5/15 min, before -> after)");
        var rounds = new List<(int Connections, WrkFigures Figures, double NodeMs, double WrkMs)>();
        foreach (var connections in connectionCounts)
        {
            var load = CpuClock.LoadAverage();
            var (nodeBefore, clientBefore) = (NodeCpuSeconds(node.ProcessId), ChildrenCpuSeconds());
            var figures = await Wrk.RunAsync(node.BaseAddress, script, connections, seconds, null);
            var (nodeCpu, clientCpu) = (NodeCpuSeconds(node.ProcessId) - nodeBefore, ChildrenCpuSeconds() - clientBefore);
            var round = (connections, figures, 1000 * nodeCpu / figures.Requests, 1000 * clientCpu / figures.Requests);
            rounds.Add(round);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {connections,11}  {figures.PerSecond,10:F0}  {figures.P50Ms,7:F2}  {figures.P99Ms,7:F2}  {round.Item3,15:F2}  {round.Item4,14:F3}  {load} -> {CpuClock.LoadAverage()}{(figures.Failed > 0 ? $"  ({figures.Failed} not 2xx)" : "")}"));
        }

        // The issue's figure: the best rate whose p99 stays under 50 ms, at the connections stated; and what the CPU
        // measured would allow on two idle cores (this machine is shared, so wall-clock rates are lower bounds).
        var met = rounds.Where(r => r.Figures.P99Ms < 50 && r.Figures.Failed == 0).OrderByDescending(r => r.Figures.PerSecond).FirstOrDefault();
        Console.WriteLine(met.Figures is null
            ? "  no round kept p99 under 50 ms"
            : string.Create(CultureInfo.InvariantCulture, $"  best rate with p99 < 50 ms: {met.Figures.PerSecond:F0} requests/s at {met.Connections} connections (p99 {met.Figures.P99Ms:F1} ms); target >= 500/s with p99 < 50 ms: {(met.Figures.PerSecond >= 500 ? "met" : "not met")} on this machine as loaded"));
        var nodeMs = Median(rounds.Select(r => r.NodeMs));
        var clientMs = Median(rounds.Select(r => r.WrkMs));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  node CPU per request (median of the rounds): {nodeMs:F2} ms, so {2000 / nodeMs:F0} requests/s on 2 idle cores for the node alone, {2000 / (nodeMs + clientMs):F0} with wrk ({clientMs:F3} ms a request) on the same 2 cores"));

        // The node's floor for an authenticated request (token check, no database, no audit), measured the same way.
        var meBefore = NodeCpuSeconds(node.ProcessId);
        var me = await Wrk.RunAsync(node.BaseAddress, Wrk.GetScript(token, ["/api/v1/me"]), connectionCounts.Max(), Math.Max(seconds / 2, 1), null);
        var meCpu = NodeCpuSeconds(node.ProcessId) - meBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GET /api/v1/me (the floor, {connectionCounts.Max()} connections): {me}; {me.Requests / meCpu:F0} requests per node CPU-second ({1000 * meCpu / me.Requests:F2} ms CPU a request); load average {CpuClock.LoadAverage()}"));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>CPU time of this process's children that have exited and been waited for (cutime + cstime): across one wrk run, wrk's own CPU.</summary>
    private static double ChildrenCpuSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>User plus system CPU time of a process, from /proc/PID/stat (clock ticks, 100 a second on Linux).</summary>
    private static double NodeCpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double NodeRssMb(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0).FirstOrDefault();
}
