using Jisr.Domain.Common;
using Jisr.Storage.Audit;
using Jisr.Testing;

namespace Jisr.Storage.Tests;

/// <summary>
/// The entries the audit writer's own INSERT paths are compared on, one engine each (SQLite's kept INSERT,
/// PostgreSQL's batch): a filled entry stored alone by that path (sequence 1) and through SaveChanges (2), an entry with
/// every optional column empty through SaveChanges (3) and alone by that path (4), then concurrent appends in batches.
/// </summary>
internal static class AuditRowsBothWays
{
    public static readonly DateTimeOffset At = new DateTimeOffset(2026, 3, 14, 9, 26, 53, 589, TimeSpan.Zero).AddTicks(7931);

    public static readonly AuditEvent Filled = new(
        "record.read", new UserId(Guid.NewGuid()), "amina.benali", new AgencyId(Guid.NewGuid()), "record", Guid.NewGuid().ToString("D"),
        Purpose: "enquête n° 12 — تحقيق", Outcome: "not-found", Detail: "q=الإدريسي; 3 results");

    public static readonly AuditEvent Empty = new("search");

    public static async Task WriteAsync(TestDatabase database, int concurrent)
    {
        await using var audit = new AuditLog(database.Open, new FixedTime(At));
        await audit.AppendAsync(Filled); // alone in its batch: the engine's own INSERT
        await using (var db = database.Open())
        {
            await audit.SaveWithAuditAsync(db, Filled); // through SaveChanges
            await audit.SaveWithAuditAsync(db, Empty);
        }

        await audit.AppendAsync(Empty);
        await Task.WhenAll(Enumerable.Range(0, concurrent).Select(i => audit.AppendAsync(Filled with { Detail = $"read {i}" }))); // batches of several
    }

    private sealed class FixedTime(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }
}
