using System.CommandLine;
using Jisr.Server;
using Jisr.Storage;
using Jisr.Storage.Seeding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr serve</c>: run a node (migrating its database first), optionally with the demo data set loaded.</summary>
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
