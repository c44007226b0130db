using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Jisr.Storage.Tests;

/// <summary>
/// Both contexts run on a compiled model (<c>src/Jisr.Storage/CompiledModels</c>, found by EF Core through its assembly
/// attribute): no model building at a process's start. A compiled model is a copy: a configuration or migration
/// changed without regenerating it would run on the old model. These tests compare the compiled model with the model
/// the configurations build now (the design-time model), entity by entity and property by property, and fail with the
/// script that regenerates both.
/// </summary>
public sealed class CompiledModelTests
{
    private const string Regenerate = "the compiled model of {0}JisrDbContext is stale: run scripts/compiled-models";

    [Fact]
    public void Sqlite_RunsOnItsCompiledModel_AndItMatchesTheConfigurations()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Check(db, typeof(CompiledModels.Sqlite.SqliteJisrDbContextModel), "Sqlite");
    }

    [Fact]
    public void Postgres_RunsOnItsCompiledModel_AndItMatchesTheConfigurations()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]); // no server is contacted
        Check(db, typeof(CompiledModels.Postgres.PostgresJisrDbContextModel), "Postgres");
    }

    [Fact]
    public void TheComparison_SeesAChangedModel()
    {
        // The comparison must be able to fail: the two providers' models differ (column types, the search columns).
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.NotEqual(Describe(sqlite.Model), Describe(postgres.Model));
    }

    private static void Check(JisrDbContext db, Type compiledType, string provider)
    {
        Assert.IsType(compiledType, db.Model);
        var built = db.GetService<IDesignTimeModel>().Model;
        Assert.IsNotType(compiledType, built);
        var compiled = Describe(db.Model);
        var current = Describe(built);
        Assert.Contains(current, line => line.Contains("an unknown stored value refused", StringComparison.Ordinal)); // the enums' read check is compared, not only present
        var missing = current.Except(compiled, StringComparer.Ordinal).Take(10).ToList();
        var extra = compiled.Except(current, StringComparer.Ordinal).Take(10).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            string.Format(CultureInfo.InvariantCulture, Regenerate, provider) +
            $"\nin the configurations, not in the compiled model:\n  {string.Join("\n  ", missing)}\nin the compiled model, not in the configurations:\n  {string.Join("\n  ", extra)}");
    }

    /// <summary>
    /// What queries and saves depend on, one line per fact. Only facets a compiled model keeps: SQL kept for migrations
    /// alone (default and computed column SQL, index filters, constraint names) is not in it, and migrations are made
    /// from the configurations, not from the compiled model.
    /// </summary>
    private static List<string> Describe(IModel model)
    {
        var lines = new List<string>();
        foreach (var type in model.GetEntityTypes().OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var name = type.Name;
            lines.Add($"{name}: base {type.BaseType?.Name}, table {type.GetSchema()}.{type.GetTableName()}, view {type.GetViewName()}, discriminator {type.GetDiscriminatorValue()}, owned {type.IsOwned()}");
            DescribeProperties(lines, name, type);
            foreach (var key in type.GetDeclaredKeys())
            {
                lines.Add($"{name}: key {Names(key.Properties)} primary {key.IsPrimaryKey()}");
            }

            foreach (var foreignKey in type.GetDeclaredForeignKeys())
            {
                lines.Add($"{name}: foreign key {Names(foreignKey.Properties)} to {foreignKey.PrincipalEntityType.Name} {Names(foreignKey.PrincipalKey.Properties)}, {foreignKey.DeleteBehavior}, required {foreignKey.IsRequired}, unique {foreignKey.IsUnique}");
            }

            foreach (var navigation in type.GetDeclaredNavigations())
            {
                lines.Add($"{name}: navigation {navigation.Name} to {navigation.TargetEntityType.Name}, collection {navigation.IsCollection}, field {navigation.FieldInfo?.Name}, access {navigation.GetPropertyAccessMode()}");
            }

            foreach (var index in type.GetDeclaredIndexes())
            {
                lines.Add($"{name}: index {index.GetDatabaseName()} on {Names(index.Properties)}, unique {index.IsUnique}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static void DescribeProperties(List<string> lines, string owner, ITypeBase type)
    {
        foreach (var property in type.GetDeclaredProperties())
        {
            var converter = property.GetValueConverter();
            lines.Add($"{owner}.{property.Name}: {property.ClrType}, nullable {property.IsNullable}, column {property.GetColumnName()} {property.GetColumnType()}, " +
                $"max length {property.GetMaxLength()}, precision {property.GetPrecision()}, provider type {property.GetProviderClrType() ?? converter?.ProviderClrType}, " +
                $"converted {converter is not null}{UnknownRead(converter)}, generated {property.ValueGenerated}, concurrency {property.IsConcurrencyToken}, " +
                $"shadow {property.IsShadowProperty()}, field {property.FieldInfo?.Name}, access {property.GetPropertyAccessMode()}");
        }

        foreach (var complex in type.GetDeclaredComplexProperties())
        {
            lines.Add($"{owner}.{complex.Name}: complex {complex.ComplexType.ClrType}, nullable {complex.IsNullable}, collection {complex.IsCollection}");
            DescribeProperties(lines, $"{owner}.{complex.Name}", complex.ComplexType);
        }
    }

    /// <summary>
    /// What an enum's converter does with a stored value the enum does not name (the checking converters of
    /// <c>EnumColumns</c> refuse it): the behaviour, not only the converter's presence, a stale compiled model could lose.
    /// </summary>
    private static string UnknownRead(Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? converter)
    {
        var model = converter is null ? null : Nullable.GetUnderlyingType(converter.ModelClrType) ?? converter.ModelClrType;
        if (converter is null || model is not { IsEnum: true })
        {
            return "";
        }

        var provider = Nullable.GetUnderlyingType(converter.ProviderClrType) ?? converter.ProviderClrType;
        object unknown = provider == typeof(string) ? "no-such-value" : Convert.ChangeType(provider == typeof(byte) ? 250 : 30_000, provider, System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            return $", an unknown stored value read as {converter.ConvertFromProvider(unknown)}";
        }
        catch (Exception refused) when (refused is not OutOfMemoryException)
        {
            return $", an unknown stored value refused ({refused.GetType().Name})";
        }
    }

    private static string Names(IEnumerable<IReadOnlyProperty> properties) => string.Join(",", properties.Select(p => p.Name));
}
