using Jisr.Domain.Users;
using Jisr.Storage.Seeding;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr demo</c>: load the demo data set once and print the demo accounts with fresh API tokens (also used by <c>serve --demo</c>).</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
        var command = new Command("demo", "Load the demo data set (once) and print each demo user with a fresh API token: agency<TAB>user<TAB>role<TAB>token") { db, auditKey };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var loader = ActivatorUtilities.CreateInstance<DemoLoader>(scope.ServiceProvider);
            Print(await loader.LoadAsync(cancellationToken));
            return 0;
        });
        return command;
    }

    public static void Print(IEnumerable<DemoAccount> accounts)
    {
        foreach (var account in accounts)
        {
            Console.WriteLine($"{account.AgencyCode}\t{account.UserName}\t{Roles.Names[account.Role]}\t{account.Token}");
        }
    }
}
