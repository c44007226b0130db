using System.Text.Json.Nodes;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary>
/// <c>jisr graph components</c> on the demo data set: the components of the agency's graph only (every entity listed is
/// mentioned by a record the agency holds), largest first, TSV and JSON agreeing, audited with the purpose; bad input
/// is one line and exit 1.
/// </summary>
public sealed class GraphCommandTests
{
    [Fact]
    public async Task Components_ListTheAgencysGraphOnly_LargestFirst_AndAreAudited()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite", migrate: false);
        var db = $"sqlite:{database.Location.Target}";
        Assert.Equal(0, (await Jisr.RunAsync("demo", "--db", db)).ExitCode);

        var tsv = await Jisr.RunAsync("graph", "components", "--db", db, "--agency", "MA-DGST", "--min-size", "1", "--top", "1000", "--purpose", "network review 2026/12");
        var json = await Jisr.RunAsync("graph", "components", "--db", db, "--agency", "MA-DGST", "--min-size", "1", "--top", "1000", "--format", "json");

        Assert.Equal(0, tsv.ExitCode);
        Assert.Equal("component\tsize\tlinks\tentity\ttype\tlabel", tsv.OutputLines[0]);
        var rows = tsv.OutputLines.Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.All(rows, r => Assert.Equal(6, r.Length));
        var sizes = rows.GroupBy(r => r[0]).Select(g => (Size: int.Parse(g.First()[1], System.Globalization.CultureInfo.InvariantCulture), Listed: g.Count())).ToList();
        Assert.All(sizes, s => Assert.Equal(s.Size, s.Listed));
        Assert.Equal(sizes.Select(s => s.Size).OrderDescending(), sizes.Select(s => s.Size));
        Assert.Contains(sizes, s => s.Size >= 3);

        await using var context = database.Open();
        var agency = await context.Agencies.SingleAsync(a => a.Code == "MA-DGST");
        var held = await context.Mentions.Where(m => context.Records.Any(r => r.Id == m.RecordId && r.HolderAgencyId == agency.Id)).Select(m => m.EntityId).Distinct().ToListAsync();
        var listed = rows.Select(r => r[3]).ToHashSet();
        Assert.Subset(held.Select(id => id.ToString()).ToHashSet(), listed);
        Assert.True(await context.Entities.CountAsync() > listed.Count, "the demo holds entities MA-DGST may not read; none may be listed");

        Assert.Equal(0, json.ExitCode);
        var answer = JsonNode.Parse(json.Output)!.AsObject();
        var jsonIds = answer["components"]!.AsArray().SelectMany(c => c!["nodes"]!.AsArray().Select(n => n!["entity"]!["id"]!.GetValue<string>())).ToList();
        Assert.Equal(rows.Select(r => r[3]), jsonIds);
        Assert.Equal(sizes.Count, answer["matching"]!.GetValue<int>());
        Assert.Contains($"OK {sizes.Count} components shown", tsv.Error, StringComparison.Ordinal);
        Assert.True(await context.AuditLog.AnyAsync(e => e.Action == "graph.components" && e.Purpose == "network review 2026/12"));
    }

    [Theory]
    [InlineData("--min-size", "0", "--min-size")]
    [InlineData("--top", "5000", "--top")]
    [InlineData("--agency", "XX-NONE", "no agency 'XX-NONE'")]
    [InlineData("--format", "xml", "--format")]
    public async Task Components_BadInput_IsOneLineAndExit1(string option, string value, string says)
    {
        await using var database = await TestDatabase.CreateAsync("sqlite", migrate: false);
        var db = $"sqlite:{database.Location.Target}";
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "MA-DGST", "--name", "DGST", "--country", "MA")).ExitCode);
        string[] args = option == "--agency" ? ["graph", "components", "--db", db, "--agency", value] : ["graph", "components", "--db", db, "--agency", "MA-DGST", option, value];

        var result = await Jisr.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(says, line, StringComparison.Ordinal);
    }
}
