using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary>
/// Several processes on one database: two <c>jisr serve</c> processes (the way an agency scales a node out) and the CLI
/// beside them. No request may fail with 500, no acknowledged record may be lost, and the audit chain stays one chain.
/// </summary>
public sealed class SeveralWritersCommandTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TwoServeProcesses_WithEightWritersAcrossThem_AnswerNo500_KeepEveryRecord_AndOneVerifiedChain(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (db, key) = Arguments(database);
        var token = await WriterTokenAsync(db, key);
        using var first = await ServeAsync(db, key);
        using var second = await ServeAsync(db, key);
        var nodes = new[] { first.BaseAddress, second.BaseAddress };

        var acknowledged = new ConcurrentBag<Guid>();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var writers = Enumerable.Range(0, 8).Select(async writer =>
        {
            using var client = Client(nodes[writer % 2], token);
            for (var i = 0; i < 20; i++)
            {
                var response = await client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: $"writer {writer} record {i}"));
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>());
                }

                statuses.Add((await client.GetAsync("/api/v1/records")).StatusCode); // a group-committed read
            }
        }).ToList();

        // The CLI writes too while both nodes are busy.
        var cli = await Jisr.RunAsync(["token", "create", "--db", db, "--audit-key", key, "--user", "writer"]);
        await Task.WhenAll(writers);

        Assert.Equal(0, cli.ExitCode);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.OK, $"a request answered {(int)s}"));
        Assert.Equal(160, acknowledged.Count);
        await using (var context = database.Open())
        {
            var stored = (await context.Records.Select(r => r.Id).ToListAsync()).Select(id => id.Value).ToHashSet();
            Assert.All(acknowledged, id => Assert.Contains(id, stored));
            Assert.True(await context.AuditCheckpoints.CountAsync() >= 3, "both nodes sign checkpoints into the one chain");
        }

        await first.StopAsync();
        await second.StopAsync();
        var verify = await Jisr.RunAsync("audit", "verify", "--db", db, "--audit-key", key);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        Assert.StartsWith("OK ", verify.OutputLines.Single(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TokenCreateAndUserAdd_BesideARunningNode_TheNodesNextRequestsSucceed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (db, key) = Arguments(database);
        var token = await WriterTokenAsync(db, key);
        using var node = await ServeAsync(db, key);
        using var client = Client(node.BaseAddress, token);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: "before the CLI"))).StatusCode);

        var added = await Jisr.RunAsync("user", "add", "--db", db, "--audit-key", key, "--agency", "MA-POL", "--user", "second", "--role", "field-officer");
        var created = await Jisr.RunAsync("token", "create", "--db", db, "--audit-key", key, "--user", "second");

        Assert.Equal(0, added.ExitCode);
        Assert.Equal(0, created.ExitCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: "after the CLI"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/records")).StatusCode);
        using var second = Client(node.BaseAddress, created.OutputLines.Single());
        Assert.Equal(HttpStatusCode.Created, (await second.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: "by the new user"))).StatusCode);

        await node.StopAsync();
        Assert.Equal(0, (await Jisr.RunAsync("audit", "verify", "--db", db, "--audit-key", key)).ExitCode);
    }

    private static (string Db, string Key) Arguments(TestDatabase database)
    {
        var db = database.Location.Provider == Storage.DatabaseProvider.Sqlite ? $"sqlite:{database.Location.Target}" : $"postgres:{database.Location.Target}";
        var key = Path.Combine(Directory.CreateTempSubdirectory("jisr-key-").FullName, "node.audit-key");
        return (db, key);
    }

    private static async Task<string> WriterTokenAsync(string db, string key)
    {
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--audit-key", key, "--code", "MA-POL", "--name", "Police", "--country", "MA")).ExitCode);
        Assert.Equal(0, (await Jisr.RunAsync("user", "add", "--db", db, "--audit-key", key, "--agency", "MA-POL", "--user", "writer", "--role", "field-officer", "--clearance", "SECRET")).ExitCode);
        return (await Jisr.RunAsync("token", "create", "--db", db, "--audit-key", key, "--user", "writer")).OutputLines.Single();
    }

    private static HttpClient Client(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<Node> ServeAsync(string db, string key)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{Jisr.FreePort()}");
        var process = Jisr.Start(["serve", "--db", db, "--audit-key", key, "--urls", baseAddress.ToString(), "--checkpoint-every-entries", "40"]);
        await Jisr.WaitForHealthAsync(baseAddress, process);
        return new Node(process, baseAddress);
    }

    /// <summary>A <c>jisr serve</c> process; stopped with SIGTERM (as a service manager does, so it signs its last checkpoint), killed if it hangs.</summary>
    private sealed record Node(Process Process, Uri BaseAddress) : IDisposable
    {
        public async Task StopAsync()
        {
            if (!OperatingSystem.IsWindows() && !Process.HasExited)
            {
                using var term = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await Process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }
}
