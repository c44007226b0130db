using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Jisr.Storage;

public static class StorageServices
{
    /// <summary>The shortest password an account takes (length is the one rule: long passphrases beat character classes).</summary>
    public const int MinimumPasswordLength = 12;

    /// <summary>Everything a node or a CLI command needs to use the database: the context, accounts (Identity), the audit log and the stores.</summary>
    public static IServiceCollection AddJisrStorage(this IServiceCollection services, DatabaseLocation location, AuditOptions? audit = null, NodeKeyOptions? nodeKey = null)
    {
        audit ??= new AuditOptions();
        nodeKey ??= new NodeKeyOptions();

        // The federation key is opened (or created) only where a passphrase is given: without one, federation is off.
        services.AddSingleton(_ => new Federation.NodeIdentity(nodeKey.Passphrase is { Length: > 0 } passphrase
            ? Federation.NodeKey.LoadOrCreate(nodeKey.KeyPath ?? Federation.NodeKey.DefaultPath(location), passphrase)
            : null));
        services.AddScoped<Federation.FederationStore>();
        services.AddScoped<HitCheck.HitFilterStore>();
        services.AddScoped<HitCheck.HitRequestStore>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(location);
        services.AddJisrDatabase(location);
        services.AddSingleton(sp => new AuditLog(
            JisrDatabase.PooledFactory(location),
            sp.GetRequiredService<TimeProvider>(),
            new AuditCheckpointPolicy(AuditSigningKey.LoadOrCreate(audit.KeyPath ?? AuditSigningKey.DefaultPath(location)))
            {
                EveryEntries = audit.CheckpointEveryEntries,
                Interval = audit.CheckpointInterval,
            },
            sp.GetService<ILogger<AuditLog>>(),
            audit.QueueCapacity));
        services.AddScoped<JobLeases>();
        services.AddScoped<RecordStore>();
        if (location.Provider == DatabaseProvider.Sqlite)
        {
            services.AddSingleton(sp => new SqliteReadLanes(location, sp.GetRequiredService<DbContextOptions<SqliteJisrDbContext>>()));
        }

        services.AddScoped<DeclassificationStore>();
        services.AddScoped<EntityStore>();
        services.AddScoped<LinkGraph>();
        services.AddScoped<ReviewQueue>();
        services.AddScoped<SubjectAccessStore>();
        services.AddSingleton<EntityCache>();
        services.AddSingleton<PersonNames>();
        services.AddScoped<RetentionPurge>();
        services.AddScoped<AccountService>();
        services.AddScoped<DatabaseHealth>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<Sharing.AgreementStore>();
        services.AddScoped<Sharing.ReleaseStore>();
        services.AddScoped<Notices.NoticeStore>();
        services.AddScoped<Fusion.FusionStore>();
        services.AddScoped<Fusion.XrefJobStore>();
        services.AddScoped<Exchange.StixObjectStore>();
        services.AddDataProtection().SetApplicationName("jisr").PersistKeysToDbContext<JisrDbContext>();
        services.AddIdentityCore<JisrUser>(options =>
            {
                options.Password.RequiredLength = MinimumPasswordLength;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.AllowedForNewUsers = false;
                options.User.RequireUniqueEmail = false;
                options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyz0123456789-._@";
            })
            .AddUserStore<JisrUserStore>()
            .AddTokenProvider<AuthenticatorTokenProvider<JisrUser>>(TokenOptions.DefaultAuthenticatorProvider);
        return services;
    }
}

/// <summary>How a node's audit log signs checkpoints, and how many entries may wait for the group commit.</summary>
public sealed record AuditOptions
{
    /// <summary>The audit key file; null for <see cref="AuditSigningKey.DefaultPath"/>.</summary>
    public string? KeyPath { get; init; }

    public int CheckpointEveryEntries { get; init; } = AuditCheckpointPolicy.DefaultEveryEntries;

    public TimeSpan CheckpointInterval { get; init; } = AuditCheckpointPolicy.DefaultInterval;

    public int QueueCapacity { get; init; } = AuditLog.DefaultQueueCapacity;
}

/// <summary>Where the node's federation key is (null: next to the database) and the passphrase that opens it (null: federation off).</summary>
public sealed record NodeKeyOptions
{
    public string? KeyPath { get; init; }

    public string? Passphrase { get; init; }

    /// <summary>Keeps the passphrase out of logs and exception messages that print the options.</summary>
    public override string ToString() => $"NodeKeyOptions {{ KeyPath = {KeyPath}, Passphrase = {(Passphrase is null ? "none" : "***")} }}";
}
