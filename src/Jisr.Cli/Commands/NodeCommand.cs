using Jisr.Storage.Federation;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr node init|show</c>: the node's federation identity (id, agencies, key fingerprint to give partners).</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var init = Build("init", "Create the node's federation key if it does not exist yet (passphrase in $" + NodeKey.PassphraseVariable + ") and show it", create: true);
        var show = Build("show", "Show the node's id, its agencies and its key fingerprint (to give partners out of band)", create: false);
        return new Command("node", "This node's federation identity") { init, show };
    }

    private static Command Build(string name, string description, bool create)
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
        var nodeKey = CommonOptions.NodeKey();
        var command = new Command(name, description) { db, auditKey, nodeKey };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var location = Storage.DatabaseLocation.Parse(parsed.GetValue(db));
            var options = CommonOptions.NodeKeyOptions(location, parsed.GetValue(nodeKey));
            if (options.Passphrase is null)
            {
                throw new CommandException($"set {NodeKey.PassphraseVariable} to the passphrase of the node key (at least 12 characters)");
            }

            if (!create && !File.Exists(options.KeyPath))
            {
                throw new CommandException($"this node has no federation key at {options.KeyPath}: run 'jisr node init' first");
            }

            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), cancellationToken, parsed.GetValue(nodeKey));
            var key = services.GetRequiredService<NodeIdentity>().Require();
            await using var scope = services.CreateAsyncScope();
            var agencies = await scope.ServiceProvider.GetRequiredService<FederationStore>().OwnAgenciesAsync(cancellationToken);
            Console.WriteLine($"node\t{FederationStore.ShortId(key.Fingerprint)}");
            Console.WriteLine($"fingerprint\t{key.Fingerprint}");
            Console.WriteLine($"agencies\t{string.Join(',', agencies.Select(a => a.Code))}");
            Console.WriteLine($"key\t{key.Path}");
            return 0;
        });
        return command;
    }
}
