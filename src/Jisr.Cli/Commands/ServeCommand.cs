using System.CommandLine;
using Jisr.Server;
using Jisr.Domain.Users;
using Jisr.Storage;
using Jisr.Storage.Seeding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jisr.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var urls = new Option<string>("--urls") { Description = "Address to listen on", DefaultValueFactory = _ => NodeOptions.DefaultUrls };
        var demo = new Option<bool>("--demo") { Description = "Load the demo data set (if not loaded yet) and print the demo accounts with fresh API tokens" };
        var command = new Command("serve", "Run a Jisr node") { db, urls, demo };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = new NodeOptions(DatabaseLocation.Parse(parsed.GetValue(db)), parsed.GetValue(urls)!);
            await using var app = await JisrNode.StartAsync(options, cancellationToken: cancellationToken);
            if (parsed.GetValue(demo))
            {
                await using var scope = app.Services.CreateAsyncScope();
                var accounts = await ActivatorUtilities.CreateInstance<DemoLoader>(scope.ServiceProvider).LoadAsync(cancellationToken);
                Console.WriteLine("Demo accounts (agency, user, role, API token):");
                DemoCommand.Print(accounts);
            }

            Console.WriteLine($"Jisr node ready at {string.Join(", ", app.Urls)} (database {options.Database}). Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}

internal static class DemoCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var command = new Command("demo", "Load the demo data set (once) and print each demo user with a fresh API token: agency<TAB>user<TAB>role<TAB>token") { db };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, cancellationToken);
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

internal static class MigrateCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var command = new Command("migrate", "Create the database or bring its schema up to date") { db };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var location = DatabaseLocation.Parse(parsed.GetValue(db));
            await JisrDatabase.MigrateAsync(location, cancellationToken);
            Console.WriteLine($"OK database {location} is up to date");
            return 0;
        });
        return command;
    }
}
