using Jisr.Storage.Audit;

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

    /// <summary>
    /// The node's audit key file. Every process writing one database (the node and the CLI beside it) must use the same
    /// one, so the option reads <c>JISR_AUDIT_KEY</c> when it is not given.
    /// </summary>
    public static Option<string?> AuditKey() => new("--audit-key")
    {
        Description = $"Audit signing key file, created on first use with mode 0600 (default: $JISR_AUDIT_KEY, else DB{AuditSigningKey.FileSuffix} next to a SQLite file, ./{AuditSigningKey.PostgresDefaultFile} for PostgreSQL)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("JISR_AUDIT_KEY") is { Length: > 0 } path ? path : null,
    };

    /// <summary>The node's federation key file; its passphrase is read from <c>JISR_NODE_KEY_PASSPHRASE</c>, never from the arguments.</summary>
    public static Option<string?> NodeKey() => new("--node-key")
    {
        Description = $"Federation key file (encrypted; passphrase in ${Storage.Federation.NodeKey.PassphraseVariable}), created on first use with mode 0600 (default: $JISR_NODE_KEY, else DB{Storage.Federation.NodeKey.FileSuffix} next to a SQLite file, ./{Storage.Federation.NodeKey.PostgresDefaultFile} for PostgreSQL)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("JISR_NODE_KEY") is { Length: > 0 } path ? path : null,
    };

    /// <summary>The federation key options for <paramref name="location"/>: the file given or the default, the passphrase from the environment.</summary>
    public static NodeKeyOptions NodeKeyOptions(DatabaseLocation location, string? given) => new()
    {
        KeyPath = given ?? Storage.Federation.NodeKey.DefaultPath(location),
        Passphrase = Environment.GetEnvironmentVariable(Storage.Federation.NodeKey.PassphraseVariable) is { Length: > 0 } passphrase ? passphrase : null,
    };

    /// <summary>The key file for <paramref name="location"/>: the one given, else the default.</summary>
    public static string AuditKeyPath(DatabaseLocation location, string? given) => given ?? AuditSigningKey.DefaultPath(location);

    /// <summary>Migrates the database and returns a service provider with storage registered, for one command.</summary>
    public static async Task<ServiceProvider> OpenStorageAsync(string db, string? auditKey, CancellationToken cancellationToken, string? nodeKey = null, Action<IServiceCollection>? more = null)
    {
        var location = DatabaseLocation.Parse(db);
        await JisrDatabase.MigrateAsync(location, cancellationToken);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddJisrStorage(location, new AuditOptions { KeyPath = AuditKeyPath(location, auditKey) }, NodeKeyOptions(location, nodeKey));
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
