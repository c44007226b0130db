using Jisr.Domain.Markings;
using Jisr.Domain.Users;

namespace Jisr.Cli.Commands;

/// <summary>
/// <c>jisr user add|disable|enable|access|password|second-factor|revoke-tokens</c>: user accounts from the node's machine. The
/// command line acts as the node's operator, who holds the database itself: its changes are audited as
/// <c>jisr-cli</c> and need no second administrator (that is how the first administrators of an agency are made).
/// </summary>
internal static class UserCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
        var agency = new Option<string>("--agency") { Description = "Code of the user's agency", Required = true };
        var user = new Option<string>("--user") { Description = "User name (lower-case letters, digits, . - _ @)", Required = true };
        var roles = RoleOption();
        var clearance = new Option<string>("--clearance")
        {
            Description = $"Highest classification the user may see: {string.Join(", ", Marking.ClassificationNames.All)}",
            DefaultValueFactory = _ => "RESTRICTED",
        };
        var displayName = new Option<string?>("--display-name") { Description = "Name shown in the interface" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read a password (at least 12 characters) from the first line of standard input" };
        var add = new Command("add", "Create a user") { db, auditKey, agency, user, roles, clearance, displayName, passwordStdin };
        add.SetAction(async (parsed, cancellationToken) =>
        {
            string? password = null;
            if (parsed.GetValue(passwordStdin))
            {
                password = await Console.In.ReadLineAsync(cancellationToken) ?? throw new CommandException("--password-stdin: standard input is empty");
            }

            var roleValues = ParseRoles(parsed.GetValue(roles)!);
            var clearanceValue = Marking.ClassificationNames.Parse(parsed.GetValue(clearance), "--clearance");
            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var agencyCode = parsed.GetValue(agency)!;
            var found = await accounts.FindAgencyAsync(agencyCode, cancellationToken)
                ?? throw new CommandException($"--agency: no agency {agencyCode} on this node (add it with 'jisr agency add')");
            var created = await accounts.CreateUserAsync(
                found.Id, parsed.GetValue(user)!, parsed.GetValue(displayName), roleValues, clearanceValue, password, CommonOptions.CliActor, cancellationToken: cancellationToken);
            Console.WriteLine($"OK user {created.UserName} {created.Id}");
            return 0;
        });
        return new Command("user", "Manage user accounts")
        {
            add,
            Change("disable", "Disable a user: sessions end, API tokens stop; nothing is deleted", (accounts, account, _, ct) => accounts.SetDisabledAsync(account, true, CommonOptions.CliActor, ct)),
            Change("enable", "Enable a disabled user", (accounts, account, _, ct) => accounts.SetDisabledAsync(account, false, CommonOptions.CliActor, ct)),
            Access(),
            Change("password", "Set a new password read from the first line of standard input; the user's sessions end", async (accounts, account, _, ct) =>
            {
                var password = await Console.In.ReadLineAsync(ct) ?? throw new CommandException("standard input is empty: give the new password on its first line");
                await accounts.ResetPasswordAsync(account, password, CommonOptions.CliActor, ct);
            }),
            Change("second-factor", "Set up a new second factor (TOTP) for a user, required at sign-in at once; prints the key and its otpauth:// address to hand over", async (accounts, account, _, ct) =>
            {
                var key = await accounts.ResetSecondFactorAsync(account, enable: true, CommonOptions.CliActor, ct);
                Console.WriteLine($"{key.Key}\t{key.Uri}");
            }),
            Change("revoke-tokens", "Revoke every API token of a user", (accounts, account, _, ct) => accounts.RevokeAllTokensAsync(account, CommonOptions.CliActor, ct)),
        };
    }

    /// <summary><c>jisr user access</c>: the whole new set of roles and the clearance.</summary>
    private static Command Access()
    {
        var roles = RoleOption();
        var clearance = new Option<string>("--clearance") { Description = "Highest classification the user may see", Required = true };
        return Change("access", "Set a user's roles and clearance", (accounts, account, parsed, ct) =>
            accounts.ChangeAccessAsync(account, ParseRoles(parsed.GetValue(roles)!), Marking.ClassificationNames.Parse(parsed.GetValue(clearance), "--clearance"), CommonOptions.CliActor, ct), roles, clearance);
    }

    /// <summary>A change to one existing account, named by agency and user name.</summary>
    private static Command Change(string name, string description, Func<AccountService, JisrUser, ParseResult, CancellationToken, Task> change, params Option[] extra)
    {
        var db = CommonOptions.Database();
        var agency = new Option<string>("--agency") { Description = "Code of the user's agency", Required = true };
        var user = new Option<string>("--user") { Description = "User name", Required = true };
        var auditKey = CommonOptions.AuditKey();
        var command = new Command(name, description) { db, agency, user, auditKey };
        foreach (var option in extra)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var agencyCode = parsed.GetValue(agency)!;
            var found = await accounts.FindAgencyAsync(agencyCode, cancellationToken)
                ?? throw new CommandException($"--agency: no agency {agencyCode} on this node");
            var userName = parsed.GetValue(user)!;
            var account = await accounts.FindUserAsync(userName);
            if (account is null || account.AgencyId != found.Id)
            {
                throw new CommandException($"--user: no user {userName} in agency {found.Code}");
            }

            await change(accounts, account, parsed, cancellationToken);
            Console.WriteLine($"OK user {account.UserName} {name}");
            return 0;
        });
        return command;
    }

    private static Option<string[]> RoleOption() => new("--role")
    {
        Description = $"Role, repeatable: {string.Join(", ", Roles.Names.All)}",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    private static List<Role> ParseRoles(IEnumerable<string> values) =>
        [.. values.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(r => Roles.Names.Parse(r, "--role"))];
}
