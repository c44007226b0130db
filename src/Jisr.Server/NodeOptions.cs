using Jisr.Storage;

namespace Jisr.Server;

/// <summary>How a node is started: its database, the addresses it listens on, and how its audit log signs checkpoints.</summary>
public sealed record NodeOptions(DatabaseLocation Database, string Urls)
{
    /// <summary>Largest request body accepted; larger ones get 413 before anything is read into memory.</summary>
    public const long MaxRequestBodyBytes = 16L * 1024 * 1024;

    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The audit key file and checkpoint intervals (defaults: the key next to a SQLite file, 1000 entries, 5 minutes).</summary>
    public AuditOptions Audit { get; init; } = new();
}
