using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

public sealed class AuditVerifyCommandTests
{
    [Fact]
    public async Task AuditVerify_OnIntactChain_PrintsOkAndCount_AndOnTamperedEntry_NamesIt()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var db = $"sqlite:{database.Location.Target}";
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "MA-POL", "--name", "المديرية العامة للأمن الوطني", "--country", "MA")).ExitCode);
        Assert.Equal(0, (await Jisr.RunAsync("user", "add", "--db", db, "--agency", "MA-POL", "--user", "amina", "--role", "analyst")).ExitCode);
        Assert.Equal(0, (await Jisr.RunAsync("token", "create", "--db", db, "--user", "amina")).ExitCode);

        var ok = await Jisr.RunAsync("audit", "verify", "--db", db);

        Assert.Equal(0, ok.ExitCode);
        Assert.Equal(["OK 3 entries; 3 signed checkpoints, the last at entry 3"], ok.OutputLines); // each command signs one as it ends

        await using (var context = database.Open())
        {
            var entry = await context.AuditLog.SingleAsync(e => e.Sequence == 2);
            entry.ActorName = "jisr-clj"; // one byte
            await context.SaveChangesAsync();
        }

        var broken = await Jisr.RunAsync("audit", "verify", "--db", db);

        Assert.Equal(1, broken.ExitCode);
        Assert.Single(broken.OutputLines);
        Assert.StartsWith("BROKEN at entry 2: ", broken.OutputLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_WithBadDatabaseOption_FailsWithOneClearLine()
    {
        var result = await Jisr.RunAsync("audit", "verify", "--db", "mysql:somewhere");

        Assert.NotEqual(0, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("sqlite:PATH or postgres:CONNECTION-STRING", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserAdd_ForUnknownAgency_FailsWithOneClearLine()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");

        var result = await Jisr.RunAsync("user", "add", "--db", $"sqlite:{database.Location.Target}", "--agency", "XX-NONE", "--user", "x", "--role", "analyst");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("jisr: --agency: no agency XX-NONE on this node (add it with 'jisr agency add')", result.Error.Trim());
    }

    [Fact]
    public async Task UnknownCommand_ExitsWithUsageError()
    {
        var result = await Jisr.RunAsync("frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
