using Jisr.Server;
using Jisr.Server.Operations;
using Jisr.Storage.Audit;
using Jisr.Storage.Seeding;
using Microsoft.Extensions.Hosting;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr serve</c>: run a node (migrating its database first), optionally with the demo data set loaded.</summary>
internal static class ServeCommand
{
    public const string CertificatePasswordVariable = "JISR_CERTIFICATE_PASSWORD";

    public static Command Create()
    {
        var db = CommonOptions.Database();
        var urls = new Option<string>("--urls") { Description = "Address to listen on", DefaultValueFactory = _ => NodeOptions.DefaultUrls };
        var demo = new Option<bool>("--demo") { Description = "Load the demo data set (if not loaded yet) and print the demo accounts with fresh API tokens" };
        var certificate = new Option<string?>("--certificate")
        {
            Description = $"PKCS#12 (.pfx) file with the node's TLS certificate and key, for https:// addresses (served with HSTS); its password in the environment variable {CertificatePasswordVariable}",
        };
        var auditKey = CommonOptions.AuditKey();
        var nodeKey = CommonOptions.NodeKey();
        var checkpointEntries = new Option<int>("--checkpoint-every-entries")
        {
            Description = "Sign an audit checkpoint after this many entries",
            DefaultValueFactory = _ => AuditCheckpointPolicy.DefaultEveryEntries,
        };
        var checkpointMinutes = new Option<int>("--checkpoint-every-minutes")
        {
            Description = "Sign an audit checkpoint this often when entries were written since the last one",
            DefaultValueFactory = _ => (int)AuditCheckpointPolicy.DefaultInterval.TotalMinutes,
        };
        var command = new Command("serve", "Run a Jisr node") { db, urls, demo, certificate, auditKey, nodeKey, checkpointEntries, checkpointMinutes };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            if (parsed.GetValue(checkpointEntries) < 1 || parsed.GetValue(checkpointMinutes) < 1)
            {
                throw new CommandException("--checkpoint-every-entries and --checkpoint-every-minutes must be at least 1");
            }

            var location = DatabaseLocation.Parse(parsed.GetValue(db));
            var options = new NodeOptions(location, parsed.GetValue(urls)!)
            {
                CertificatePath = parsed.GetValue(certificate),
                CertificatePassword = Environment.GetEnvironmentVariable(CertificatePasswordVariable),
                NodeKey = CommonOptions.NodeKeyOptions(location, parsed.GetValue(nodeKey)),
                Audit = new AuditOptions
                {
                    KeyPath = CommonOptions.AuditKeyPath(location, parsed.GetValue(auditKey)),
                    CheckpointEveryEntries = parsed.GetValue(checkpointEntries),
                    CheckpointInterval = TimeSpan.FromMinutes(parsed.GetValue(checkpointMinutes)),
                },
            };
            options.Validate();
            await JisrDatabase.MigrateAsync(options.Database, cancellationToken);
            await using var app = JisrNode.Build(options);
            var readiness = app.Services.GetRequiredService<NodeReadiness>();
            if (parsed.GetValue(demo))
            {
                readiness.Starting("the demo data set is being loaded");
            }

            await app.StartAsync(cancellationToken);
            if (parsed.GetValue(demo))
            {
                await using var scope = app.Services.CreateAsyncScope();
                var accounts = await ActivatorUtilities.CreateInstance<DemoLoader>(scope.ServiceProvider).LoadAsync(cancellationToken);
                Console.WriteLine("Demo accounts (agency, user, role, API token):");
                DemoCommand.Print(accounts);
            }

            readiness.Ready();

            Console.WriteLine($"Jisr node ready at {string.Join(", ", app.Urls)} (database {options.Database}). Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
