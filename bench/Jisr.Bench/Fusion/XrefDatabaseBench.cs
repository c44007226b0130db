using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Jisr.Fusion.Identifiers;
using Jisr.Fusion.Resolution;
using Jisr.Fusion.Synthetic;
using Jisr.Policy;
using Jisr.Server.Application.Fusion;
using Jisr.Storage;
using Jisr.Storage.Audit;
using Jisr.Storage.Configurations;
using Jisr.Storage.Fusion;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Bench.Fusion;

/// <summary>
/// The issue's cross-reference target through a real database: a fresh SQLite file (or a PostgreSQL database with
/// <c>--postgres</c>, cluster from <c>JISR_TEST_POSTGRES</c>) holding N persons asserted by the agency's own records and
/// N persons in copies a partner released to it under an agreement in force (the fusion bench's synthetic world, same
/// seed: names in Latin and Arabic script, partial dates of birth, phones, passports, typos; one world person's records
/// fall on both sides, the planted true matches). Then <c>jisr xref</c> as a user runs it, the built CLI in its own
/// process (its runtime settings, start-up and migration check included): twice, the first run full, the second with
/// nothing changed (incremental). Prints wall and CPU time, the process's peak resident memory, hits, precision and
/// recall. With <c>--phases</c>, then the same steps in this process one by one, CPU per step (where the time goes).
/// With <c>--keep FILE</c> (SQLite) the seeded database is kept in FILE, with the persons' truth beside it
/// (FILE.truth) and the audit key (FILE.key), and a later run given the same FILE reuses it instead of seeding again
/// (its xref watermarks dropped first, so the first run is full again).
/// Run: <c>xref-db [PERSONS-PER-SIDE] [--postgres] [--phases | --phases-only] [--jisr PATH] [--keep FILE]</c>.
/// </summary>
internal static class XrefDatabaseBench
{
    private const int PersonsPerRecord = 100;
    private const int RecordsPerSave = 200;
    private const string Own = "MA-BGD";
    private const string Partner = "TN-DGSN";

    public static async Task RunAsync(string[] args)
    {
        var (perSide, provider, phases, cli) = (100_000, "sqlite", false, true);
        string? jisr = null;
        string? keep = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--postgres": provider = "postgres"; break;
                case "--phases": phases = true; break;
                case "--phases-only": (phases, cli) = (true, false); break;
                case "--jisr": jisr = Path.GetFullPath(args[++i]); break;
                case "--keep": keep = Path.GetFullPath(args[++i]); break;
                default: perSide = int.Parse(args[i], CultureInfo.InvariantCulture); break;
            }
        }

        if (keep is not null && provider != "sqlite")
        {
            throw new ArgumentException("--keep keeps a SQLite file; it is not for --postgres");
        }

        // In-process phases alone need no built CLI.
        jisr ??= cli ? Api.ApiBench.FindJisr() : "";
        await using var scratch = keep is null ? await TestDatabase.CreateAsync(provider) : null;
        var location = scratch?.Location ?? new DatabaseLocation(DatabaseProvider.Sqlite, keep!);
        var keyFile = keep is null ? Path.Combine(Path.GetTempPath(), $"jisr-xref-bench-{Guid.NewGuid():N}.key") : keep + ".key";
        try
        {
            var watch = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var world = SyntheticWorld.Generate(new WorldOptions { Persons = perSide + (perSide / 10), Seed = 42 });
            var (probes, targets) = Split(world, perSide);
            var generated = watch.Elapsed.TotalSeconds;
            Dictionary<Guid, int> truth;
            if (keep is not null && File.Exists(keep) && File.Exists(keep + ".truth"))
            {
                truth = File.ReadLines(keep + ".truth").Select(l => l.Split('\t'))
                    .ToDictionary(c => Guid.Parse(c[0]), c => int.Parse(c[1], CultureInfo.InvariantCulture));
                await using var context = JisrDatabase.Open(location);
                await context.XrefWatermarks.ExecuteDeleteAsync();
                Console.WriteLine($"{provider}: reusing {keep} ({truth.Count} persons), its xref watermarks dropped");
            }
            else
            {
                if (keep is not null)
                {
                    File.Delete(keep);
                    await JisrDatabase.MigrateAsync(location);
                }

                truth = await SeedAsync(location, world, probes, targets);
                if (keep is not null)
                {
                    await File.WriteAllLinesAsync(keep + ".truth", truth.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}\t{kv.Value}")));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{provider}: {probes.Count} own persons in {probes.Count / PersonsPerRecord} records, {targets.Count} partner persons in as many released copies (and their originals), world generated in {generated:F0} s, seeded in {watch.Elapsed.TotalSeconds - generated:F0} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F0} s CPU; load average {Matching.CpuClock.LoadAverage()}"));
            }

            var db = location.Provider == DatabaseProvider.Sqlite ? $"sqlite:{location.Target}" : $"postgres:{location.Target}";
            foreach (var run in cli ? ["first run (full)", "again, nothing changed (incremental)"] : Array.Empty<string>())
            {
                var xref = await Exchange.StixCliImportBench.RunJisrAsync(jisr, ["xref", "--db", db, "--audit-key", keyFile, "--agency", Own, "--purpose", "cross-reference bench"]);
                if (xref.ExitCode != 0)
                {
                    throw new InvalidOperationException($"jisr xref failed ({xref.ExitCode}): {xref.Error}");
                }

                var (hits, right) = (0, 0);
                foreach (var line in xref.Output.Split('\n').Skip(1).Where(l => l.Length > 0))
                {
                    var cells = line.Split('\t');
                    hits++;
                    right += truth[Guid.Parse(cells[1])] == truth[Guid.Parse(cells[3])] ? 1 : 0;
                }

                var truePairs = TruePairs(world, probes, targets);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"jisr xref {probes.Count} x {targets.Count} ({provider}, {run}): {xref.Wall.TotalSeconds:F1} s wall, {xref.CpuSeconds:F1} s CPU on {Environment.ProcessorCount} cores, peak resident {xref.PeakMegabytes:F0} MB; {hits} hits, {right} true (precision {(double)right / Math.Max(1, hits):P2}, recall {(double)right / Math.Max(1, truePairs):P2} of {truePairs} planted pairs); load average {Matching.CpuClock.LoadAverage()}; {xref.Error.Trim().Split('\n')[^1]}"));
            }

            if (phases)
            {
                await PhasesAsync(location, keyFile);
            }
        }
        finally
        {
            if (keep is null)
            {
                File.Delete(keyFile);
            }
        }
    }

    /// <summary>The fusion bench's split: the world's records alternately to the two sides, N each.</summary>
    private static (List<PersonRecord> Probes, List<PersonRecord> Targets) Split(SyntheticWorld world, int perSide)
    {
        var probes = new List<PersonRecord>(perSide);
        var targets = new List<PersonRecord>(perSide);
        for (var i = 0; i < world.Records.Count && (probes.Count < perSide || targets.Count < perSide); i++)
        {
            (i % 2 == 0 && probes.Count < perSide ? probes : targets.Count < perSide ? targets : probes).Add(world.Records[i]);
        }

        return (probes, targets);
    }

    /// <summary>Of the probe-target pairs that are one person in the world, how many there are.</summary>
    private static long TruePairs(SyntheticWorld world, List<PersonRecord> probes, List<PersonRecord> targets)
    {
        var targetsOfPerson = targets.GroupBy(t => world.TruthOfRecord[SyntheticWorld.RecordIndex(t.Id)]).ToDictionary(g => g.Key, g => g.Count());
        return probes.Sum(p => (long)targetsOfPerson.GetValueOrDefault(world.TruthOfRecord[SyntheticWorld.RecordIndex(p.Id)]));
    }

    /// <summary>
    /// The two agencies, an agreement in force, the own records and the partner's records with their release copies
    /// (through the model, EF), then the persons and mentions as rows in the formats the model writes (binary COPY on
    /// PostgreSQL). Returns each person's world person.
    /// </summary>
    private static async Task<Dictionary<Guid, int>> SeedAsync(DatabaseLocation location, SyntheticWorld world, List<PersonRecord> probes, List<PersonRecord> targets)
    {
        var now = DateTimeOffset.UtcNow;
        var created = now.AddDays(-30);
        var own = Agency.Create(Own, "Own agency", "MA", created);
        var partner = Agency.Create(Partner, "Partner agency", "TN", created);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var agreement = SharingAgreement.Propose(
            new SharingTerms(partner.Id, own.Id, Enum.GetValues<ThreatDomain>(), Classification.Secret, Enum.GetValues<HandlingCode>(), today.AddDays(-10), today.AddDays(700)),
            new UserId(Guid.NewGuid()), created);
        agreement.Accept(new UserId(Guid.NewGuid()), created);
        await using (var context = JisrDatabase.Open(location))
        {
            context.Agencies.AddRange(own, partner);
            context.Agreements.Add(agreement);
            await context.SaveChangesAsync();
        }

        var truth = new Dictionary<Guid, int>();
        await SeedSideAsync(location, own.Id, probes, null, created, world, truth);
        await SeedSideAsync(location, partner.Id, targets, (own.Id, agreement), created, world, truth);
        return truth;
    }

    /// <summary>One side's persons, 100 to a record; with <paramref name="releasedTo"/>, each record released as a copy to that agency.</summary>
    private static async Task SeedSideAsync(
        DatabaseLocation location, AgencyId agency, List<PersonRecord> persons, (AgencyId Recipient, SharingAgreement Agreement)? releasedTo, DateTimeOffset created, SyntheticWorld world, Dictionary<Guid, int> truth)
    {
        var author = new UserId(Guid.NewGuid());
        for (var start = 0; start < persons.Count; start += PersonsPerRecord * RecordsPerSave)
        {
            await using var context = JisrDatabase.Open(location);
            context.ChangeTracker.AutoDetectChangesEnabled = false;
            await context.Database.OpenConnectionAsync();
            await using var transaction = await context.Database.BeginTransactionAsync();
            var postgres = context.Database.IsNpgsql();
            object Id(Guid value) => postgres ? value : value.ToString().ToUpperInvariant();
            object Time(DateTimeOffset value) => postgres ? value : value.UtcTicks;

            var batch = new List<(Record Record, List<Person> Persons)>();
            for (var at = start; at < Math.Min(persons.Count, start + (PersonsPerRecord * RecordsPerSave)); at += PersonsPerRecord)
            {
                var record = Record.Create(agency, author, RecordContent.Create(
                    RecordKind.IntelligenceReport, $"Persons of interest, part {at / PersonsPerRecord}", "Who is who.", "en", "basis", "purpose", created.AddYears(20),
                    DateOnly.FromDateTime(created.UtcDateTime), Marking.Create(Classification.Restricted, Tlp.Green, HandlingCode.H0),
                    SourceGrading.Parse("B2"), [ThreatDomain.DrugTrafficking]), created);
                var people = persons.Skip(at).Take(PersonsPerRecord).Select(p =>
                {
                    var person = Person.Create(
                        agency, [.. p.Names.Select(n => PersonName.Create(n))], p.DateOfBirth, null, p.Gender, p.Nationalities,
                        [.. p.Identifiers.Select(i => PersonIdentifier.Create(Identifier.Wire(i.Kind), i.Written, i.Country))], created);
                    truth[person.Id.Value] = world.TruthOfRecord[SyntheticWorld.RecordIndex(p.Id)];
                    return person;
                }).ToList();
                batch.Add((record, people));
            }

            await using (var rows = Rows(context, transaction.GetDbTransaction(), "Entities", ["Id", "AgencyId", "Label", "CreatedAt", "EntityType", "Names", "Gender", "Nationalities", "Identifiers", "DateOfBirth"]))
            {
                foreach (var person in batch.SelectMany(b => b.Persons))
                {
                    await rows.WriteAsync(
                        Id(person.Id.Value), Id(agency.Value), person.Label, Time(created), "person",
                        JsonConversions.PersonNames.ConvertToProvider(person.Names)!, (int)person.Gender,
                        JsonConversions.StringList.ConvertToProvider(person.Nationalities)!,
                        JsonConversions.PersonIdentifiers.ConvertToProvider(person.Identifiers)!,
                        person.DateOfBirth is { } dob ? dob.ToString() : (object)DBNull.Value);
                }
            }

            var mentions = new List<(Record Record, List<Person> Persons)>(batch);
            foreach (var (record, people) in batch)
            {
                context.Records.Add(record);
                context.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, people);
                if (releasedTo is { } to)
                {
                    var release = Release.Request(record, to.Recipient, to.Agreement, author, [], null, AccessPolicy.ReleaseNeedsSecondPerson(record), created);
                    var copy = Record.CreateReleaseCopy(record, release, to.Agreement, created);
                    release.Delivered(copy.Id);
                    context.Records.Add(copy);
                    context.Entry(copy).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(copy, people);
                    context.Entry(copy.ReleasedUnder!).State = EntityState.Unchanged;
                    context.Releases.Add(release);
                    mentions.Add((copy, people));
                }
            }

            await context.SaveChangesAsync();
            await using (var rows = Rows(context, transaction.GetDbTransaction(), "RecordEntities", ["RecordId", "EntityId"]))
            {
                foreach (var (record, people) in mentions)
                {
                    foreach (var person in people)
                    {
                        await rows.WriteAsync(Id(record.Id.Value), Id(person.Id.Value));
                    }
                }
            }

            await transaction.CommitAsync();
        }
    }

    /// <summary>
    /// The steps of <see cref="FusionService.XrefAsync"/> one by one in this process, on the CLI's caller, CPU per step:
    /// the persons read (the readable filter and the columns scored), the links and judgements, the records built, the
    /// core's comparison and its state.
    /// </summary>
    private static async Task PhasesAsync(DatabaseLocation location, string keyFile)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddJisrStorage(location, new AuditOptions { KeyPath = keyFile });
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JisrDbContext>();
        var agency = await db.Agencies.AsNoTracking().SingleAsync(a => a.Code == Own);
        var caller = new Principal(new UserId(Guid.Empty), $"jisr-cli@{Own}", agency.Id, Own, new HashSet<Role> { Role.Analyst }, Classification.Secret);
        var store = scope.ServiceProvider.GetRequiredService<FusionStore>();

        var figures = new List<string>();
        var last = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        void Phase(string name)
        {
            var now = Process.GetCurrentProcess().TotalProcessorTime;
            figures.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {(now - last).TotalSeconds:F1} s CPU / {clock.Elapsed.TotalSeconds:F1} s wall"));
            last = now;
            clock.Restart();
        }

        // The readable filter alone (ids, nothing materialised), then the rows scored, twice (the second warm).
        var ids = await db.ReadableEntities(caller, TimeProvider.System).OfType<Person>().Select(p => p.Id).ToListAsync();
        Phase($"readable person ids only ({ids.Count})");
        var persons = await store.ReadablePersonRowsAsync(caller, CancellationToken.None);
        Phase($"persons read ({persons.Persons.Count}, {persons.Own.Count} own)");
        persons = await store.ReadablePersonRowsAsync(caller, CancellationToken.None);
        Phase("persons read again");
        var links = await store.ReadableLinkRowsAsync(caller, CancellationToken.None);
        var judgements = await store.ShownJudgementsAsync(caller, CancellationToken.None);
        Phase("links and judgements read");
        var world = FusionWorld.Scored(persons, links, judgements);
        var probes = world.Records.Where(r => world.Own.Contains(TypedId.Parse<EntityId>(r.Id))).ToList();
        var targets = world.Records.Where(r => !world.Own.Contains(TypedId.Parse<EntityId>(r.Id))).ToList();
        Phase("records built");
        var run = EntityResolver.CrossReferenceIncremental(probes, targets, world.Links, world.Decisions, new ResolutionOptions(), null);
        Phase($"compared ({run.Hits.Count} hits)");
        var state = run.State.ToBytes();
        Phase($"state written ({state.Length / (1024 * 1024)} MB)");
        Console.WriteLine($"  in this process, step by step: {string.Join("; ", figures)}; process peak {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
    }

    private static GraphDatabaseBench.RowWriter Rows(JisrDbContext context, DbTransaction transaction, string table, string[] columns) =>
        GraphDatabaseBench.Rows(context, transaction, table, columns);
}
