using Jisr.Server.Federation;

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
        return new Command("peer", "Manage partner nodes") { add };
    }
}
