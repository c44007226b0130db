using System.Data.Common;
using System.Globalization;
using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Exchange;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Users;
using Jisr.Policy;
using Jisr.Storage.Audit;
using Jisr.Storage.Exchange;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Storage.Tests;

/// <summary>
/// An import session writes each full batch of rows in the background while the import goes on. The database it
/// leaves must be exactly the one a session writing every row on the caller's thread leaves: the same rows of every
/// table an import writes, received objects in the same order, the same audit entries, on both engines.
/// </summary>
public sealed class StixImportSessionBatchTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task RowsWrittenInBackgroundBatches_LeaveTheSameDatabase_AsRowsWrittenAtTheEnd(string provider)
    {
        var agency = Agency.Create("MA-IMP", "Importer", "MA", DateTimeOffset.UtcNow);
        var principal = new Principal(new UserId(Guid.NewGuid()), "importer", agency.Id, agency.Code, new HashSet<Role> { Role.Analyst }, Classification.Secret);
        var calls = RandomImport(agency.Id, principal.UserId, new Random(20261201), objects: 1_500);

        // Larger than the import: every row is written at the commit, on the caller's thread.
        var atTheEnd = await ImportAsync(provider, agency, principal, calls, batchSize: int.MaxValue);

        // A batch every 7 rows: hundreds of batches written in the background while the next ones are queued.
        var inBatches = await ImportAsync(provider, agency, principal, calls, batchSize: 7);

        Assert.NotEmpty(atTheEnd["StixObjects"]);
        foreach (var (table, rows) in atTheEnd)
        {
            Assert.Equal(rows, inBatches[table]);
        }
    }

    /// <summary>
    /// What an import hands its session, as the importer does: entities and received objects as they stream in (a
    /// record now and then), then records with their mentions and links and their own received objects.
    /// </summary>
    private static List<Func<StixImportSession, ValueTask>> RandomImport(AgencyId agency, UserId author, Random random, int objects)
    {
        var now = DateTimeOffset.UtcNow;
        var calls = new List<Func<StixImportSession, ValueTask>>();
        var entities = new List<Entity>();
        Record NewRecord(string title)
        {
            var record = Record.Create(agency, author, StorageWorld.Content(title), now);
            var mentioned = entities.OrderBy(_ => random.Next()).Take(random.Next(0, 40)).ToList();
            var links = mentioned.Count >= 2 ? [LinkDraft.Create(mentioned[0].Id, mentioned[1].Id, LinkType.AssociateOf, null, null, now)] : new List<LinkDraft>();
            record.SetAssertions([.. mentioned.Select(e => e.Id)], links);
            return record;
        }

        for (var i = 0; i < objects; i++)
        {
            var stixId = $"identity--{Guid.NewGuid():D}";
            var received = ReceivedStixObject.Create(agency, stixId, "identity", "2025-03-01T10:00:00.000Z", $$"""{"type":"identity","id":"{{stixId}}","n":{{i}}}""", null, "stix:bundle--test", now);
            Entity? entity = random.Next(5) switch
            {
                0 => Person.Create(agency, [PersonName.Create($"Youssef El Idrissi {i}")], null, null, Gender.Unknown, [], [], now),
                1 => Organisation.Create(agency, $"Réseau {i}", [$"alias {i}"], "MA", now),
                2 => EmailAddress.Create(agency, $"contact{i}@example.org", now),
                3 => Location.Create(agency, $"Place {i}", "MA", 33.5, -7.6, now),
                _ => null, // kept as received only
            };
            if (entity is not null)
            {
                entities.Add(entity);
                received.MappedTo(null, entity.Id);
                calls.Add(s => s.AddEntityAsync(entity, CancellationToken.None));
            }

            calls.Add(s => s.AddObjectAsync(received, CancellationToken.None));
            if (random.Next(300) == 0)
            {
                var record = NewRecord($"record among the objects {i}");
                calls.Add(s => s.AddRecordAsync(record, ["texts"], CancellationToken.None));
            }
        }

        for (var r = 0; r < 40; r++)
        {
            var record = NewRecord($"report {r}");
            var row = ReceivedStixObject.Create(agency, $"report--{Guid.NewGuid():D}", "report", null, "{}", null, "stix:bundle--test", now);
            row.MappedTo(record.Id, null);
            calls.Add(s => s.AddRecordAsync(record, [$"name {r}"], CancellationToken.None));
            calls.Add(s => s.AddObjectAsync(row, CancellationToken.None));
        }

        return calls;
    }

    private static async Task<Dictionary<string, List<string>>> ImportAsync(string provider, Agency agency, Principal principal, List<Func<StixImportSession, ValueTask>> calls, int batchSize)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var db = database.Open())
        {
            db.Agencies.Add(agency);
            await db.SaveChangesAsync();
        }

        await using (var audit = new AuditLog(database.Open, TimeProvider.System))
        await using (var db = database.Open())
        {
            await using var session = await new StixObjectStore(db, audit, TimeProvider.System).BeginImportAsync(principal, batchSize, CancellationToken.None);
            foreach (var call in calls)
            {
                await call(session);
            }

            await session.CommitAsync("test import", CancellationToken.None);
        }

        await using var check = database.Open();
        await check.Database.OpenConnectionAsync();
        return new Dictionary<string, List<string>>
        {
            // Received objects in the order they were written (their sequence), the rest as sets.
            ["StixObjects"] = await RowsAsync(check, "StixObjects", "Sequence", sorted: false),
            ["Entities"] = await RowsAsync(check, "Entities", null, sorted: true),
            ["Records"] = await RowsAsync(check, "Records", "Sequence", sorted: true),
            ["RecordEntities"] = await RowsAsync(check, "RecordEntities", null, sorted: true),
            ["Links"] = await RowsAsync(check, "Links", null, sorted: true),
            ["AuditLog"] = await RowsAsync(check, "AuditLog", "Sequence", sorted: false, "Action", "TargetType", "TargetId", "Outcome", "Detail"),
        };
    }

    /// <summary>Every row of a table as text, without the column the database numbers (<paramref name="numbered"/>, the order when not sorted).</summary>
    private static async Task<List<string>> RowsAsync(JisrDbContext db, string table, string? numbered, bool sorted, params string[] only)
    {
        await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"" + (numbered is null || sorted ? "" : $" ORDER BY \"{numbered}\"");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = new List<string>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var name = reader.GetName(i);
                if (name == numbered || (only.Length > 0 && !only.Contains(name)))
                {
                    continue;
                }

                values.Add($"{name}={Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)}");
            }

            rows.Add(string.Join("|", values));
        }

        if (sorted)
        {
            rows.Sort(StringComparer.Ordinal);
        }

        return rows;
    }
}
