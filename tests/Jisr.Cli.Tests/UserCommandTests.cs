using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary><c>jisr user disable|enable|access|password|revoke-tokens</c> on the node's database, each change audited.</summary>
public sealed class UserCommandTests
{
    [Fact]
    public async Task UserCommands_ChangeTheAccount_AndEachChangeIsAudited()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var db = $"sqlite:{database.Location.Target}";
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "MA-POL", "--name", "Police", "--country", "MA")).ExitCode);
        Assert.Equal(0, (await Jisr.RunAsync("user", "add", "--db", db, "--agency", "MA-POL", "--user", "amina", "--role", "analyst")).ExitCode);
        Assert.Equal(0, (await Jisr.RunAsync("token", "create", "--db", db, "--user", "amina")).ExitCode);

        Assert.Equal(["OK user amina disable"], (await Jisr.RunAsync("user", "disable", "--db", db, "--agency", "MA-POL", "--user", "amina")).OutputLines);
        await using (var context = database.Open())
        {
            Assert.NotNull((await context.Users.SingleAsync(u => u.UserName == "amina")).DisabledAt);
        }

        Assert.Equal(0, (await Jisr.RunAsync("user", "enable", "--db", db, "--agency", "MA-POL", "--user", "amina")).ExitCode);
        Assert.Equal(0, (await Jisr.RunAsync("user", "access", "--db", db, "--agency", "MA-POL", "--user", "amina", "--role", "analyst,legal-reviewer", "--clearance", "SECRET")).ExitCode);
        Assert.Equal(0, (await Jisr.RunWithInputAsync("a new long enough password\n", "user", "password", "--db", db, "--agency", "MA-POL", "--user", "amina")).ExitCode);
        Assert.Equal(0, (await Jisr.RunAsync("user", "revoke-tokens", "--db", db, "--agency", "MA-POL", "--user", "amina")).ExitCode);
        var secondFactor = await Jisr.RunAsync("user", "second-factor", "--db", db, "--agency", "MA-POL", "--user", "amina");
        var (key, uri) = (secondFactor.OutputLines[0].Split('\t')[0], secondFactor.OutputLines[0].Split('\t')[1]);
        Assert.Matches("^[A-Z2-7]{16,}$", key);
        Assert.Equal($"otpauth://totp/Jisr:amina?secret={key}&issuer=Jisr&digits=6&period=30", uri);

        await using (var context = database.Open())
        {
            var amina = await context.Users.SingleAsync(u => u.UserName == "amina");
            Assert.Null(amina.DisabledAt);
            Assert.Equal([Role.Analyst, Role.LegalReviewer], amina.Roles);
            Assert.Equal(Classification.Secret, amina.Clearance);
            Assert.NotNull(amina.PasswordHash);
            Assert.True(amina.TwoFactorEnabled);
            Assert.All(await context.ApiTokens.Where(t => t.UserId == amina.Id).ToListAsync(), t => Assert.NotNull(t.RevokedAt));
            var actions = await context.AuditLog.Where(e => e.TargetId == amina.Id.ToString("D")).Select(e => e.Action).ToListAsync();
            Assert.Subset(actions.ToHashSet(), new HashSet<string> { "user.disable", "user.enable", "user.access.change", "user.password.reset", "user.tokens.revoke" });
        }

        Assert.Equal(0, (await Jisr.RunAsync("audit", "verify", "--db", db)).ExitCode);
    }

    [Fact]
    public async Task UserCommand_OnAUserOfAnotherAgency_FailsWithOneClearLine_AndChangesNothing()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var db = $"sqlite:{database.Location.Target}";
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "MA-POL", "--name", "Police", "--country", "MA")).ExitCode);
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "MA-INT", "--name", "Renseignement", "--country", "MA")).ExitCode);
        Assert.Equal(0, (await Jisr.RunAsync("user", "add", "--db", db, "--agency", "MA-POL", "--user", "amina", "--role", "analyst")).ExitCode);

        var result = await Jisr.RunAsync("user", "disable", "--db", db, "--agency", "MA-INT", "--user", "amina");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("jisr: --user: no user amina in agency MA-INT", result.Error.Trim());
        await using var context = database.Open();
        Assert.Null((await context.Users.SingleAsync(u => u.UserName == "amina")).DisabledAt);
    }
}
