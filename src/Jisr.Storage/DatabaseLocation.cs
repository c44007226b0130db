namespace Jisr.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where a node keeps its data, as given to <c>--db</c>: <c>sqlite:PATH</c> (the default, <c>sqlite:jisr.db</c>)
/// or <c>postgres:CONNECTION-STRING</c>.
/// </summary>
public sealed record DatabaseLocation(DatabaseProvider Provider, string Target)
{
    public const string Default = "sqlite:jisr.db";

    public static DatabaseLocation Parse(string? value)
    {
        var text = string.IsNullOrWhiteSpace(value) ? Default : value.Trim();
        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["sqlite:".Length..];
            if (path.Length == 0)
            {
                throw new ArgumentException("--db sqlite: needs a file path, e.g. sqlite:jisr.db");
            }

            return new DatabaseLocation(DatabaseProvider.Sqlite, path);
        }

        if (text.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase))
        {
            var connection = text["postgres:".Length..];
            if (connection.Length == 0)
            {
                throw new ArgumentException("--db postgres: needs a connection string, e.g. postgres:Host=127.0.0.1;Username=jisr;Database=jisr");
            }

            return new DatabaseLocation(DatabaseProvider.Postgres, connection);
        }

        throw new ArgumentException($"--db must be sqlite:PATH or postgres:CONNECTION-STRING, not '{Redact(text)}'");
    }

    /// <summary>A form safe to print: never shows a password.</summary>
    public override string ToString() => Provider == DatabaseProvider.Sqlite ? $"sqlite:{Target}" : $"postgres:{Redact(Target)}";

    private static string Redact(string text) =>
        string.Join(';', text.Split(';').Select(part =>
            part.TrimStart().StartsWith("password", StringComparison.OrdinalIgnoreCase) ? "Password=***" : part));
}
