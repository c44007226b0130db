using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Storage;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jisr.Server.Tests;

/// <summary>Records past their retention end, seen through HTTP on a node whose clock the test moves forward.</summary>
public sealed class RetentionApiTests
{
    [Fact]
    public async Task RecordPastRetention_IsGoneFromEveryReadPath_ThenPurgedWithAnAuditEntryThatKeepsNoPersonalData()
    {
        var clock = new AdjustableClock(DateTimeOffset.UtcNow);
        await using var node = await TestNode.StartAsync(clock: clock);
        var agency = await node.AddAgencyAsync("MA-RET");
        var analyst = await node.AddUserAsync(agency, "analyst.ret", [Role.Analyst]);
        var reviewer = await node.AddUserAsync(agency, "dpo.ret", [Role.LegalReviewer]);
        var marker = "ret" + Guid.NewGuid().ToString("N")[..10];
        var request = RecordRequests.Valid(title: $"{marker} Tanger");
        RecordRequests.ExpiringInTwoDays(request, clock);
        var created = await (await analyst.Client.PostAsJsonAsync("/api/v1/records", request)).Content.ReadFromJsonAsync<JsonObject>();
        var id = created!["id"]!.GetValue<Guid>();
        var person = created["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "person")!["id"]!.GetValue<Guid>();
        Assert.True(await SharingWorld.SeesAsync(analyst, id, marker));

        clock.Advance(TimeSpan.FromDays(3));

        Assert.False(await SharingWorld.SeesAsync(analyst, id, marker));
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.Client.GetAsync($"/api/v1/entities/{person}")).StatusCode);
        var queue = await reviewer.Client.GetFromJsonAsync<JsonObject>("/api/v1/review-queue");
        Assert.DoesNotContain(queue!["items"]!.AsArray(), r => r!["id"]!.GetValue<Guid>() == id);

        await using (var scope = node.App.Services.CreateAsyncScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<RetentionPurge>().PurgeExpiredAsync(clock.GetUtcNow(), CancellationToken.None));
        }

        var audit = await reviewer.Client.GetStringAsync($"/api/v1/audit?action=record.purge&target={id}");
        Assert.Contains(id.ToString("D"), audit, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, audit, StringComparison.Ordinal);
        Assert.DoesNotContain("Idrissi", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(person.ToString("D"), audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetentionPurgeService_WhileAnotherProcessHoldsThePurgeLease_SkipsTheRound_AndRunsOnceTheLeaseRunsOut()
    {
        var clock = new AdjustableClock(DateTimeOffset.UtcNow);
        await using var node = await TestNode.StartAsync(clock: clock);
        var agency = await node.AddAgencyAsync("MA-LSE");
        var analyst = await node.AddUserAsync(agency, "analyst.lse", [Role.Analyst]);
        var request = RecordRequests.Valid(title: "purged by one process");
        RecordRequests.ExpiringInTwoDays(request, clock);
        var id = (await (await analyst.Client.PostAsJsonAsync("/api/v1/records", request)).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        clock.Advance(TimeSpan.FromDays(3));
        await using (var scope = node.App.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<JobLeases>().TryAcquireAsync("retention-purge", "another-process", TimeSpan.FromHours(1)));
        }

        // Another round of the node's purge service, as at its next hourly tick (a new instance: its first round runs at once).
        var purgeServiceType = node.App.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "RetentionPurgeService").GetType();
        var skipped = (IHostedService)ActivatorUtilities.CreateInstance(node.App.Services, purgeServiceType);
        await skipped.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await skipped.StopAsync(CancellationToken.None);
        Assert.True(await RecordStoredAsync(node, id));

        clock.Advance(TimeSpan.FromHours(2));
        var runs = (IHostedService)ActivatorUtilities.CreateInstance(node.App.Services, purgeServiceType);
        await runs.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await RecordStoredAsync(node, id) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await runs.StopAsync(CancellationToken.None);
        Assert.False(await RecordStoredAsync(node, id));
    }

    private static async Task<bool> RecordStoredAsync(TestNode node, Guid id)
    {
        await using var db = node.Database.Open();
        return await db.Records.AnyAsync(r => r.Id == new Domain.Common.RecordId(id));
    }

    [Fact]
    public async Task ReleaseCopy_DisappearsWhenItsAgreementExpires()
    {
        var clock = new AdjustableClock(DateTimeOffset.UtcNow);
        await using var node = await TestNode.StartAsync(clock: clock);
        var w = await SharingWorld.CreateAsync(node);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var proposed = await w.AdminA.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = w.B.Code, threatDomains = new[] { "drug-trafficking", "organised-crime" }, highestClassification = "SECRET",
            handlingCodes = new[] { "H0", "H1" }, validFrom = today, validUntil = today.AddDays(1),
        });
        var agreement = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await w.AdminB.Client.PostAsJsonAsync($"/api/v1/agreements/{agreement}/accept", new { })).StatusCode);
        var marker = "exp" + Guid.NewGuid().ToString("N")[..10];
        var id = (await SharingWorld.CreateRecordAsync(w.AnalystA, marker))["id"]!.GetValue<Guid>();
        var copy = (await SharingWorld.ReleaseAsync(w.AnalystA, id, w.B.Code)).Body!["copy"]!.GetValue<Guid>();
        Assert.True(await SharingWorld.SeesAsync(w.AnalystB, copy, marker));

        clock.Advance(TimeSpan.FromDays(3));

        Assert.False(await SharingWorld.SeesAsync(w.AnalystB, copy, marker));
        Assert.True(await SharingWorld.SeesAsync(w.AnalystA, id, marker));
        var refused = await SharingWorld.ReleaseAsync(w.AnalystA, (await SharingWorld.CreateRecordAsync(w.AnalystA, marker + "b"))["id"]!.GetValue<Guid>(), w.B.Code);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
    }
}
