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
/// among them), each mentioned in a record of the caller's agency so the policy filter lets them through; wrk with 16
/// connections asks for the dev positives' other spellings with a purpose header. Prints requests/s, p50/p99, the
/// node's CPU time per request (from /proc) and the load average, since the machine may be shared.
/// Seeding uses the node's own schema (migrations), EF for the records and their search text, prepared statements
/// for the persons and their mentions (see <see cref="InsertPersonsAsync"/>), 100 persons to a record; the database file is kept in the temp folder and reused by the next run with the same size.
/// Run: <c>person-match [--persons N] [--seconds S] [--connections C]</c>.
/// </summary>
internal static class PersonMatchBench
{
    private const int PersonsPerRecord = 100;
    private const int RecordsPerSave = 50;

    public static async Task RunAsync(string[] args)
    {
        int persons = 1_000_000, seconds = 20, connections = 16;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--persons": persons = value; break;
                case "--seconds": seconds = value; break;
                case "--connections": connections = value; break;
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

    private static async Task MeasureAsync(string jisr, string db, string directory, string token, List<string> queries, int seconds, int connections)
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
        await Wrk.RunAsync(node.BaseAddress, script, connections, 5, null); // warm up (tiered JIT)
        var load = CpuClock.LoadAverage();
        var before = NodeCpuSeconds(node.ProcessId);
        var figures = await Wrk.RunAsync(node.BaseAddress, script, connections, seconds, null);
        var nodeCpu = NodeCpuSeconds(node.ProcessId) - before;
        Console.WriteLine($"GET /api/v1/persons/match, {queries.Count} distinct names, {connections} connections, node on {cores} cores: {figures}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  node CPU {nodeCpu:F1} s in {seconds} s: {figures.Requests / nodeCpu:F0} requests per node CPU-second ({1000 * nodeCpu / figures.Requests:F2} ms CPU a request); load average before {load}, after {CpuClock.LoadAverage()}"));

        // The node's floor for an authenticated request (token check, no database, no audit), measured the same way.
        var meBefore = NodeCpuSeconds(node.ProcessId);
        var me = await Wrk.RunAsync(node.BaseAddress, Wrk.GetScript(token, ["/api/v1/me"]), connections, seconds / 2, null);
        var meCpu = NodeCpuSeconds(node.ProcessId) - meBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GET /api/v1/me (the floor): {me}; {me.Requests / meCpu:F0} requests per node CPU-second ({1000 * meCpu / me.Requests:F2} ms CPU a request); load average {CpuClock.LoadAverage()}"));
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
