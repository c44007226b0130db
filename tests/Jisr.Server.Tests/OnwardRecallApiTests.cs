using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Server.Tests;

/// <summary>
/// One node hosting three agencies (a hub): the originator's recall removes its partner's copy and also what the
/// partner passed on of it with its consent, in the same transaction (the onward release recalled, audited); the copies
/// of another record stay; an onward release still awaiting approval is refused.
/// </summary>
public sealed class OnwardRecallApiTests
{
    [Fact]
    public async Task ARecall_RemovesTheOnwardCopyHeldOnTheSameNode_AndNothingElse()
    {
        await using var node = await TestNode.StartAsync();
        var ma = await node.AddAgencyAsync("MA-HUB", "MA");
        var es = await node.AddAgencyAsync("ES-HUB", "ES");
        var fr = await node.AddAgencyAsync("FR-HUB", "FR");
        var analystMa = await node.AddUserAsync(ma, "analyst.ma", [Role.Analyst]);
        var reviewerMa = await node.AddUserAsync(ma, "dpo.ma", [Role.LegalReviewer]);
        var analystEs = await node.AddUserAsync(es, "analyst.es", [Role.Analyst]);
        var analystFr = await node.AddUserAsync(fr, "analyst.fr", [Role.Analyst]);
        await AgreeAsync(await node.AddUserAsync(ma, "admin.ma", [Role.Administrator]), await node.AddUserAsync(es, "admin.es", [Role.Administrator]));
        await AgreeAsync(await node.AddUserAsync(es, "admin2.es", [Role.Administrator]), await node.AddUserAsync(fr, "admin.fr", [Role.Administrator]));

        var copies = new List<(Guid Release, Guid Copy)>();
        foreach (var title in new[] { "Réseau de passeurs", "Filière de faux documents" })
        {
            var record = (await (await analystMa.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: title))).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
            var release = (await (await analystMa.Client.PostAsJsonAsync($"/api/v1/records/{record}/releases", new { agency = "ES-HUB" })).Content.ReadFromJsonAsync<JsonObject>())!;
            var copy = release["copy"]!.GetValue<Guid>();
            copies.Add((release["id"]!.GetValue<Guid>(), copy));
            var consent = (await (await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{copy}/consents", new { agency = "FR-HUB" })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
            Assert.Equal(HttpStatusCode.OK, (await reviewerMa.Client.PostAsJsonAsync($"/api/v1/consents/{consent}/grant", new { reason = "accordé" })).StatusCode);
        }

        var onward = new List<(Guid Release, Guid Copy)>();
        foreach (var (_, copy) in copies)
        {
            var passed = await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{copy}/releases", new { agency = "FR-HUB" });
            Assert.Equal(HttpStatusCode.Created, passed.StatusCode);
            var body = (await passed.Content.ReadFromJsonAsync<JsonObject>())!;
            onward.Add((body["id"]!.GetValue<Guid>(), body["copy"]!.GetValue<Guid>()));
            Assert.Equal(HttpStatusCode.OK, (await analystFr.Client.GetAsync($"/api/v1/records/{body["copy"]}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await reviewerMa.Client.PostAsJsonAsync($"/api/v1/releases/{copies[0].Release}/recall", new { reason = "source compromise" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analystEs.Client.GetAsync($"/api/v1/records/{copies[0].Copy}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analystFr.Client.GetAsync($"/api/v1/records/{onward[0].Copy}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analystEs.Client.GetAsync($"/api/v1/records/{copies[1].Copy}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analystFr.Client.GetAsync($"/api/v1/records/{onward[1].Copy}")).StatusCode);

        // A CONFIDENTIAL record: each release waits for a second person. ES-HUB's onward release of its copy is still
        // waiting when MA-HUB recalls: it is refused, so no approval can send a copy that no longer exists.
        var confidential = (await (await analystMa.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: "Saisie au port", classification: "CONFIDENTIAL")))
            .Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var waiting = (await (await analystMa.Client.PostAsJsonAsync($"/api/v1/records/{confidential}/releases", new { agency = "ES-HUB" })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var approved = await reviewerMa.Client.PostAsJsonAsync($"/api/v1/releases/{waiting}/approve", new { reason = "vu" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var confidentialCopy = (await approved.Content.ReadFromJsonAsync<JsonObject>())!["copy"]!.GetValue<Guid>();
        var asked = (await (await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{confidentialCopy}/consents", new { agency = "FR-HUB" })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await reviewerMa.Client.PostAsJsonAsync($"/api/v1/consents/{asked}/grant", new { reason = "accordé" })).StatusCode);
        var pending = (await (await analystEs.Client.PostAsJsonAsync($"/api/v1/records/{confidentialCopy}/releases", new { agency = "FR-HUB" })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("awaiting-approval", pending["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await reviewerMa.Client.PostAsJsonAsync($"/api/v1/releases/{waiting}/recall", new { reason = "erreur" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analystEs.Client.GetAsync($"/api/v1/records/{confidentialCopy}")).StatusCode);

        await using var db = node.Database.Open();
        Assert.Equal(ReleaseStatus.Refused, (await db.Releases.AsNoTracking().SingleAsync(r => r.Id == new ReleaseId(pending["id"]!.GetValue<Guid>()))).Status);
        var recalled = await db.Releases.AsNoTracking().SingleAsync(r => r.Id == new ReleaseId(onward[0].Release));
        Assert.Equal(ReleaseStatus.Recalled, recalled.Status);
        Assert.Contains(copies[0].Release.ToString("D"), recalled.RecallReason, StringComparison.Ordinal);
        Assert.Equal(ReleaseStatus.Released, (await db.Releases.AsNoTracking().SingleAsync(r => r.Id == new ReleaseId(onward[1].Release))).Status);
        Assert.True(await db.AuditLog.AnyAsync(e => e.Action == AuditActions.ReleaseRecall && e.TargetType == AuditTargets.Record && e.TargetId == onward[0].Copy.ToString()));
        Assert.True((await AuditVerifier.VerifyAsync(db)).IsIntact);
    }

    private static async Task AgreeAsync(TestUser proposer, TestUser partner)
    {
        var proposed = await proposer.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = partner.Agency.Code,
            threatDomains = new[] { "drug-trafficking", "organised-crime" },
            highestClassification = "CONFIDENTIAL",
            handlingCodes = new[] { "H1", "H2" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1),
        });
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var id = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await partner.Client.PostAsync($"/api/v1/agreements/{id}/accept", null)).StatusCode);
    }
}
