using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary>
/// <c>jisr hit request|list|reply</c> beside two real nodes: MA-DGST's analyst asks after a hit, lists it; ES-CNP's liaison
/// officer refuses with a reason and the answer reaches MA-DGST; bad input is one line on standard error and a non-zero exit.
/// </summary>
public sealed partial class HitCheckCommandTests
{
    private const string Purpose = "enquête 2026/114";
    private TestUser _maAnalyst = null!;
    private TestUser _esLiaison = null!;

    [Fact]
    public async Task HitRequest_ListAndReply_FromTheCommandLine_ActAsTheNamedUser_AndRefuseBadInputInOneLine()
    {
        var opened = await HitAsync(_morocco, "request", "--user", "ma.analyst", "--agency", "ES-CNP", "--name", "يوسف الإدريسي", "--legal-basis", "art. 5", "--handling", "H1", "--urgency", "urgent", "--purpose", Purpose);
        Assert.True(opened.ExitCode == 0, opened.Error);
        var fields = Assert.Single(opened.OutputLines).Split('\t');
        var id = Guid.Parse(fields[0]);
        Assert.Equal(new[] { "sent", "open", "ES-CNP", "urgent" }, fields[1..5]);
        Assert.Equal("يوسف الإدريسي", fields[^1]);
        Assert.StartsWith($"{id:D}\tsent\topen\tES-CNP", Assert.Single((await HitAsync(_morocco, "list", "--user", "ma.analyst", "--status", "open")).OutputLines), StringComparison.Ordinal);
        await WaitAsync(async () => (await _esLiaison.Client.GetAsync($"/api/v1/hits/requests/{id}")).IsSuccessStatusCode);

        // Bad input: one line naming what to fix, exit 1 (2 for what the parser refuses); nothing opened.
        await ExpectOneLineAsync(await HitAsync(_morocco, "request", "--user", "ma.analyst", "--agency", "ES-CNP", "--name", "Youssef El Idrissi", "--legal-basis", "art. 5", "--handling", "H9", "--purpose", Purpose), "handling");
        await ExpectOneLineAsync(await HitAsync(_morocco, "request", "--user", "ma.analyst", "--agency", "ES-CNP", "--name", "Khalid Ouazzani", "--legal-basis", "art. 5", "--handling", "H1", "--purpose", Purpose), "does not hit");
        await ExpectOneLineAsync(await HitAsync(_morocco, "request", "--user", "nobody", "--agency", "ES-CNP", "--name", "Youssef El Idrissi", "--legal-basis", "art. 5", "--handling", "H1", "--purpose", Purpose), "no user nobody");
        await ExpectOneLineAsync(await HitAsync(_morocco, "request", "--user", "ma.analyst", "--agency", "ES-CNP", "--agreement", "x", "--name", "Youssef El Idrissi", "--legal-basis", "art. 5", "--handling", "H1", "--purpose", Purpose), "--agreement");
        Assert.Equal(2, (await HitAsync(_morocco, "request", "--user", "ma.analyst", "--agency", "ES-CNP", "--name", "Youssef El Idrissi", "--handling", "H1", "--purpose", Purpose)).ExitCode);
        await ExpectOneLineAsync(await HitAsync(_morocco, "list", "--user", "ma.analyst", "--limit", "0"), "limit");
        await ExpectOneLineAsync(await HitAsync(_morocco, "list", "--user", "ma.admin", "--status", "maybe"), "status");
        await ExpectOneLineAsync(await HitAsync(_spain, "reply", "--user", "es.liaison", "--request", "not-an-id", "--decision", "refuse", "--reason", "x"), "--request");
        await ExpectOneLineAsync(await HitAsync(_spain, "reply", "--user", "es.liaison", "--request", id.ToString(), "--decision", "refuse"), "reason");
        await ExpectOneLineAsync(await HitAsync(_spain, "reply", "--user", "es.analyst", "--request", id.ToString(), "--decision", "refuse", "--reason", "x"), "hit request");

        // The owner's liaison officer refuses; the answer travels back to MA-DGST.
        var refused = await HitAsync(_spain, "reply", "--user", "es.liaison", "--request", id.ToString(), "--decision", "refuse", "--reason", "enquête judiciaire en cours");
        Assert.True(refused.ExitCode == 0, refused.Error);
        Assert.StartsWith($"{id:D}\treceived\trefused\tMA-DGST", Assert.Single(refused.OutputLines), StringComparison.Ordinal);
        await WaitAsync(async () => (await _maAnalyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/hits/requests/{id}"))!["status"]!.GetValue<string>() == "refused");
        await ExpectOneLineAsync(await HitAsync(_spain, "reply", "--user", "es.liaison", "--request", id.ToString(), "--decision", "refuse", "--reason", "again"), "answered already");

        await using (var db = _morocco.Database.Open())
        {
            Assert.Equal(1, await db.AuditLog.CountAsync(e => e.Action == AuditActions.HitRequestOpen && e.ActorName == "ma.analyst" && e.Purpose == Purpose));
        }

        await using var spainDb = _spain.Database.Open();
        Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.HitRequestReply && e.ActorName == "es.liaison" && e.TargetId == id.ToString()));
    }

    private static Task ExpectOneLineAsync(Jisr.Result result, string mentions)
    {
        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Output} {result.Error}");
        Assert.Contains(mentions, Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        return Task.CompletedTask;
    }
}
