using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Jisr.Storage;
using Jisr.Testing;

namespace Jisr.Bench.Api;

/// <summary>
/// The node's throughput over real HTTP, as an agency runs it: <c>jisr serve</c> in its own process with 1 core and
/// with every core (figures and their ratio), wrk as the load generator (16 connections). Record writes (1 and 16
/// clients), <c>GET /api/v1/me</c> (the ceiling: token authentication, no database) and, as ratios to that ceiling,
/// record reads (small records, and records of 8 persons and 8 links), the list and full-text search over
/// <see cref="BenchOptions.Records"/> records (Latin and Arabic, rare and common words). On PostgreSQL (when given) the
/// same with one node process, then record writes and reads with two node processes on one database.
/// </summary>
internal static class ApiBench
{
    private const int Connections = 16;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RunAsync(BenchOptions options)
    {
        var jisr = options.Jisr ?? FindJisr();
        var all = Environment.ProcessorCount;
        var cores = options.Cores.Select(c => c == "all" ? all : Math.Min(all, int.Parse(c, CultureInfo.InvariantCulture))).Distinct().Order().ToArray();
        await Wrk.EnsureInstalledAsync();
        Console.WriteLine($"node: {jisr}; machine: {all} cores; wrk {Connections} connections, {options.Seconds} s a figure");
        await RunProviderAsync("sqlite", jisr, cores, options);
        if (options.Postgres is not null)
        {
            Environment.SetEnvironmentVariable(TestDatabase.PostgresVariable, options.Postgres);
            await RunProviderAsync("postgres", jisr, [all], options);
            await RunPostgresScaleOutAsync(jisr, all, options);
        }
        else
        {
            Console.WriteLine("postgres: skipped (pass --postgres CONNECTION-STRING or set JISR_BENCH_POSTGRES)");
        }
    }

    private static async Task RunProviderAsync(string provider, string jisr, int[] coreCounts, BenchOptions options)
    {
        var byCores = new Dictionary<int, Dictionary<string, WrkFigures>>();
        foreach (var cores in coreCounts)
        {
            await using var setup = await Setup.CreateAsync(provider, jisr);
            await using var node = await NodeProcess.StartAsync(jisr, setup.Db, cores, setup.Directory);
            var label = $"{provider}, {cores} core{(cores == 1 ? "" : "s")}";
            var server = await setup.PostgresServerAsync();

            // The largest core count also measures list and search over many records (seeding them takes a while).
            var records = cores == coreCounts[^1] && provider == "sqlite" ? options.Records : 0;
            byCores[cores] = await MeasureAsync(label, node, setup, server, cores, records, options.Seconds);
        }

        if (byCores.Count > 1)
        {
            var (low, high) = (byCores.Keys.Min(), byCores.Keys.Max());
            foreach (var name in byCores[low].Keys.Intersect(byCores[high].Keys))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{provider}: {name}: {high} cores / {low} core = x{byCores[high][name].PerSecond / byCores[low][name].PerSecond:F2}"));
            }
        }
    }

    /// <summary>
    /// The figures of one node; every read figure also as a share of that node's own <c>/api/v1/me</c>. On PostgreSQL the
    /// reads come after <c>ANALYZE</c> of what the writes stored (a node in service has autovacuum's statistics; a table
    /// read straight after growing from empty is planned from none) and each figure adds the server's CPU per request.
    /// </summary>
    private static async Task<Dictionary<string, WrkFigures>> MeasureAsync(string label, NodeProcess process, Setup setup, PostgresServer? server, int cores, int records, int seconds)
    {
        var node = process.BaseAddress;
        var token = setup.Token;
        // wrk gets the cores the node does not have (on a machine with one core more than the node: one wrk thread).
        var spare = Environment.ProcessorCount - cores;
        var wrkCpus = spare > 0 ? $"{cores}-{Environment.ProcessorCount - 1}" : null;
        var wrkThreads = spare > 0 ? Math.Min(2, spare) : 2;
        var figures = new Dictionary<string, WrkFigures>();
        var vocabulary = Vocabulary.Create();
        var small = RecordRequests.Valid(title: "__TITLE__", body: "__TEXT__").ToJsonString();
        var networkRequest = RecordRequests.Network(title: "__TITLE__");
        networkRequest["body"] = "__TEXT__";
        var network = networkRequest.ToJsonString();

        Task<WrkFigures> Load(string script, int connections = Connections, int? duration = null) =>
            MeasuredAsync([process], server, () => Wrk.RunAsync(node, script, connections, duration ?? seconds, wrkCpus, connections == 1 ? 1 : wrkThreads));

        void Print(string name, WrkFigures result, WrkFigures? ceiling = null)
        {
            figures[name] = result;
            var share = ceiling is null ? "" : string.Create(CultureInfo.InvariantCulture, $"  = {100 * result.PerSecond / ceiling.PerSecond,5:F1}% of /api/v1/me");
            Console.WriteLine($"{label}: {name,-42} {result}{share}");
        }

        await Load(Wrk.PostScript(token, small, vocabulary.Latin, vocabulary.Arabic, 0), duration: 2); // warm up JIT, pools, caches
        Print("record writes, 1 connection", await Load(Wrk.PostScript(token, small, vocabulary.Latin, vocabulary.Arabic, 0), connections: 1));
        Print("record writes, 16 connections", await Load(Wrk.PostScript(token, small, vocabulary.Latin, vocabulary.Arabic, 0)));
        await setup.AnalyzeAsync();
        var ids = await NewestIdsAsync(node, token, 5000);
        var reads = Wrk.GetScript(token, [.. ids.Select(id => $"/api/v1/records/{id}")]);
        await Load(reads, duration: 2); // warm up the read path (tiered JIT)
        var me = await Load(Wrk.GetScript(token, ["/api/v1/me"]));
        Print("GET /api/v1/me (the ceiling)", me);
        Print("GET /api/v1/records/{id}", await Load(reads), me);

        // Records the size of real reports (8 persons, 8 links): the read returns one row per (link, mention) pair.
        var written = await Load(Wrk.PostScript(token, network, vocabulary.Latin, vocabulary.Arabic, 0), duration: 2);
        await setup.AnalyzeAsync();
        var networks = await NewestIdsAsync(node, token, (int)Math.Min(written.Requests, 2000));
        Print("GET /api/v1/records/{id}, 8 persons + 8 links", await Load(Wrk.GetScript(token, [.. networks.Select(id => $"/api/v1/records/{id}")])), me);

        if (records > 0)
        {
            // wrk cannot end a run early (a stopped thread still waits out -d), so seeding runs in 20-second rounds.
            var count = await CountAsync(node, token);
            var seeding = System.Diagnostics.Stopwatch.StartNew();
            var added = 0L;
            while (count + added < records)
            {
                var round = await Load(Wrk.PostScript(token, small, vocabulary.Latin, vocabulary.Arabic, 0), duration: 20);
                added += round.Requests - round.Failed;
            }

            if (added > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: seeded {added} records ({added / seeding.Elapsed.TotalSeconds:F0}/s) to about {count + added} in all"));
            }

            await setup.AnalyzeAsync();

            Print("GET /api/v1/records (first page of 50)", await Load(Wrk.GetScript(token, ["/api/v1/records"])), me);
            var random = new Random(7);
            string Search(IReadOnlyList<string> words) => $"/api/v1/records/search?q={Uri.EscapeDataString(words[random.Next(words.Count)])}";
            Print("search, rare Latin word (~100 records)", await Load(Wrk.GetScript(token, [.. Enumerable.Range(0, 500).Select(_ => Search(vocabulary.Latin))])), me);
            Print("search, rare Arabic word (~100 records)", await Load(Wrk.GetScript(token, [.. Enumerable.Range(0, 500).Select(_ => Search(vocabulary.Arabic))])), me);
            Print("search, Latin word in every record", await Load(Wrk.GetScript(token, [$"/api/v1/records/search?q={Uri.EscapeDataString("Tanger")}"])), me);
            Print("search, Arabic word in every record", await Load(Wrk.GetScript(token, [$"/api/v1/records/search?q={Uri.EscapeDataString("الإدريسي")}"])), me);
        }

        return figures;
    }

    /// <summary>
    /// Two node processes on one PostgreSQL database (the way an agency scales a node out): record writes and reads with
    /// 16 connections split between them, against one process with all 16.
    /// </summary>
    private static async Task RunPostgresScaleOutAsync(string jisr, int cores, BenchOptions options)
    {
        await using var setup = await Setup.CreateAsync("postgres", jisr);
        await using var first = await NodeProcess.StartAsync(jisr, setup.Db, cores, setup.Directory);
        await using var second = await NodeProcess.StartAsync(jisr, setup.Db, cores, setup.Directory);
        var server = await setup.PostgresServerAsync();
        var vocabulary = Vocabulary.Create();
        var small = RecordRequests.Valid(title: "__TITLE__", body: "__TEXT__").ToJsonString();
        var post = Wrk.PostScript(setup.Token, small, vocabulary.Latin, vocabulary.Arabic, 0);
        await Task.WhenAll(Wrk.RunAsync(first.BaseAddress, post, 8, 2, null, 1), Wrk.RunAsync(second.BaseAddress, post, 8, 2, null, 1));
        var one = await MeasuredAsync([first, second], server, () => Wrk.RunAsync(first.BaseAddress, post, Connections, options.Seconds, null));
        var two = await MeasuredAsync([first, second], server, async () => WrkFigures.Sum(await Task.WhenAll(Wrk.RunAsync(first.BaseAddress, post, 8, options.Seconds, null, 1), Wrk.RunAsync(second.BaseAddress, post, 8, options.Seconds, null, 1))));
        Console.WriteLine($"postgres, 1 node process:  record writes, 16 connections {one}");
        Console.WriteLine($"postgres, 2 node processes: record writes, 16 connections {two}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"postgres: record writes, 16 connections: 2 processes / 1 process = x{two.PerSecond / one.PerSecond:F2}"));

        await setup.AnalyzeAsync();
        List<string> ids;
        try
        {
            ids = await NewestIdsAsync(first.BaseAddress, setup.Token, 5000);
        }
        catch (HttpRequestException failed)
        {
            Console.WriteLine($"postgres, 2 node processes: the list failed after the two-process writes ({failed.Message}); see {first.Log} and {second.Log}");
            return;
        }

        var get = Wrk.GetScript(setup.Token, [.. ids.Select(id => $"/api/v1/records/{id}")]);
        var readsOne = await MeasuredAsync([first, second], server, () => Wrk.RunAsync(first.BaseAddress, get, Connections, options.Seconds, null));
        var readsTwo = await MeasuredAsync([first, second], server, async () => WrkFigures.Sum(await Task.WhenAll(Wrk.RunAsync(first.BaseAddress, get, 8, options.Seconds, null, 1), Wrk.RunAsync(second.BaseAddress, get, 8, options.Seconds, null, 1))));
        Console.WriteLine($"postgres, 1 node process:  GET /api/v1/records/{{id}}          {readsOne}");
        Console.WriteLine($"postgres, 2 node processes: GET /api/v1/records/{{id}}          {readsTwo}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"postgres: record reads: 2 processes / 1 process = x{readsTwo.PerSecond / readsOne.PerSecond:F2}"));
    }

    /// <summary>Runs a load and adds the CPU time the node processes (and the PostgreSQL server, when given) spent meanwhile, per request served.</summary>
    private static async Task<WrkFigures> MeasuredAsync(IReadOnlyList<NodeProcess> nodes, PostgresServer? server, Func<Task<WrkFigures>> load)
    {
        var before = nodes.Aggregate(TimeSpan.Zero, (sum, n) => sum + n.CpuTime());
        var serverBefore = server?.CpuTime();
        var figures = await load();
        var after = nodes.Aggregate(TimeSpan.Zero, (sum, n) => sum + n.CpuTime());
        return figures.WithCpu(after - before, server?.CpuTime() - serverBefore);
    }

    /// <summary>The ids of the newest records the bench user sees (newest first, through the list).</summary>
    private static async Task<List<string>> NewestIdsAsync(Uri node, string token, int count)
    {
        using var client = Client(node, token);
        var ids = new List<string>();
        string? cursor = null;
        while (ids.Count < count)
        {
            var page = await client.GetFromJsonAsync<PageOfIds>($"/api/v1/records?limit=200{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}", Json)
                ?? throw new InvalidOperationException("empty list answer");
            ids.AddRange(page.Items.Select(i => i.Id));
            cursor = page.Next;
            if (cursor is null)
            {
                break;
            }
        }

        return ids.Count > count ? ids[..count] : ids;
    }

    /// <summary>How many records the bench user sees (paging through the whole list: slow, used only before seeding and after).</summary>
    private static async Task<int> CountAsync(Uri node, string token) => (await NewestIdsAsync(node, token, int.MaxValue)).Count;

    private static HttpClient Client(Uri node, string token)
    {
        var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>jisr.dll of this source tree's Release build (src/Jisr.Cli), found upwards from the bench.</summary>
    internal static string FindJisr()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "Jisr.Cli", "bin", "Release", "net10.0", "jisr.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no src/Jisr.Cli/bin/Release/net10.0/jisr.dll above the bench: build Release, or pass --jisr PATH");
    }

    private sealed record PageOfIds(List<IdOnly> Items, string? Next);

    private sealed record IdOnly(string Id);

    /// <summary>A fresh database with an agency and an analyst with SECRET clearance, set up with the node's own CLI, and the analyst's API token.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private readonly TestDatabase _database;

        private Setup(TestDatabase database, string db, string directory, string token)
        {
            _database = database;
            Db = db;
            Directory = directory;
            Token = token;
        }

        public string Directory { get; }

        /// <summary>The database as <c>--db</c> takes it.</summary>
        public string Db { get; }

        public string Token { get; }

        /// <summary>The PostgreSQL server holding the database, when it runs on this machine; null on SQLite.</summary>
        public async Task<PostgresServer?> PostgresServerAsync() =>
            _database.Provider == DatabaseProvider.Postgres ? await PostgresServer.FindAsync(_database.Location.Target) : null;

        /// <summary><c>ANALYZE</c> on PostgreSQL; nothing on SQLite (its planner needs no statistics for these reads).</summary>
        public Task AnalyzeAsync() =>
            _database.Provider == DatabaseProvider.Postgres ? PostgresServer.AnalyzeAsync(_database.Location.Target) : Task.CompletedTask;

        public static async Task<Setup> CreateAsync(string provider, string jisr)
        {
            var database = await TestDatabase.CreateAsync(provider, migrate: false);
            var directory = System.IO.Directory.CreateTempSubdirectory("jisr-bench-").FullName;
            var db = $"{provider}:{database.Location.Target}";
            await NodeProcess.CliAsync(jisr, directory, "agency", "add", "--db", db, "--code", "BENCH", "--name", "Bench agency", "--country", "MA");
            await NodeProcess.CliAsync(jisr, directory, "user", "add", "--db", db, "--agency", "BENCH", "--user", "bench.writer", "--role", "analyst", "--clearance", "SECRET");
            var token = (await NodeProcess.CliAsync(jisr, directory, "token", "create", "--db", db, "--user", "bench.writer", "--name", "bench")).Split('\n')[^1].Trim();
            return new Setup(database, db, directory, token);
        }

        public async ValueTask DisposeAsync()
        {
            await _database.DisposeAsync();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}

/// <summary>
/// Made-up words for record texts: 2,000 Latin and 2,000 Arabic, two of each per record, so that each word is in about
/// one record in 500 (a selective search); no Arabic word starts with the article, so search folds none of them.
/// </summary>
internal sealed record Vocabulary(IReadOnlyList<string> Latin, IReadOnlyList<string> Arabic)
{
    public static Vocabulary Create()
    {
        var random = new Random(2026);
        static IReadOnlyList<string> Words(Random random, Func<Random, string> word)
        {
            var words = new HashSet<string>(StringComparer.Ordinal);
            while (words.Count < 2000)
            {
                words.Add(word(random));
            }

            return [.. words.Order(StringComparer.Ordinal)];
        }

        const string consonants = "bdfgklmnprstvz", vowels = "aeiou", arabic = "بتثجحخدذرزسشصضطظعغفقكمنهي";
        var latin = Words(random, r => string.Concat(Enumerable.Range(0, 3).Select(_ => $"{consonants[r.Next(consonants.Length)]}{vowels[r.Next(vowels.Length)]}")));
        var arabicWords = Words(random, r => string.Concat(Enumerable.Range(0, 4).Select(_ => arabic[r.Next(arabic.Length)])));
        return new Vocabulary(latin, arabicWords);
    }
}
