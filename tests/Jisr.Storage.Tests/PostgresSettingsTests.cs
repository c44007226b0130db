using Npgsql;

namespace Jisr.Storage.Tests;

/// <summary>The node's PostgreSQL connection defaults (docs/postgresql.md): applied where the operator set nothing, never over what they set.</summary>
public sealed class PostgresSettingsTests
{
    [Fact]
    public void AConnectionStringWithoutThem_GetsAutoPrepareAndNoResetOnClose()
    {
        var settings = new NpgsqlConnectionStringBuilder(JisrDatabase.WithPostgresDefaults("Host=db;Database=jisr;Username=jisr;Password=secret"));

        Assert.Equal(64, settings.MaxAutoPrepare);
        Assert.True(settings.NoResetOnClose);
        Assert.Equal("db", settings.Host);
        Assert.Equal("secret", settings.Password);
    }

    [Fact]
    public void TheOperatorsOwnValues_AreKept()
    {
        var settings = new NpgsqlConnectionStringBuilder(JisrDatabase.WithPostgresDefaults("Host=db;Database=jisr;Max Auto Prepare=0;No Reset On Close=false"));
        var otherSpelling = new NpgsqlConnectionStringBuilder(JisrDatabase.WithPostgresDefaults("Host=db;Database=jisr;maxautoprepare=8;NoResetOnClose=false"));

        Assert.Equal(0, settings.MaxAutoPrepare);
        Assert.False(settings.NoResetOnClose);
        Assert.Equal(8, otherSpelling.MaxAutoPrepare);
        Assert.False(otherSpelling.NoResetOnClose);
    }
}
