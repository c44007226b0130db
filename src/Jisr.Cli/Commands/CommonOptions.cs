using System.CommandLine;
using Jisr.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Cli.Commands;

internal static class CommonOptions
{
    public static Option<string> Database() => new("--db")
    {
        Description = "Database: sqlite:PATH (default sqlite:jisr.db) or postgres:CONNECTION-STRING",
        DefaultValueFactory = _ => DatabaseLocation.Default,
    };

    /// <summary>Migrates the database and returns a service provider with storage registered, for one command.</summary>
    public static async Task<ServiceProvider> OpenStorageAsync(string db, CancellationToken cancellationToken)
    {
        var location = DatabaseLocation.Parse(db);
        await JisrDatabase.MigrateAsync(location, cancellationToken);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddJisrStorage(location);
        return services.BuildServiceProvider();
    }
}
