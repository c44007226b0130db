using System.CommandLine;
using Jisr.Domain.Agencies;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Storage.Accounts;
using Jisr.Storage.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr agency add</c>: register an agency on this node.</summary>
internal static class AgencyCommands
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var code = new Option<string>("--code") { Description = "Agency code, e.g. MA-DGSN", Required = true };
        var name = new Option<string>("--name") { Description = "Official name", Required = true };
        var country = new Option<string>("--country") { Description = "ISO 3166-1 alpha-2 country code, or INT", Required = true };
        var add = new Command("add", "Register an agency") { db, code, name, country };
        add.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            var agency = await accounts.CreateAgencyAsync(
                Agency.Create(parsed.GetValue(code), parsed.GetValue(name), parsed.GetValue(country), time.GetUtcNow()), CliActor, cancellationToken);
            Console.WriteLine($"OK agency {agency.Code} {agency.Id}");
            return 0;
        });
        return new Command("agency", "Manage agencies") { add };
    }

    internal static readonly AuditEvent CliActor = new("", ActorName: "jisr-cli");
}

/// <summary><c>jisr user add</c>: create a user account.</summary>
internal static class UserCommands
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var agency = new Option<string>("--agency") { Description = "Code of the user's agency", Required = true };
        var user = new Option<string>("--user") { Description = "User name (lower-case letters, digits, . - _ @)", Required = true };
        var roles = new Option<string[]>("--role")
        {
            Description = $"Role, repeatable: {string.Join(", ", Roles.Names.All)}",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var clearance = new Option<string>("--clearance")
        {
            Description = $"Highest classification the user may see: {string.Join(", ", Marking.ClassificationNames.All)}",
            DefaultValueFactory = _ => "RESTRICTED",
        };
        var displayName = new Option<string?>("--display-name") { Description = "Name shown in the interface" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read a password (at least 12 characters) from the first line of standard input" };
        var add = new Command("add", "Create a user") { db, agency, user, roles, clearance, displayName, passwordStdin };
        add.SetAction(async (parsed, cancellationToken) =>
        {
            string? password = null;
            if (parsed.GetValue(passwordStdin))
            {
                password = await Console.In.ReadLineAsync(cancellationToken) ?? throw new CommandException("--password-stdin: standard input is empty");
            }

            var roleValues = parsed.GetValue(roles)!.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries))
                .Select((r, i) => Roles.Names.Parse(r, "--role")).ToList();
            var clearanceValue = Marking.ClassificationNames.Parse(parsed.GetValue(clearance), "--clearance");
            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var agencyCode = parsed.GetValue(agency)!;
            var found = await accounts.FindAgencyAsync(agencyCode, cancellationToken)
                ?? throw new CommandException($"--agency: no agency {agencyCode} on this node (add it with 'jisr agency add')");
            var created = await accounts.CreateUserAsync(
                found.Id, parsed.GetValue(user)!, parsed.GetValue(displayName), roleValues, clearanceValue, password, AgencyCommands.CliActor, cancellationToken: cancellationToken);
            Console.WriteLine($"OK user {created.UserName} {created.Id}");
            return 0;
        });
        return new Command("user", "Manage user accounts") { add };
    }
}

/// <summary><c>jisr token create</c>: issue a personal API token (printed once).</summary>
internal static class TokenCommands
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var user = new Option<string>("--user") { Description = "User name", Required = true };
        var name = new Option<string>("--name") { Description = "What the token is for", DefaultValueFactory = _ => "cli" };
        var days = new Option<int?>("--expires-days") { Description = "Days until the token expires (default: never)" };
        var create = new Command("create", "Issue an API token and print it (it is shown only once)") { db, user, name, days };
        create.SetAction(async (parsed, cancellationToken) =>
        {
            var expiresDays = parsed.GetValue(days);
            if (expiresDays is <= 0)
            {
                throw new CommandException("--expires-days must be a positive number of days");
            }

            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            var userName = parsed.GetValue(user)!;
            var account = await accounts.FindUserAsync(userName) ?? throw new CommandException($"--user: no user {userName} on this node");
            var expires = expiresDays is { } d ? time.GetUtcNow().AddDays(d) : (DateTimeOffset?)null;
            Console.WriteLine((await accounts.IssueTokenAsync(account.Id, parsed.GetValue(name)!, expires, AgencyCommands.CliActor, cancellationToken)).Secret);
            return 0;
        });
        return new Command("token", "Manage API tokens") { create };
    }
}

/// <summary><c>jisr audit verify</c>: walk the hash chain.</summary>
internal static class AuditCommands
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var verify = new Command("verify", "Check the audit log's hash chain: 'OK N entries' or 'BROKEN at entry N: REASON' (exit 1)") { db };
        verify.SetAction(async (parsed, cancellationToken) =>
        {
            var location = Storage.DatabaseLocation.Parse(parsed.GetValue(db));
            await Storage.JisrDatabase.MigrateAsync(location, cancellationToken);
            await using var context = Storage.JisrDatabase.Open(location);
            var result = await AuditVerifier.VerifyAsync(context, cancellationToken);
            if (result.IsIntact)
            {
                Console.WriteLine($"OK {result.EntriesChecked} entries");
                return 0;
            }

            Console.WriteLine($"BROKEN at entry {result.BrokenAt}: {result.Reason}");
            return 1;
        });
        return new Command("audit", "Audit log") { verify };
    }
}
