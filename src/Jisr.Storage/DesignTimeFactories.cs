using Microsoft.EntityFrameworkCore.Design;

namespace Jisr.Storage;

/// <summary>Used by <c>dotnet ef migrations add ... --context SqliteJisrDbContext</c>; never at run time.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteJisrDbContext>
{
    public SqliteJisrDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteJisrDbContext>();
        JisrDatabase.ConfigureSqlite(options, "design-time.db");
        return new SqliteJisrDbContext(options.Options);
    }
}

/// <summary>Used by <c>dotnet ef migrations add ... --context PostgresJisrDbContext</c>; no server is contacted.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresJisrDbContext>
{
    public PostgresJisrDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresJisrDbContext>();
        JisrDatabase.ConfigurePostgres(options, "Host=localhost;Database=jisr_design");
        return new PostgresJisrDbContext(options.Options);
    }
}
