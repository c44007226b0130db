using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Cli.Tests;

/// <summary>
/// <c>jisr hit check</c> on a node that holds a partner's filter (two real nodes, the command run beside the running
/// one on its database, as an operator would): hit with the partner to ask, no-hit, and bad input as one line.
/// </summary>
[Collection("node key passphrase")]
public sealed partial class HitCheckCommandTests : IAsyncLifetime
{
    private TestNode _morocco = null!;
    private TestNode _spain = null!;

    public async Task InitializeAsync()
    {
        _morocco = await TestNode.StartFederatedAsync();
        _spain = await TestNode.StartFederatedAsync();
        var ma = await _morocco.AddAgencyAsync("MA-DGST", "MA");
        var es = await _spain.AddAgencyAsync("ES-CNP", "ES");
        var maOperator = await _morocco.AddUserAsync(ma, "ma.operator", [Role.NodeAdministrator]);
        var esOperator = await _spain.AddUserAsync(es, "es.operator", [Role.NodeAdministrator]);
        var maAdmin = await _morocco.AddUserAsync(ma, "ma.admin", [Role.Administrator]);
        var esAdmin = await _spain.AddUserAsync(es, "es.admin", [Role.Administrator]);
        var esAnalyst = await _spain.AddUserAsync(es, "es.analyst", [Role.Analyst]);
        _maAnalyst = await _morocco.AddUserAsync(ma, "ma.analyst", [Role.Analyst]);
        _esLiaison = await _spain.AddUserAsync(es, "es.liaison", [Role.LiaisonOfficer]);
        Assert.True((await maOperator.Client.PostAsJsonAsync("/api/v1/federation/peers", new { url = _spain.BaseAddress.ToString(), fingerprint = _spain.Fingerprint })).IsSuccessStatusCode);
        Assert.True((await esOperator.Client.PostAsJsonAsync("/api/v1/federation/peers", new { url = _morocco.BaseAddress.ToString(), fingerprint = _morocco.Fingerprint })).IsSuccessStatusCode);
        var proposed = await maAdmin.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = "ES-CNP",
            threatDomains = new[] { "drug-trafficking", "organised-crime" },
            highestClassification = "CONFIDENTIAL",
            handlingCodes = new[] { "H1" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30),
        });
        var agreement = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await WaitAsync(async () => (await esAdmin.Client.PostAsync($"/api/v1/agreements/{agreement}/accept", null)).StatusCode == HttpStatusCode.OK);
        await WaitAsync(async () => (await maAdmin.Client.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{agreement}"))!["status"]!.GetValue<string>() == "in-force");
        Assert.Equal(HttpStatusCode.Created, (await esAnalyst.Client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await esOperator.Client.PostAsync("/api/v1/hits/filters/publish", null)).StatusCode);
        await WaitAsync(async () =>
        {
            await using var db = _morocco.Database.Open();
            return await db.AuditLog.AnyAsync(e => e.Action == AuditActions.HitFilterReceive);
        });
    }

    public async Task DisposeAsync()
    {
        await _morocco.DisposeAsync();
        await _spain.DisposeAsync();
    }

    [Fact]
    public async Task HitCheck_PrintsHitWithThePartner_OrNoHit_AndRefusesBadInputInOneLine()
    {
        var hit = await CheckAsync("--name", "يوسف الإدريسي", "--purpose", "enquête 2026/114");
        Assert.Equal(0, hit.ExitCode);
        var line = Assert.Single(hit.OutputLines);
        Assert.StartsWith("hit\tES-CNP\t", line, StringComparison.Ordinal);
        Assert.Contains("+", line, StringComparison.Ordinal); // the pair of name parts that hit

        Assert.StartsWith("hit\tES-CNP\t", Assert.Single((await CheckAsync("--identifier", "passport:MA:AB123456", "--purpose", "p")).OutputLines), StringComparison.Ordinal);
        Assert.Equal("no-hit\t1 partner filters checked", Assert.Single((await CheckAsync("--name", "Khalid Ouazzani", "--purpose", "p")).OutputLines));

        // One part of the held "Youssef El Idrissi" only: a possible hit, printed as such, with the part behind it.
        Assert.Equal("possible-hit\tES-CNP", string.Join('\t', Assert.Single((await CheckAsync("--name", "Karim Idrissi", "--purpose", "p")).OutputLines).Split('\t')[..2]));

        var both = await CheckAsync("--name", "Khalid Ouazzani", "--identifier", "phone:+212661234567", "--purpose", "p");
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("either a name or an identifier", Assert.Single(both.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal(2, (await CheckAsync("--name", "Khalid Ouazzani")).ExitCode);
        var badKind = await CheckAsync("--identifier", "shoe:42", "--purpose", "p");
        Assert.Equal(1, badKind.ExitCode);
        Assert.Contains("KIND:VALUE", badKind.Error, StringComparison.Ordinal);

        await using var db = _morocco.Database.Open();
        Assert.Equal(4, await db.AuditLog.CountAsync(e => e.Action == AuditActions.HitCheck && e.ActorName == "jisr-cli"));
        Assert.Equal(1, await db.AuditLog.CountAsync(e => e.Action == AuditActions.HitCheck && e.Detail!.Contains("possible at ES-CNP")));
    }

    private Task<Jisr.Result> CheckAsync(params string[] args) => HitAsync(_morocco, "check", args);

    /// <summary><c>jisr hit VERB</c> beside <paramref name="node"/>, on its database, with its keys.</summary>
    private static async Task<Jisr.Result> HitAsync(TestNode node, string verb, params string[] args)
    {
        var keyPath = node.App.Services.GetRequiredService<NodeIdentity>().Key!.Path;
        Jisr.NodeKeyPassphrase.Value = TestNode.NodeKeyPassphrase;
        try
        {
            return await Jisr.RunAsync(["hit", verb, "--db", node.Database.Location.ToString(), "--audit-key", Path.Combine(Path.GetDirectoryName(keyPath)!, "audit-key"), .. verb == "list" ? Array.Empty<string>() : ["--node-key", keyPath], .. args]);
        }
        finally
        {
            Jisr.NodeKeyPassphrase.Value = null;
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("not within 60 s");
    }
}
