using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Users;
using Jisr.Policy;
using Jisr.Storage;
using Jisr.Storage.Records;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Bench.Records;

/// <summary>
/// The record list and full-text search over many records, in-process (no HTTP, no audit): seeds a database straight
/// through EF (a mix of agencies, classifications, TLP:RED and expired records, so the policy filter has work to do),
/// then prints each query's SQL and plan and its time per call. The store's own pages are timed
/// (<see cref="CompiledPages.List"/>, <see cref="JisrDbContext.SearchNewestFirstAsync"/>; the plans are of the same
/// expressions uncompiled), so a change there shows here.
/// Run: <c>listsearch [--records N] [--sqlite PATH] [--postgres CONNECTION-STRING] [--no-plans]</c>; an existing
/// database with enough records is reused (migrated first), so before/after runs compare the same data.
/// </summary>
internal static class ListSearchProbe
{
    private const int PageSize = 50;
    private const int RareWords = 1000;

    /// <summary>Words every record holds (the bench's own: a town and a family name).</summary>
    private const string CommonLatin = "Tanger";
    private const string CommonArabic = "الإدريسي";

    public static async Task RunAsync(string[] args)
    {
        var records = 100_000;
        string? sqlite = null;
        string? postgres = null;
        var plans = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--records": records = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--sqlite": sqlite = args[++i]; break;
                case "--postgres": postgres = args[++i]; break;
                case "--no-plans": plans = false; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (sqlite is null && postgres is null)
        {
            sqlite = Path.Combine(Path.GetTempPath(), $"jisr-listsearch-{records}.db");
        }

        if (sqlite is not null)
        {
            await ProbeAsync("sqlite", DatabaseLocation.Parse($"sqlite:{sqlite}"), records, plans);
        }

        if (postgres is not null)
        {
            await ProbeAsync("postgres", DatabaseLocation.Parse($"postgres:{postgres}"), records, plans);
        }
    }

    private static async Task ProbeAsync(string label, DatabaseLocation location, int records, bool plans)
    {
        await JisrDatabase.MigrateAsync(location);
        var caller = await SeedAsync(label, location, records);
        var factory = JisrDatabase.PooledFactory(location);
        var time = TimeProvider.System;
        var rareLatin = RareLatin(300); // three letters and the end mark: no other seeded word starts with it (about 100 records)
        var rareArabic = RareArabic(600);
        string? middle;
        await using (var db = factory())
        {
            var all = await db.Records.CountAsync();
            middle = (await db.Records.OrderBy(r => EF.Property<long>(r, "Sequence")).Skip(all / 2).Select(r => EF.Property<long>(r, "Sequence")).FirstAsync()).ToString(CultureInfo.InvariantCulture);
            Console.WriteLine($"{label}: {all} records; caller reads {await db.ReadableRecords(caller, time).CountAsync()} of them");
        }

        var now = time.GetUtcNow();
        Task<IQueryable<SequencedHeader>> List(JisrDbContext db, string? cursor) => Task.FromResult(CompiledPages.ListQuery(db, caller, now, RecordFilter.None, Paging.Before(cursor), PageSize + 1));
        Task<IQueryable<SequencedHeader>> Search(JisrDbContext db, string words, string? cursor = null) => db.SearchQueryAsync(caller, now, SearchText.Tokens(words), Paging.Before(cursor), PageSize + 1, default);
        IAsyncEnumerable<SequencedHeader> ListRun(JisrDbContext db, string? cursor) => CompiledPages.List(db, caller, now, RecordFilter.None, Paging.Before(cursor), PageSize + 1);
        Task<IAsyncEnumerable<SequencedHeader>> SearchRun(JisrDbContext db, string words, string? cursor = null) => db.SearchNewestFirstAsync(caller, now, SearchText.Tokens(words), Paging.Before(cursor), PageSize + 1, default);
        var queries = new (string Name, Func<JisrDbContext, Task<IQueryable<SequencedHeader>>> Query, Func<JisrDbContext, Task<IAsyncEnumerable<SequencedHeader>>> Run)[]
        {
            ("list, first page", db => List(db, null), db => Task.FromResult(ListRun(db, null))),
            ("list, page from the middle", db => List(db, middle), db => Task.FromResult(ListRun(db, middle))),
            ($"search, rare Latin word ({rareLatin})", db => Search(db, rareLatin), db => SearchRun(db, rareLatin)),
            ($"search, rare Arabic word ({rareArabic})", db => Search(db, rareArabic), db => SearchRun(db, rareArabic)),
            ($"search, Latin word in every record ({CommonLatin})", db => Search(db, CommonLatin), db => SearchRun(db, CommonLatin)),
            ($"search, Arabic word in every record ({CommonArabic})", db => Search(db, CommonArabic), db => SearchRun(db, CommonArabic)),
            ("search, common word, page from the middle", db => Search(db, CommonLatin, middle), db => SearchRun(db, CommonLatin, middle)),
            ("search, rare word + common word", db => Search(db, $"{rareLatin} {CommonLatin}"), db => SearchRun(db, $"{rareLatin} {CommonLatin}")),
        };

        foreach (var (name, query, run) in queries)
        {
            await using (var db = factory())
            {
                if (plans)
                {
                    await PrintPlanAsync(label, name, await query(db));
                }
            }

            // One warm-up, then calls for at least a second (at most 20): the median says what a caller waits.
            var times = new List<double>();
            var count = 0;
            var total = Stopwatch.StartNew();
            for (var round = 0; round < 21 && (round < 4 || total.ElapsedMilliseconds < 1000); round++)
            {
                await using var db = factory();
                var sw = Stopwatch.StartNew();
                count = 0;
                await foreach (var _ in await run(db))
                {
                    count++;
                }

                if (round > 0)
                {
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {name}: {times[times.Count / 2]:F1} ms median, {times[0]:F1} min, {times[^1]:F1} max ({times.Count} calls, {count} rows)"));
        }
    }

    private static async Task PrintPlanAsync(string label, string name, IQueryable<SequencedHeader> query)
    {
        await using DbCommand command = query.CreateDbCommand();
        var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"--- {label}: {name}").AppendLine(command.CommandText);
        var sqlite = command.Connection is Microsoft.Data.Sqlite.SqliteConnection;
        command.CommandText = (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ") + command.CommandText;
        if (command.Connection!.State != System.Data.ConnectionState.Open)
        {
            await command.Connection.OpenAsync();
        }

        text.AppendLine("plan:");
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                text.AppendLine(sqlite ? $"  {reader.GetValue(3)}" : reader.GetString(0));
            }
        }

        Console.WriteLine(text);
    }

    /// <summary>
    /// Seeds up to <paramref name="records"/> records when the database holds fewer; returns the caller whose reads are
    /// measured (an analyst cleared CONFIDENTIAL of the agency holding most records; the agencies are fixed ids).
    /// </summary>
    private static async Task<Principal> SeedAsync(string label, DatabaseLocation location, int records)
    {
        var agency = AgencyId.From(Guid.Parse("0190c0de-0000-7000-8000-000000000001"));
        var partner = AgencyId.From(Guid.Parse("0190c0de-0000-7000-8000-000000000002"));
        var user = new UserId(Guid.Parse("0190c0de-0000-7000-8000-0000000000a1"));
        var caller = new Principal(user, "probe", agency, "AAA", new HashSet<Role> { Role.Analyst }, Classification.Confidential);
        int existing;
        await using (var db = JisrDatabase.Open(location))
        {
            existing = await db.Records.CountAsync();
        }

        var random = new Random(existing);
        var now = DateTimeOffset.UtcNow;
        var seeding = Stopwatch.StartNew();
        for (var i = existing; i < records;)
        {
            await using var db = JisrDatabase.Open(location);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var end = Math.Min(records, i + 2000); i < end; i++)
            {
                // Most records are the caller's agency's; some are above their clearance, TLP:RED or past retention.
                var holder = random.Next(10) < 8 ? agency : partner;
                var tlp = random.Next(10) == 0 ? Tlp.Red : (Tlp)random.Next(4);
                var author = random.Next(4) == 0 ? user : new UserId(Guid.NewGuid());
                // An expired record was written three days ago, kept for one.
                var expired = random.Next(50) == 0;
                var created = expired ? now.AddDays(-3) : now.AddSeconds(i - records);
                var retention = expired ? created.AddDays(1) : now.AddYears(2);
                var title = $"{CommonLatin} {CommonArabic} report {i} {RareLatin(i % RareWords)} {RareArabic((i * 7) % RareWords)}";
                var record = Record.Create(holder, author, RecordContent.Create(
                    RecordKind.FieldReport, title, "Observed near the port; نقل بضائع عبر الميناء ليلا.", "fr", "basis", "purpose", retention,
                    DateOnly.FromDateTime(created.UtcDateTime), Marking.Create((Classification)random.Next(4), tlp, HandlingCode.H0),
                    SourceGrading.Parse("B2"), [ThreatDomain.DrugTrafficking]), created);
                db.Records.Add(record);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.OfTexts(record, []);
            }

            await db.SaveChangesAsync();
            if (i % 20_000 == 0 || i == records)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: seeded to {i} records ({(i - existing) / seeding.Elapsed.TotalSeconds:F0}/s)"));
            }
        }

        if (location.Provider == DatabaseProvider.Postgres)
        {
            await using var db = JisrDatabase.Open(location);
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
        }

        return caller;
    }

    /// <summary>A made-up Latin word for a number (each held by about one record in <see cref="RareWords"/>).</summary>
    private static string RareLatin(int n) => "zq" + Letters(n, "bcdfghjklmnprstvw");

    private static string RareArabic(int n) => "قز" + Letters(n, "بتثجحخدذرزسشصضطظعغفقكمن");

    private static string Letters(int n, string alphabet)
    {
        var text = new StringBuilder();
        do
        {
            text.Append(alphabet[n % alphabet.Length]);
            n /= alphabet.Length;
        }
        while (n > 0);
        return text.Append(alphabet[0]).ToString();
    }
}
