using System.Diagnostics;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Policy;
using Jisr.Storage;
using Jisr.Storage.Records;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Bench.Api;

/// <summary>Times the parts of a record read in-process (no HTTP), to see where the time goes.</summary>
internal static class ReadPathProbe
{
    public static async Task RunAsync(string path)
    {
        var location = DatabaseLocation.Parse($"sqlite:{path}");
        var factory = JisrDatabase.PooledFactory(location);
        RecordId[] ids;
        Principal principal;
        await using (var db = factory())
        {
            ids = await db.Records.Select(r => r.Id).Take(2000).ToArrayAsync();
            var agency = await db.Records.Select(r => r.OriginatorAgencyId).FirstAsync();
            principal = new Principal(new UserId(Guid.NewGuid()), "probe", agency, "X", new HashSet<Role> { Role.Analyst }, Classification.Secret);
        }

        async Task Time(string name, Func<JisrDbContext, RecordId, Task> body)
        {
            for (var round = 0; round < 3; round++)
            {
                // CPU time beside wall-clock: on a loaded machine wall-clock is mostly waiting for a core.
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                var n = 0;
                while (sw.ElapsedMilliseconds < 2000)
                {
                    await using var db = factory();
                    await body(db, ids[n++ % ids.Length]);
                }

                if (round == 2)
                {
                    var cpuMicros = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds * 1000 / n;
                    Console.WriteLine($"{name}: {n / sw.Elapsed.TotalSeconds:F0}/s ({sw.Elapsed.TotalMilliseconds * 1000 / n:F0} µs each, cpu {cpuMicros:F0} µs each)");
                }
            }
        }

        var now = DateTimeOffset.UtcNow;

        // The node's own read of one record (policy rule in the SQL), on the read's context and on a read lane, twice each
        // in turn; then the rest of the probe.
        using var lanes = new SqliteReadLanes(location, maxLanes: 1);
        for (var turn = 0; turn < 2; turn++)
        {
            await Time("node record read, request context", async (db, id) => await CompiledReads.RecordByIdAsync(db, id, principal, now, CancellationToken.None));
            await Time("node record read, read lane", async (db, id) => await lanes.RunAsync(db, lane => CompiledReads.RecordByIdAsync(lane, id, principal, now, CancellationToken.None)));
        }

        await Time("record by id (no filter)", async (db, id) => await db.Records.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id));
        await Time("record by id (policy)", async (db, id) => await db.Records.AsNoTracking().Where(AccessPolicy.ReadableRecords(principal, now, db.Agreements)).FirstOrDefaultAsync(r => r.Id == id));
        await Time("record + links (policy)", async (db, id) => await db.Records.AsNoTracking().Where(AccessPolicy.ReadableRecords(principal, now, db.Agreements)).Include(r => r.Links).FirstOrDefaultAsync(r => r.Id == id));
        var compiled = EF.CompileAsyncQuery((JisrDbContext db, RecordId id, AgencyId agency, Classification clearance, DateTimeOffset at) =>
            db.Records.AsNoTracking().Include(r => r.Links).FirstOrDefault(r => r.Id == id && r.HolderAgencyId == agency && r.Marking.Classification <= clearance && r.RetentionUntil > at));
        await Time("record + links (compiled)", async (db, id) => await compiled(db, id, principal.AgencyId, principal.Clearance, now));
        var compiledEntities = EF.CompileAsyncQuery((JisrDbContext db, RecordId id, AgencyId agency) =>
            db.Mentions.Where(m => m.RecordId == id).Join(db.Entities.AsNoTracking().Where(e => e.AgencyId == agency), m => m.EntityId, e => e.Id, (m, e) => e));
        await Time("entities (compiled)", async (db, id) => { await foreach (var e in compiledEntities(db, id, principal.AgencyId)) { } });
        await Time("entities via mentions", async (db, id) => await db.Mentions.Where(m => m.RecordId == id).Join(db.Entities.AsNoTracking().Where(AccessPolicy.ReadableEntities(principal, now, db.Mentions, db.Records, db.Agreements)), m => m.EntityId, e => e.Id, (m, e) => e).ToListAsync());
        await Time("raw ADO: record by id", async (db, id) =>
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM Records WHERE Id = $id";
            var p = command.CreateParameter();
            p.ParameterName = "$id";
            p.Value = id.ToString().ToUpperInvariant();
            command.Parameters.Add(p);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }

            await connection.CloseAsync();
        });
    }
}
