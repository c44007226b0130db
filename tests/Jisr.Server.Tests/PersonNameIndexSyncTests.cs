using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Users;
using Jisr.Server.Persons;
using Jisr.Storage.Audit;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Server.Tests;

/// <summary>
/// The name index's background check looks up the latest person and the audit entries since its last look instead of
/// counting every person: a retention purge by another process (which this node's memory never hears of) must still
/// take the purged persons out of the answers within seconds, through the purge's own audit entry.
/// </summary>
public sealed class PersonNameIndexSyncTests
{
    [Fact]
    public async Task PersonsPurgedByAnotherProcess_LeaveTheIndexWithinSeconds_OthersStay()
    {
        await using var node = await TestNode.StartAsync();
        var agency = await node.AddAgencyAsync("XX-PURGE");
        var analyst = await node.AddUserAsync(agency, "analyst.purge", [Role.Analyst]);
        var kept = await AddPersonAsync(analyst, "Driss Benjelloun", DateTimeOffset.UtcNow.AddYears(5));
        var doomed = await AddPersonAsync(analyst, "Idriss Ben Jelloun", DateTimeOffset.UtcNow.AddYears(2));
        var index = node.App.Services.GetRequiredService<PersonNameIndex>();
        var before = await index.CandidatesAsync("Driss Benjelloun", 10, CancellationToken.None);
        Assert.Contains(before, c => c.Id.Value == doomed);

        // Another process's purge: its own context and its own entity cache, so nothing in this node's memory is told;
        // only the database (the entity gone, the purge in the audit log) says so.
        await using (var db = node.Database.Open())
        {
            var purged = await new RetentionPurge(db, node.App.Services.GetRequiredService<AuditLog>(), new EntityCache())
                .PurgeExpiredAsync(DateTimeOffset.UtcNow.AddYears(3), CancellationToken.None);
            Assert.Equal(1, purged);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<Matching.Names.NameCandidate<EntityId>> after = before;
        while (DateTime.UtcNow < deadline && after.Any(c => c.Id.Value == doomed))
        {
            await Task.Delay(200);
            after = await index.CandidatesAsync("Driss Benjelloun", 10, CancellationToken.None);
        }

        Assert.DoesNotContain(after, c => c.Id.Value == doomed);
        Assert.Contains(after, c => c.Id.Value == kept);
    }

    private static async Task<Guid> AddPersonAsync(TestUser user, string name, DateTimeOffset retentionUntil)
    {
        var request = RecordRequests.Valid("Contrôle " + Guid.NewGuid().ToString("N")[..6]);
        request["retentionUntil"] = retentionUntil.ToString("O", CultureInfo.InvariantCulture);
        request["entities"] = new JsonArray(new JsonObject { ["ref"] = "p", ["type"] = "person", ["names"] = new JsonArray(name) });
        request["links"] = new JsonArray();
        var response = await user.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["entities"]![0]!["id"]!.GetValue<Guid>();
    }
}
