using System.Net.Http.Headers;
using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Server;
using Jisr.Storage.Accounts;
using Jisr.Storage.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jisr.Testing;

/// <summary>A real node (Kestrel on a free loopback port) over a fresh database, with helpers to add agencies and users.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private static readonly AuditEvent By = new("", ActorName: "test");
    private readonly List<HttpClient> _clients = [];

    /// <summary>The passphrase of every federated test node's key (each node has its own key file).</summary>
    public const string NodeKeyPassphrase = "test node key passphrase";

    private NodeOptions? _options;
    private Action<WebApplicationBuilder>? _configureNode;

    private TestNode(TestDatabase database, WebApplication app)
    {
        Database = database;
        App = app;
        BaseAddress = new Uri(app.Urls.First());
    }

    public TestDatabase Database { get; }

    public WebApplication App { get; private set; }

    public Uri BaseAddress { get; }

    /// <summary>The node's federation key fingerprint (federated nodes only).</summary>
    public string? Fingerprint => App.Services.GetRequiredService<Storage.Federation.NodeIdentity>().Key?.Fingerprint;

    /// <summary>
    /// A federated node: HTTPS on a free loopback port with the certificate made from its own federation key (a
    /// fresh key file beside its database), ready to be peered.
    /// </summary>
    public static async Task<TestNode> StartFederatedAsync(string provider = "sqlite", TimeProvider? clock = null, Server.HitCheck.HitFilterOptions? hitFilters = null, Action<WebApplicationBuilder>? configure = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var keyDirectory = Directory.CreateTempSubdirectory("jisr-node-key-");
        var options = new NodeOptions(database.Location, "https://127.0.0.1:0")
        {
            NodeKey = new Storage.NodeKeyOptions { KeyPath = Path.Combine(keyDirectory.FullName, "node-key"), Passphrase = NodeKeyPassphrase },
            Audit = new Storage.AuditOptions { KeyPath = Path.Combine(keyDirectory.FullName, "audit-key") },
            Clock = clock,
            HitFilters = hitFilters,
        };
        void Configure(WebApplicationBuilder builder)
        {
            if (clock is not null)
            {
                builder.Services.AddSingleton(clock);
            }

            builder.Logging.AddFilter("Jisr.Requests", LogLevel.Warning);
            configure?.Invoke(builder);
        }

        var app = await JisrNode.StartAsync(options, Configure);
        var node = new TestNode(database, app) { _configureNode = Configure };

        // Restarts listen where the node listened first, so its peers find it again.
        node._options = options with { Urls = node.BaseAddress.GetLeftPart(UriPartial.Authority) };
        return node;
    }

    /// <summary>What a federated node was started with (its database, key and audit key files), for work done while it is stopped.</summary>
    public NodeOptions? Options => _options;

    /// <summary>Stops the node (as a crash or maintenance would, in-flight work cancelled); <see cref="StartAgainAsync"/> brings it back.</summary>
    public async Task StopAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>Starts a stopped federated node again on the same database, key and address.</summary>
    public async Task StartAgainAsync()
    {
        App = await JisrNode.StartAsync(_options ?? throw new InvalidOperationException("only federated test nodes restart"), _configureNode);
    }

    /// <summary>
    /// A node over a fresh database (or <paramref name="database"/>, e.g. one a bench keeps); <paramref name="clock"/>
    /// replaces the system clock everywhere in it. Request log lines are left out (thousands per test class, read by
    /// no one) unless <paramref name="configure"/> adds a logger.
    /// </summary>
    public static async Task<TestNode> StartAsync(string provider = "sqlite", TimeProvider? clock = null, Action<WebApplicationBuilder>? configure = null, Jisr.Server.Auth.SignInLimits? signInLimits = null, TestDatabase? database = null)
    {
        database ??= await TestDatabase.CreateAsync(provider);
        var app = await JisrNode.StartAsync(
            new NodeOptions(database.Location, "http://127.0.0.1:0") { SignInLimits = signInLimits },
            builder =>
            {
                if (clock is not null)
                {
                    builder.Services.AddSingleton(clock);
                }

                if (configure is null)
                {
                    builder.Logging.AddFilter("Jisr.Requests", LogLevel.Warning);
                }
                else
                {
                    configure(builder);
                }
            });
        return new TestNode(database, app);
    }

    public async Task<Agency> AddAgencyAsync(string code, string country = "MA")
    {
        await using var scope = App.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        return await accounts.CreateAgencyAsync(Agency.Create(code, $"Agency {code}", country, DateTimeOffset.UtcNow), By);
    }

    /// <summary>An existing agency (<see cref="AddAgencyAsync"/> made it on an earlier run over a kept database).</summary>
    public async Task<Agency> ExistingAgencyAsync(string code)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountService>().FindAgencyAsync(code) ?? throw new InvalidOperationException($"no agency {code} in {Database.Location.Target}");
    }

    /// <summary>An existing user (<see cref="AddUserAsync"/> made them on an earlier run over a kept database), with a fresh API token.</summary>
    public async Task<TestUser> ExistingUserAsync(Agency agency, string userName)
    {
        ArgumentNullException.ThrowIfNull(agency);
        await using var scope = App.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var user = await accounts.FindUserAsync(userName) ?? throw new InvalidOperationException($"no user {userName} in {Database.Location.Target}");
        var token = (await accounts.IssueTokenAsync(new UserId(user.Id), "test", null, By)).Secret;
        return new TestUser(user.Id, userName, agency, token, CreateClient(token));
    }

    /// <summary>Creates a user and returns an HTTP client that authenticates as them with a fresh API token.</summary>
    public async Task<TestUser> AddUserAsync(Agency agency, string userName, Role[] roles, Classification clearance = Classification.Secret, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(agency);
        await using var scope = App.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var user = await accounts.CreateUserAsync(agency.Id, userName, null, roles, clearance, password, By);
        var token = (await accounts.IssueTokenAsync(new UserId(user.Id), "test", null, By)).Secret;

        // Those who must sign in with a second factor get one, as the node's operator would set it up.
        var secondFactor = password is not null && Jisr.Policy.AccessPolicy.SignInNeedsSecondFactor(roles)
            ? (await accounts.ResetSecondFactorAsync(user, enable: true, By)).Key
            : null;
        return new TestUser(user.Id, userName, agency, token, CreateClient(token), secondFactor);
    }

    public HttpClient CreateClient(string? token = null)
    {
        // A federated node's certificate is its own, self-signed: pinned here as peers pin it.
        var pinned = Fingerprint;
        var handler = new SocketsHttpHandler();
        if (pinned is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && Server.Federation.PeerChannel.FingerprintOf(certificate) == pinned;
        }

        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await App.StopAsync();
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary><see cref="SecondFactorKey"/>: the authenticator key of a user who signs in with a second factor (see <see cref="Totp"/>).</summary>
public sealed record TestUser(Guid Id, string UserName, Agency Agency, string Token, HttpClient Client, string? SecondFactorKey = null)
{
    /// <summary>The sign-in body for this user: the password, and the current code where the account needs one.</summary>
    public object Login(string password) => new { userName = UserName, password, code = SecondFactorKey is { } key ? Totp.Code(key) : null };
}
