using System.Diagnostics;
using System.Globalization;
using Jisr.Bench.Api;
using Jisr.Bench.Matching;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Users;
using Jisr.Server.HitCheck;
using Jisr.Storage;
using Jisr.Storage.Audit;
using Jisr.Storage.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Bench.Exchange;

/// <summary>
/// One filter rebuild round (<see cref="HitFilterPublisher"/>, what the node's loop runs) on two real federated nodes
/// (SQLite): ES-CNP holds RECORDS records of one person each (synthetic names, inside its agreement with MA-DGST), and
/// the rounds are timed one by one, with the loop itself stopped (a day's interval) so nothing else builds meanwhile:
/// the first full round (filter built and sent), a full round with nothing changed (holdings read and digested, not
/// sent), a targeted round after a record outside the agreement was added (SECRET: no filter touched), a targeted
/// round after a record inside it was added (the agreement's filter rebuilt, sent when the name brought a new key). Wall time, the process's CPU
/// time (both nodes are in this process: the partner's receipt of the filter counts too) and the load average.
/// Run: <c>hitrebuild [RECORDS...]</c> (default 100000 1000000).
/// </summary>
internal static class HitRebuildBench
{
    private const int RecordsPerSave = 1000;

    public static async Task RunAsync(IReadOnlyList<int> sizes)
    {
        foreach (var records in sizes.Count > 0 ? sizes : [100_000, 1_000_000])
        {
            await RunAsync(records);
        }
    }

    private static async Task RunAsync(int records)
    {
        var quiet = new HitFilterOptions { RebuildInterval = TimeSpan.FromDays(1), ChangePoll = TimeSpan.FromDays(1) };
        await using var nodes = await Jisr.Bench.Federation.AgreedNodes.StartAsync(quiet);
        var (spain, es) = (nodes.Spain, nodes.Es);

        var names = SyntheticNames.Generate(Path.Combine(NameData.Locate(), "wikidata_name_tokens_top3000.tsv"), records + 2, seed: 11);
        var seeding = Stopwatch.StartNew();
        await SeedAsync(spain.Database.Location, es.Id, names.Take(records).ToList(), Classification.Restricted);
        Console.WriteLine(Inv($"## {records:N0} records of ES-CNP inside its agreement with MA-DGST (seeded in {seeding.Elapsed.TotalSeconds:F0} s)"));
        Console.WriteLine("| round | filters sent | wall s | process CPU s | load average |");
        Console.WriteLine("|---|---:|---:|---:|---:|");

        var actor = new AuditEvent(AuditActions.HitFilterPublish, ActorName: "bench");
        async Task RoundAsync(string name, TouchedData? touched)
        {
            GC.Collect();
            await using var scope = spain.App.Services.CreateAsyncScope();
            var publisher = scope.ServiceProvider.GetRequiredService<HitFilterPublisher>();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var sent = await publisher.PublishAsync(actor, touched, CancellationToken.None);
            var wall = clock.Elapsed;
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(Inv($"| {name} | {sent} | {wall.TotalSeconds:F2} | {used.TotalSeconds:F2} | {CpuClock.LoadAverage()} |"));
        }

        await RoundAsync("full, first (built and sent)", null);
        await RoundAsync("full, nothing changed (read and digested, not sent)", null);
        var outside = await SeedAsync(spain.Database.Location, es.Id, [names[records]], Classification.Secret);
        await RoundAsync("targeted, one SECRET record added (no filter touched)", outside);
        var inside = await SeedAsync(spain.Database.Location, es.Id, [names[records + 1]], Classification.Restricted);
        await RoundAsync("targeted, one record added inside the agreement (rebuilt; sent when a key changed)", inside);
        await RoundAsync("full, nothing changed since", null);
        Console.WriteLine();
    }

    /// <summary>Records of one person each, the records by EF (with their search text), the persons and mentions by prepared statements; returns what was touched.</summary>
    private static async Task<TouchedData> SeedAsync(DatabaseLocation location, AgencyId agency, List<string> names, Classification classification)
    {
        var author = new UserId(Guid.Parse("0190c0de-0000-7000-8000-0000000000b2"));
        var now = DateTimeOffset.UtcNow;
        var recordIds = new HashSet<RecordId>();
        var entityIds = new HashSet<EntityId>();
        for (var i = 0; i < names.Count;)
        {
            await using var context = JisrDatabase.Open(location);
            context.ChangeTracker.AutoDetectChangesEnabled = false;
            await context.Database.OpenConnectionAsync();
            await using var transaction = await context.Database.BeginTransactionAsync();
            var batch = new List<(Record Record, List<Person> Persons)>(RecordsPerSave);
            for (; batch.Count < RecordsPerSave && i < names.Count; i++)
            {
                var person = Person.Create(agency, [PersonName.Create(names[i])], null, null, Gender.Unknown, [], [], now);
                var record = Record.Create(agency, author, RecordContent.Create(
                    RecordKind.FieldReport, $"Subject {i}", "A person of interest.", "en", "basis", "purpose", now.AddYears(20),
                    DateOnly.FromDateTime(now.UtcDateTime), Marking.Create(classification, Tlp.Green, HandlingCode.H1),
                    SourceGrading.Parse("B2"), [ThreatDomain.DrugTrafficking]), now);
                context.Records.Add(record);
                context.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, [person]);
                batch.Add((record, [person]));
                recordIds.Add(record.Id);
                entityIds.Add(person.Id);
            }

            await context.SaveChangesAsync();
            await PersonMatchBench.InsertPersonsAsync(context, transaction.GetDbTransaction(), batch);
            await transaction.CommitAsync();
            if (i % 100_000 == 0)
            {
                Console.WriteLine(Inv($"seeded {i:N0} records (load average {CpuClock.LoadAverage()})"));
            }
        }

        return new TouchedData(recordIds, entityIds);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
