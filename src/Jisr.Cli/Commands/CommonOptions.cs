using System.CommandLine;
using Jisr.Storage;
using Jisr.Storage.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Cli.Commands;

/// <summary>What the commands share: the <c>--db</c> option, opening the storage, and the actor the audit log names for the command line.</summary>
internal static class CommonOptions
{
    /// <summary>The audit actor of changes made from the command line (each change names its own action).</summary>
    public static readonly AuditEvent CliActor = new("", ActorName: "jisr-cli");

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
