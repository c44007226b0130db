using Jisr.Domain.Common;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr token create</c>: issue a personal API token (printed once).</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
        var user = new Option<string>("--user") { Description = "User name", Required = true };
        var name = new Option<string>("--name") { Description = "What the token is for", DefaultValueFactory = _ => "cli" };
        var days = new Option<int?>("--expires-days") { Description = "Days until the token expires (default: never)" };
        var create = new Command("create", "Issue an API token and print it (it is shown only once)") { db, auditKey, user, name, days };
        create.SetAction(async (parsed, cancellationToken) =>
        {
            var expiresDays = parsed.GetValue(days);
            if (expiresDays is <= 0)
            {
                throw new CommandException("--expires-days must be a positive number of days");
            }

            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            var userName = parsed.GetValue(user)!;
            var account = await accounts.FindUserAsync(userName) ?? throw new CommandException($"--user: no user {userName} on this node");
            var expires = expiresDays is { } d ? time.GetUtcNow().AddDays(d) : (DateTimeOffset?)null;
            Console.WriteLine((await accounts.IssueTokenAsync(new UserId(account.Id), parsed.GetValue(name)!, expires, CommonOptions.CliActor, cancellationToken)).Secret);
            return 0;
        });
        return new Command("token", "Manage API tokens") { create };
    }
}
