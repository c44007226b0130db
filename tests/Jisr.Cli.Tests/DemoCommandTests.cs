using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Testing;

namespace Jisr.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_PrintsOneLinePerUserWithAWorkingToken_AndLoadsOnlyOnce()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite", migrate: false);
        var db = $"sqlite:{database.Location.Target}";

        var first = await Jisr.RunAsync("demo", "--db", db);
        var second = await Jisr.RunAsync("demo", "--db", db);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        var lines = first.OutputLines.Select(l => l.Split('\t')).ToList();
        Assert.True(lines.Count >= 10);
        Assert.All(lines, l =>
        {
            Assert.Equal(4, l.Length);
            Assert.StartsWith("jisr_", l[3], StringComparison.Ordinal);
        });
        Assert.Contains(lines, l => l[0] == "MA-DGSN" && l[2] == "analyst");
        Assert.NotEqual(first.Output, second.Output); // fresh tokens each time
        Assert.Equal(first.OutputLines.Select(l => l[..l.LastIndexOf('\t')]), second.OutputLines.Select(l => l[..l.LastIndexOf('\t')]));
        await using var context = database.Open();
        Assert.Equal(240, context.Records.Count(r => r.Provenance == null));
        var releases = context.Releases.ToList();
        Assert.Equal(releases.Count(r => r.Status == Domain.Sharing.ReleaseStatus.Released), context.Records.Count(r => r.Provenance != null));
        Assert.Contains(releases, r => r.Status == Domain.Sharing.ReleaseStatus.Released);
        Assert.Contains(releases, r => r.Status == Domain.Sharing.ReleaseStatus.AwaitingApproval);
        Assert.Equal(lines.Count, context.Users.Count());
        Assert.Equal(5, context.Agreements.Count(a => a.Status == Domain.Sharing.AgreementStatus.InForce));
        var notices = context.Notices.ToList();
        Assert.Equal(6, notices.Count);
        Assert.Equal(Domain.Notices.NoticeStatus.HeldForReview, Assert.Single(notices, n => n.Status != Domain.Notices.NoticeStatus.Issued).Status);
    }

    [Fact]
    public async Task ServeDemo_PrintsAccounts_AndTheirTokensReadTheirAgencysRecords()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite", migrate: false);
        var port = Jisr.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        using var server = Jisr.Start(["serve", "--db", $"sqlite:{database.Location.Target}", "--urls", baseAddress.ToString(), "--demo"]);
        try
        {
            var printed = new List<string>();
            while (await server.StandardOutput.ReadLineAsync() is { } line)
            {
                printed.Add(line);
                if (line.Contains("ready at", StringComparison.Ordinal))
                {
                    break;
                }
            }

            Assert.Contains(printed, l => l.Contains($"127.0.0.1:{port}", StringComparison.Ordinal));
            var analyst = printed.Select(l => l.Split('\t')).First(l => l.Length == 4 && l[0] == "FR-DGSI" && l[2] == "analyst");
            using var client = new HttpClient { BaseAddress = baseAddress };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", analyst[3]);
            var page = await client.GetFromJsonAsync<JsonObject>("/api/v1/records?limit=200");

            Assert.NotEmpty(page!["items"]!.AsArray());
            // Its own records, and the copies its partner MA-DGST released to it (with their provenance).
            Assert.All(page["items"]!.AsArray(), i => Assert.True(
                i!["originator"]!["code"]!.GetValue<string>() == "FR-DGSI" || i["provenance"]!["releasedBy"]!["code"]!.GetValue<string>() == "MA-DGST"));
            Assert.Contains(page["items"]!.AsArray(), i => i!["provenance"] is not null);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
