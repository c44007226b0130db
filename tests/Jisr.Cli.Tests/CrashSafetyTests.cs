using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary>A node killed with SIGKILL in the middle of writes loses no acknowledged record and leaves no half-written one.</summary>
public sealed class CrashSafetyTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Serve_KilledDuringWrites_KeepsEveryAcknowledgedRecordWhole(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = database.Location.Provider == Storage.DatabaseProvider.Sqlite ? $"sqlite:{database.Location.Target}" : $"postgres:{database.Location.Target}";
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "MA-POL", "--name", "Police", "--country", "MA")).ExitCode);
        Assert.Equal(0, (await Jisr.RunAsync("user", "add", "--db", db, "--agency", "MA-POL", "--user", "writer", "--role", "field-officer", "--clearance", "SECRET")).ExitCode);
        var token = (await Jisr.RunAsync("token", "create", "--db", db, "--user", "writer")).OutputLines.Single();

        var port = Jisr.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        using var server = Jisr.Start(["serve", "--db", db, "--urls", baseAddress.ToString()]);
        await Jisr.WaitForHealthAsync(baseAddress, server);

        var acknowledged = new ConcurrentBag<Guid>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 8).Select(async writer =>
        {
            using var client = new HttpClient { BaseAddress = baseAddress };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            for (var i = 0; !stop.IsCancellationRequested && i < 10_000; i++)
            {
                try
                {
                    var response = await client.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: $"writer {writer} record {i}"));
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Add((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>());
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the server is gone
                }
                catch (IOException)
                {
                    return;
                }
            }
        }).ToList();

        // Let writes flow, then kill the process without warning (SIGKILL) while they are in flight.
        while (acknowledged.Count < 150 && !server.HasExited)
        {
            await Task.Delay(20);
        }

        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(acknowledged.Count >= 150, $"only {acknowledged.Count} writes were acknowledged before the kill");
        await using var context = database.Open();
        var stored = await context.Records.Select(r => new { r.Id, Mentions = r.Mentions.Count, Links = r.Links.Count }).ToListAsync();
        var storedIds = stored.Select(r => r.Id.Value).ToHashSet();
        Assert.All(acknowledged, id => Assert.Contains(id, storedIds));
        Assert.All(stored, r => Assert.True(r.Mentions == 2 && r.Links == 1, $"record {r.Id} is half-written: {r.Mentions} entities, {r.Links} links"));
        var audited = (await context.AuditLog.Where(e => e.Action == "record.create").Select(e => e.TargetId).ToListAsync()).ToHashSet();
        Assert.All(stored, r => Assert.Contains(r.Id.ToString(), audited));
        var chain = await AuditVerifier.VerifyAsync(context);
        Assert.True(chain.IsIntact, chain.Reason);

        var verify = await Jisr.RunAsync("audit", "verify", "--db", db);
        Assert.Equal(0, verify.ExitCode);
    }
}
