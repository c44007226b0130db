using System.CommandLine;
using Jisr.Server;
using Jisr.Storage;
using Microsoft.Extensions.Hosting;

namespace Jisr.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var urls = new Option<string>("--urls") { Description = "Address to listen on", DefaultValueFactory = _ => NodeOptions.DefaultUrls };
        var command = new Command("serve", "Run a Jisr node") { db, urls };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = new NodeOptions(DatabaseLocation.Parse(parsed.GetValue(db)), parsed.GetValue(urls)!);
            await using var app = await JisrNode.StartAsync(options, cancellationToken: cancellationToken);
            Console.WriteLine($"Jisr node ready at {string.Join(", ", app.Urls)} (database {options.Database}). Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
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
