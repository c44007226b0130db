using System.Text.Json.Nodes;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary><c>jisr xref</c> on the demo data set: ranked hits with reasons, audited with the purpose; bad input is one line and exit 1.</summary>
public sealed class XrefCommandTests
{
    [Fact]
    public async Task Xref_RanksTheAgencysPersonsAgainstWhatPartnersReleased_AndAuditsIt()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite", migrate: false);
        var db = $"sqlite:{database.Location.Target}";
        Assert.Equal(0, (await Jisr.RunAsync("demo", "--db", db)).ExitCode);

        var partners = await Jisr.RunAsync("xref", "--db", db, "--agency", "MA-DGST", "--purpose", "network review 2026/12");
        var all = await Jisr.RunAsync("xref", "--db", db, "--agency", "MA-DGST", "--against", "all-own", "--format", "json");

        Assert.Equal(0, partners.ExitCode);
        Assert.Equal("score\tperson_a\tname_a\tperson_b\tname_b\texplanation", partners.OutputLines[0]);
        var hits = partners.OutputLines.Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal(6, h.Length));
        var scores = hits.Select(h => double.Parse(h[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(scores, s => Assert.InRange(s, 0.5, 1.0));
        Assert.Contains($"OK {hits.Count} hits:", partners.Error, StringComparison.Ordinal);
        Assert.Contains("(partners)", partners.Error, StringComparison.Ordinal);

        // The same run as JSON (each person whole, read after the scoring) holds the TSV's hits, in its order, with its labels.
        var partnersJson = await Jisr.RunAsync("xref", "--db", db, "--agency", "MA-DGST", "--format", "json");
        Assert.Equal(0, partnersJson.ExitCode);
        Assert.Equal(
            hits.Select(h => $"{h[0]} {h[1]} {h[2]} {h[3]} {h[4]} {h[5]}"),
            JsonNode.Parse(partnersJson.Output)!.AsArray().Select(h => string.Join(' ',
                h!["score"]!.GetValue<double>().ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture),
                h["a"]!["id"], h["a"]!["label"], h["b"]!["id"], h["b"]!["label"], h["explanation"])));
        Assert.Contains($"OK {hits.Count} hits:", partnersJson.Error, StringComparison.Ordinal);

        Assert.Equal(0, all.ExitCode);
        var json = JsonNode.Parse(all.Output)!.AsArray();
        Assert.True(json.Count >= hits.Count, $"{json.Count} hits against all, {hits.Count} against partners");
        Assert.All(json, h => Assert.NotEmpty(h!["evidence"]!.AsArray()));

        await using var context = database.Open();
        Assert.True(await context.AuditLog.AnyAsync(e => e.Action == "fusion.xref" && e.Purpose == "network review 2026/12"));
    }

    [Theory]
    [InlineData("--against", "everyone", "against")]
    [InlineData("--agency", "XX-NONE", "no agency 'XX-NONE'")]
    [InlineData("--format", "xml", "--format")]
    public async Task Xref_BadInput_IsOneLineAndExit1(string option, string value, string says)
    {
        await using var database = await TestDatabase.CreateAsync("sqlite", migrate: false);
        var db = $"sqlite:{database.Location.Target}";
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "MA-DGST", "--name", "DGST", "--country", "MA")).ExitCode);
        string[] args = option == "--agency" ? ["xref", "--db", db, "--agency", value] : ["xref", "--db", db, "--agency", "MA-DGST", option, value];

        var result = await Jisr.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(says, line, StringComparison.Ordinal);
    }
}
