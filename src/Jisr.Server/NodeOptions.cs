using Jisr.Storage;

namespace Jisr.Server;

/// <summary>How a node is started: its database and the addresses it listens on.</summary>
public sealed record NodeOptions(DatabaseLocation Database, string Urls)
{
    /// <summary>How fast passwords may be tried; null for the defaults.</summary>
    public Auth.SignInLimits? SignInLimits { get; init; }

    /// <summary>Largest request body accepted; larger ones get 413 before anything is read into memory.</summary>
    public const long MaxRequestBodyBytes = 16L * 1024 * 1024;

    public const string DefaultUrls = "http://127.0.0.1:5080";
}
