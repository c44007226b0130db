using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Users;
using Jisr.Storage.Fusion;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>
/// Cross-reference jobs are stored: a finished job, its progress and its hits are read back through another process
/// over the same database (what a restart sees), by their owner only; a job whose process died reads as failed with
/// what to do and does not block a new one; a second run compares only what changed and answers like a full run.
/// </summary>
public sealed class XrefJobApiTests
{
    private const string Purpose = "case 2026/231";

    private static async Task AddPersonAsync(TestUser user, string name, string dateOfBirth, string passport)
    {
        var request = RecordRequests.Valid();
        request["entities"] = new JsonArray(new JsonObject
        {
            ["ref"] = "p",
            ["type"] = "person",
            ["names"] = new JsonArray(name),
            ["dateOfBirth"] = dateOfBirth,
            ["identifiers"] = new JsonArray(new JsonObject { ["kind"] = "passport", ["value"] = passport, ["country"] = "MA" }),
        });
        request["links"] = new JsonArray();
        Assert.Equal(HttpStatusCode.Created, (await user.Client.PostAsJsonAsync("/api/v1/records", request)).StatusCode);
    }

    private static async Task<Uri> StartAsync(HttpClient client)
    {
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/v1/fusion/xref") { Content = JsonContent.Create(new { against = "all-own" }) };
        start.Headers.Add("X-Jisr-Purpose", Purpose);
        var started = await client.SendAsync(start);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return started.Headers.Location!;
    }

    private static async Task<JsonObject> FinishedAsync(HttpClient client, Uri job)
    {
        for (var i = 0; i < 1200; i++)
        {
            var read = (await client.GetFromJsonAsync<JsonObject>(job))!;
            if (read["status"]!.GetValue<string>() != "running")
            {
                return read;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{job} still running after a minute");
    }

    private static List<string> Hits(JsonObject job) =>
        [.. job["hits"]!.AsArray().Select(h => $"{h!["a"]!["id"]} {h["b"]!["id"]} {h["score"]!.GetValue<double>()} {h["explanation"]}")];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AFinishedJob_OutlivesARestart_ForItsOwnerOnly_AndTheNextRunComparesOnlyWhatChanged(string provider)
    {
        await using var node = await TestNode.StartAsync(provider);
        var police = await node.AddAgencyAsync("MA-XRF");
        var analyst = await node.AddUserAsync(police, "analyst.xrf", [Role.Analyst]);
        var colleague = await node.AddUserAsync(police, "colleague.xrf", [Role.Analyst]);
        await AddPersonAsync(analyst, "Mohamed El Alami", "1980-05-12", "AB123456");
        await AddPersonAsync(analyst, "محمد العلمي", "1980-05-12", "AB123456");
        await AddPersonAsync(analyst, "Karim Bennani", "1975-02-03", "CD765432");

        var location = await StartAsync(analyst.Client);
        var first = await FinishedAsync(analyst.Client, location);
        Assert.Equal("done", first["status"]!.GetValue<string>());
        Assert.Equal(3, first["probes"]!.GetValue<int>());
        Assert.Equal(3, first["compared"]!.GetValue<int>());
        Assert.Single(first["hits"]!.AsArray());

        // Another process over the same database (a restart): the job, its counts and its hits are there, for its owner.
        await using (var app = await JisrNode.StartAsync(new NodeOptions(node.Database.Location, "http://127.0.0.1:0")))
        {
            using var owner = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", analyst.Token);
            var again = (await owner.GetFromJsonAsync<JsonObject>(location))!;
            Assert.Equal("done", again["status"]!.GetValue<string>());
            Assert.Equal(first["finishedAt"]!.ToString(), again["finishedAt"]!.ToString());
            Assert.Equal(Hits(first), Hits(again));

            using var other = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", colleague.Token);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(location)).StatusCode);
            await app.StopAsync();
        }

        // Nothing changed: the next run (by a colleague) compares no one and finds the same.
        var unchanged = await FinishedAsync(colleague.Client, await StartAsync(colleague.Client));
        Assert.Equal(0, unchanged["compared"]!.GetValue<int>());
        Assert.Equal(Hits(first), Hits(unchanged));

        // One new person who matches one of the three: only the new person and its look-alike are compared.
        await AddPersonAsync(analyst, "Karim Benani", "1975-02-03", "CD765432");
        var changed = await FinishedAsync(analyst.Client, await StartAsync(analyst.Client));
        Assert.Equal(4, changed["probes"]!.GetValue<int>());
        Assert.InRange(changed["compared"]!.GetValue<int>(), 1, 2);
        Assert.Equal(2, changed["hits"]!.AsArray().Count);
        Assert.Contains(changed["hits"]!.AsArray(), h => h!["a"]!.ToJsonString().Contains("Karim", StringComparison.Ordinal) && h["b"]!.ToJsonString().Contains("Karim", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AJobWhoseProcessDied_ReadsAsFailedWithWhatToDo_AndDoesNotBlockANewOne(string provider)
    {
        await using var node = await TestNode.StartAsync(provider);
        var agency = await node.AddAgencyAsync("MA-XRD");
        var analyst = await node.AddUserAsync(agency, "analyst.xrd", [Role.Analyst]);

        // What a process killed in the middle of a job leaves: a running job whose renewals stopped.
        var dead = Guid.CreateVersion7();
        await using (var db = node.Database.Open())
        {
            var longAgo = DateTimeOffset.UtcNow - XrefJobStore.StaleAfter - TimeSpan.FromMinutes(1);
            db.XrefJobs.Add(new XrefJobRow
            {
                Id = dead, OwnerId = new UserId(analyst.Id), AgencyId = agency.Id, Against = "partners",
                Purpose = Purpose, Progress = 10, Total = 40, StartedAt = longAgo, HeartbeatAt = longAgo,
            });
            await db.SaveChangesAsync();
        }

        var read = (await analyst.Client.GetFromJsonAsync<JsonObject>($"/api/v1/fusion/xref/{dead}"))!;
        Assert.Equal("failed", read["status"]!.GetValue<string>());
        Assert.Equal(XrefJobStore.Interrupted, read["error"]!.GetValue<string>());
        Assert.Equal(10, read["done"]!.GetValue<int>());

        var next = await FinishedAsync(analyst.Client, await StartAsync(analyst.Client));
        Assert.Equal("done", next["status"]!.GetValue<string>());
    }
}
