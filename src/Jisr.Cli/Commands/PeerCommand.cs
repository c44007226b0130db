using Jisr.Server.Federation;
using Jisr.Storage.Federation;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr peer add</c>: peer with a partner node, pinned by the fingerprint its operator gave out of band.</summary>
internal static class PeerCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
        var nodeKey = CommonOptions.NodeKey();
        var url = new Option<string>("--url") { Description = "The partner node's https:// address", Required = true };
        var fingerprint = new Option<string>("--fingerprint") { Description = "The partner node's key fingerprint (as its 'jisr node show' prints it)", Required = true };
        var add = new Command("add", "Peer with a partner node: it must prove it holds the key of the fingerprint; its agencies become known here") { db, auditKey, nodeKey, url, fingerprint };
        add.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), cancellationToken, parsed.GetValue(nodeKey), more =>
            {
                more.AddSingleton<PeerChannel>();
                more.AddScoped<FederationService>();
            });
            await using var scope = services.CreateAsyncScope();
            var peer = await scope.ServiceProvider.GetRequiredService<FederationService>()
                .AddPeerAsync(CommonOptions.CliActor, parsed.GetValue(url), parsed.GetValue(fingerprint), cancellationToken);
            Console.WriteLine($"OK peer {peer.NodeId} {peer.Url} agencies {string.Join(',', peer.Agencies)}");
            return 0;
        });
        return new Command("peer", "Manage partner nodes") { add, Checkpoints() };
    }

    /// <summary>
    /// <c>jisr peer checkpoints --db DB --peer NODE --out FILE</c>: the signed audit checkpoints a peer sent here, as a
    /// file <c>jisr audit verify --checkpoints FILE</c> reads against that peer's own database.
    /// </summary>
    private static Command Checkpoints()
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
        var nodeKey = CommonOptions.NodeKey();
        var peerId = new Option<string>("--peer") { Description = "The peer's node id or fingerprint", Required = true };
        var output = new Option<string>("--out") { Description = "File to write the peer's checkpoints and audit key to (a new file)", Required = true };
        var command = new Command("checkpoints", "Export the signed audit checkpoints a peer sent here, to check its audit chain with 'jisr audit verify --checkpoints'") { db, auditKey, nodeKey, peerId, output };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), cancellationToken, parsed.GetValue(nodeKey));
            await using var scope = services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<FederationStore>();
            var wanted = (parsed.GetValue(peerId) ?? "").Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
            var peer = (await store.ListPeersAsync(cancellationToken)).FirstOrDefault(p => wanted.Length >= 16 && p.Fingerprint.StartsWith(wanted, StringComparison.Ordinal))
                ?? throw new CommandException($"--peer: no peer with node id or fingerprint '{parsed.GetValue(peerId)}' (see GET /api/v1/federation/peers)");
            var (pem, checkpoints) = await CheckpointExchange.ReceivedFromAsync(store, peer.Id, cancellationToken);
            if (pem is null)
            {
                throw new CommandException($"node {FederationStore.ShortId(peer.Fingerprint)} has sent no audit checkpoint yet");
            }

            var path = parsed.GetValue(output)!;
            if (File.Exists(path))
            {
                throw new CommandException($"--out: {path} exists already; give a new file");
            }

            using var key = Storage.Audit.AuditPublicKey.FromPem(pem);
            foreach (var checkpoint in checkpoints)
            {
                Storage.Audit.AuditCheckpointFile.Append(path, key, checkpoint);
            }

            Console.WriteLine($"OK {checkpoints.Count} checkpoints of node {FederationStore.ShortId(peer.Fingerprint)}, the last at entry {checkpoints[^1].Sequence}, in {path}");
            return 0;
        });
        return command;
    }
}
