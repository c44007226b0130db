using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;

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
        request["retentionUntil"] = clock.GetUtcNow().AddDays(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        request["reviewDate"] = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddDays(1)).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
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
