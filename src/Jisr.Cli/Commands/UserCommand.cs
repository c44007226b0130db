using System.CommandLine;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Storage.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr user add</c>: create a user account.</summary>
internal static class UserCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
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
        var add = new Command("add", "Create a user") { db, auditKey, agency, user, roles, clearance, displayName, passwordStdin };
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
        return new Command("user", "Manage user accounts") { add };
    }
}
