using Jisr.Storage.Federation;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr node init|show|rotate-key</c>: the node's federation identity (id, agencies, key fingerprint to give partners).</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var init = Build("init", "Create the node's federation key if it does not exist yet (passphrase in $" + NodeKey.PassphraseVariable + ") and show it", create: true);
        var show = Build("show", "Show the node's id, its agencies and its key fingerprint (to give partners out of band)", create: false);
        return new Command("node", "This node's federation identity") { init, show, RotateKey() };
    }

    /// <summary>
    /// <c>jisr node rotate-key --db DB</c>, with the node stopped: a new key, announced to every peer under the old one,
    /// in place of the old one when the node starts again (see docs/federation.md).
    /// </summary>
    private static Command RotateKey()
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
        var nodeKey = CommonOptions.NodeKey();
        var command = new Command("rotate-key", "Replace the node's federation key (run it with the node stopped): peers get the new key signed under the old one, and accept only the new one once they have it") { db, auditKey, nodeKey };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var location = Storage.DatabaseLocation.Parse(parsed.GetValue(db));
            var options = CommonOptions.NodeKeyOptions(location, parsed.GetValue(nodeKey));
            if (options.Passphrase is null)
            {
                throw new CommandException($"set {NodeKey.PassphraseVariable} to the passphrase of the node key (at least 12 characters)");
            }

            if (!File.Exists(options.KeyPath))
            {
                throw new CommandException($"this node has no federation key at {options.KeyPath}: run 'jisr node init' first");
            }

            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), cancellationToken, parsed.GetValue(nodeKey));
            await using var scope = services.CreateAsyncScope();
            var rotated = await Server.Federation.NodeKeyRotation.RotateAsync(
                scope.ServiceProvider.GetRequiredService<FederationStore>(),
                services.GetRequiredService<NodeIdentity>().Require(),
                options.Passphrase,
                TimeProvider.System,
                CommonOptions.CliActor,
                cancellationToken);
            Console.WriteLine($"old\t{rotated.OldFingerprint}");
            Console.WriteLine($"fingerprint\t{rotated.NewFingerprint}");
            Console.WriteLine($"announced\t{rotated.Peers} peers");
            return 0;
        });
        return command;
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
