using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Server;
using Jisr.Server.Federation;
using Jisr.Storage.Federation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Jisr.Cli.Commands;

/// <summary>
/// <c>jisr federation demo --dir DIR</c>: three sovereign nodes (MA-DGST, ES-CNP, FR-DGSI) on 127.0.0.1, each with its
/// own SQLite database, federation key and HTTPS port under DIR, peered with each other by fingerprint, with agreements
/// and releases between them; prints each node's URL and demo accounts and runs until interrupted. Running it again on
/// the same DIR starts the same nodes with what they hold (fresh tokens are printed).
/// </summary>
internal static class FederationCommand
{
    private static readonly (string Code, string Name, string Country, string Short)[] Agencies =
    [
        ("MA-DGST", "Direction générale de la surveillance du territoire", "MA", "ma"),
        ("ES-CNP", "Comisaría General de Información, Cuerpo Nacional de Policía", "ES", "es"),
        ("FR-DGSI", "Direction générale de la sécurité intérieure", "FR", "fr"),
    ];

    private static readonly (string Suffix, Role Role)[] Accounts =
    [
        ("admin", Role.Administrator), ("operator", Role.NodeAdministrator), ("analyst", Role.Analyst), ("reviewer", Role.LegalReviewer),
    ];

    public static Command Create()
    {
        var dir = new Option<string>("--dir") { Description = "Directory for the three nodes' databases and keys (created if missing)", Required = true };
        var port = new Option<int>("--port") { Description = "First of three consecutive HTTPS ports on 127.0.0.1", DefaultValueFactory = _ => 5441 };
        var demo = new Command("demo", "Start three peered nodes (MA-DGST, ES-CNP, FR-DGSI) on 127.0.0.1 with demo data; print URLs and accounts; run until Ctrl+C") { dir, port };
        demo.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(dir)!, parsed.GetValue(port), cancellationToken));
        return new Command("federation", "Several sovereign nodes together") { demo };
    }

    private static async Task<int> RunAsync(string directory, int firstPort, CancellationToken cancellationToken)
    {
        if (firstPort is < 1 or > 65533)
        {
            throw new CommandException("--port must leave room for three ports (1-65533)");
        }

        var nodes = new List<DemoNode>();
        try
        {
            for (var i = 0; i < Agencies.Length; i++)
            {
                nodes.Add(await StartAsync(Path.GetFullPath(directory), Agencies[i], firstPort + i, cancellationToken));
            }

            foreach (var node in nodes)
            {
                foreach (var other in nodes.Where(n => n != node))
                {
                    await PeerAsync(node, other, cancellationToken);
                }
            }

            await LoadDemoDataAsync(nodes, cancellationToken);
            foreach (var node in nodes)
            {
                Console.WriteLine($"node {node.Code}\t{node.Url}\tnode id {FederationStore.ShortId(node.Fingerprint)}\tfingerprint {node.Fingerprint}");
            }

            Console.WriteLine("Demo accounts (agency, user, role, API token); the nodes' certificates are self-signed: pin the fingerprint, or curl -k:");
            foreach (var node in nodes)
            {
                foreach (var (user, role, token) in node.Tokens)
                {
                    Console.WriteLine($"{node.Code}\t{user}\t{Roles.Names[role]}\t{token}");
                }
            }

            Console.WriteLine("ready: three peered nodes; Ctrl+C stops them");
            await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            return 0;
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.App.StopAsync(CancellationToken.None);
                await node.App.DisposeAsync();
                node.Client.Dispose();
            }
        }
    }

    private static async Task<DemoNode> StartAsync(string directory, (string Code, string Name, string Country, string Short) agency, int port, CancellationToken cancellationToken)
    {
        var home = Path.Combine(directory, agency.Code);
        Directory.CreateDirectory(home);
        var database = Path.Combine(home, "jisr.db");
        var location = DatabaseLocation.Parse($"sqlite:{database}");
        var options = new NodeOptions(location, $"https://127.0.0.1:{port}")
        {
            NodeKey = new NodeKeyOptions { KeyPath = database + NodeKey.FileSuffix, Passphrase = Passphrase(home) },
            Audit = new AuditOptions { KeyPath = CommonOptions.AuditKeyPath(location, null) },
        };
        var app = await JisrNode.StartAsync(options, builder => builder.Logging.AddFilter("Jisr.Requests", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning), cancellationToken);
        var by = CommonOptions.CliActor;
        var tokens = new List<(string, Role, string)>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            var registered = await accounts.FindAgencyAsync(agency.Code, cancellationToken)
                ?? await accounts.CreateAgencyAsync(Agency.Create(agency.Code, agency.Name, agency.Country, time.GetUtcNow()), by, cancellationToken);
            foreach (var (suffix, role) in Accounts)
            {
                var name = $"{suffix}.{agency.Short}";
                var user = await accounts.FindUserAsync(name)
                    ?? await accounts.CreateUserAsync(registered.Id, name, null, [role], Classification.Secret, null, by, cancellationToken: cancellationToken);
                tokens.Add((name, role, (await accounts.IssueTokenAsync(new UserId(user.Id), "federation demo", null, by, cancellationToken)).Secret));
            }
        }

        var fingerprint = app.Services.GetRequiredService<NodeIdentity>().Require().Fingerprint;
        var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && PeerChannel.FingerprintOf(certificate) == fingerprint },
        })
        { BaseAddress = new Uri($"https://127.0.0.1:{port}/") };
        return new DemoNode(agency.Code, app, new Uri($"https://127.0.0.1:{port}/"), fingerprint, tokens, client);
    }

    /// <summary>The demo's node-key passphrase: <c>JISR_NODE_KEY_PASSPHRASE</c>, else one made once and kept (0600) beside the node's files.</summary>
    private static string Passphrase(string home)
    {
        if (Environment.GetEnvironmentVariable(NodeKey.PassphraseVariable) is { Length: >= 12 } given)
        {
            return given;
        }

        var file = Path.Combine(home, "node-key.passphrase");
        if (!File.Exists(file))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var writer = new StreamWriter(new FileStream(file, options));
            writer.Write(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        }

        return File.ReadAllText(file).Trim();
    }

    private static async Task PeerAsync(DemoNode node, DemoNode other, CancellationToken cancellationToken)
    {
        await using var scope = node.App.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<FederationStore>();
        if (await store.FindPeerByFingerprintAsync(other.Fingerprint, cancellationToken) is null)
        {
            await scope.ServiceProvider.GetRequiredService<FederationService>().AddPeerAsync(CommonOptions.CliActor, other.Url.ToString(), other.Fingerprint, cancellationToken);
        }
    }

    /// <summary>Once per directory: agreements MA-DGST–ES-CNP and ES-CNP–FR-DGSI, proposed on one node and accepted on the other; releases from MA-DGST to ES-CNP.</summary>
    private static async Task LoadDemoDataAsync(List<DemoNode> nodes, CancellationToken cancellationToken)
    {
        var (morocco, spain, france) = (nodes[0], nodes[1], nodes[2]);
        if ((await morocco.GetAsync("admin", "/api/v1/agreements", cancellationToken)).AsArray().Count > 0)
        {
            return;
        }

        var now = morocco.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await AgreeAsync(morocco, spain, ["terrorism", "drug-trafficking", "organised-crime"], "CONFIDENTIAL", today, cancellationToken);
        await AgreeAsync(spain, france, ["terrorism", "cybercrime"], "RESTRICTED", today, cancellationToken);
        foreach (var (title, classification) in new[] { ("Cargaison suspecte au port de Tanger Med", "RESTRICTED"), ("Réseau de passeurs entre Nador et Melilla", "CONFIDENTIAL") })
        {
            var record = await morocco.PostAsync("analyst", "/api/v1/records", Record(title, classification, now), cancellationToken);
            await morocco.PostAsync("analyst", $"/api/v1/records/{record["id"]}/releases", new JsonObject { ["agency"] = spain.Code, ["note"] = "opération conjointe" }, cancellationToken);
        }
    }

    private static async Task AgreeAsync(DemoNode proposer, DemoNode partner, string[] domains, string classification, DateOnly today, CancellationToken cancellationToken)
    {
        var agreement = await proposer.PostAsync("admin", "/api/v1/agreements", new JsonObject
        {
            ["partner"] = partner.Code,
            ["threatDomains"] = new JsonArray([.. domains.Select(d => JsonValue.Create(d))]),
            ["highestClassification"] = classification,
            ["handlingCodes"] = new JsonArray("H0", "H1", "H2"),
            ["validFrom"] = today.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["validUntil"] = today.AddYears(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken);
        var id = agreement["id"]!.GetValue<Guid>();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var response = await partner.SendAsync("admin", HttpMethod.Post, $"/api/v1/agreements/{id}/accept", null, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                break;
            }

            await Task.Delay(100, cancellationToken);
        }

        // The acceptance travels back; the releases below need the agreement in force on the proposer's node too.
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if ((await proposer.GetAsync("admin", $"/api/v1/agreements/{id}", cancellationToken))["status"]!.GetValue<string>() == "in-force")
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new CommandException($"the agreement between {proposer.Code} and {partner.Code} did not come into force on both nodes within 30 s");
    }

    private static JsonObject Record(string title, string classification, DateTimeOffset now) => new()
    {
        ["kind"] = "intelligence-report",
        ["title"] = title,
        ["body"] = "Observation conjointe ; détails dans le rapport.",
        ["language"] = "fr",
        ["legalBasis"] = "Loi n° 03-03 relative à la lutte contre le terrorisme",
        ["purpose"] = "Prévention du trafic et du terrorisme",
        ["retentionUntil"] = now.AddYears(5).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["reviewDate"] = DateOnly.FromDateTime(now.UtcDateTime.AddYears(1)).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["marking"] = new JsonObject { ["classification"] = classification, ["tlp"] = "AMBER", ["handling"] = "H1" },
        ["sourceGrading"] = "B2",
        ["threatDomains"] = new JsonArray("drug-trafficking", "organised-crime"),
        ["entities"] = new JsonArray(
            new JsonObject { ["ref"] = "p1", ["type"] = "person", ["names"] = new JsonArray("يوسف الإدريسي", "Youssef El Idrissi"), ["nationalities"] = new JsonArray("MA") },
            new JsonObject { ["ref"] = "ph", ["type"] = "phone", ["number"] = "+212 6-61 23 45 67" }),
        ["links"] = new JsonArray(new JsonObject { ["from"] = "p1", ["to"] = "ph", ["type"] = "owns" }),
    };

    private sealed record DemoNode(string Code, WebApplication App, Uri Url, string Fingerprint, List<(string User, Role Role, string Token)> Tokens, HttpClient Client)
    {
        public async Task<HttpResponseMessage> SendAsync(string who, HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Single(t => t.User.StartsWith(who + ".", StringComparison.Ordinal)).Token);
            return await Client.SendAsync(request, cancellationToken);
        }

        public async Task<JsonNode> GetAsync(string who, string path, CancellationToken cancellationToken)
        {
            using var response = await SendAsync(who, HttpMethod.Get, path, null, cancellationToken);
            return await Answer(response, path, cancellationToken);
        }

        public async Task<JsonObject> PostAsync(string who, string path, JsonObject body, CancellationToken cancellationToken)
        {
            using var response = await SendAsync(who, HttpMethod.Post, path, body, cancellationToken);
            return (await Answer(response, path, cancellationToken)).AsObject();
        }

        private async Task<JsonNode> Answer(HttpResponseMessage response, string path, CancellationToken cancellationToken)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode
                ? JsonNode.Parse(text)!
                : throw new CommandException($"{Code}: {path} answered {(int)response.StatusCode}: {text}");
        }
    }
}
