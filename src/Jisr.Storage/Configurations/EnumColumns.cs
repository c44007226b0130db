using System.Text.Json;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Jisr.Storage.Configurations;

/// <summary>
/// Enum columns hold numbers, as EF Core stores them by default, but a number read back goes through
/// <see cref="EnumNumbers.Parse{TEnum}(int, string)"/>: a row altered to hold 42 in Tlp is refused, naming the
/// column, instead of becoming <c>(Tlp)42</c>, which the policy's comparisons would take for a real level.
/// The store type is unchanged (INTEGER / integer), so the schema and the migrations are too.
/// </summary>
internal static class EnumColumns
{
    /// <summary>
    /// A list of threat domains kept in its <c>_threatDomains</c> field and stored as their wire names joined by commas
    /// (records and agreements alike), each name read back through the vocabulary.
    /// </summary>
    public static PropertyBuilder<IReadOnlyList<ThreatDomain>> StoredAsThreatDomainNames(this PropertyBuilder<IReadOnlyList<ThreatDomain>> property) =>
        property
            .HasField("_threatDomains")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(
                v => ThreatDomainNames(v),
                s => ThreatDomainsOf(s),
                JsonConversions.ListComparer<ThreatDomain>());

    // Method calls, not lambdas inside the conversion: EF Core inlines a conversion into the compiled shaper, where a
    // nested lambda (the one Select takes) would become a new delegate on every row read. Internal: the compiled model
    // (CompiledModels) calls them by name.
    internal static string ThreatDomainNames(IReadOnlyList<ThreatDomain> domains) =>
        string.Join(',', domains.Select(d => RecordVocabulary.ThreatDomains[d]));

    internal static ThreatDomain[] ThreatDomainsOf(string names) =>
        Array.ConvertAll(names.Split(',', StringSplitOptions.RemoveEmptyEntries), n => RecordVocabulary.ThreatDomains.Parse(n, "threatDomains"));

    public static void CheckOnRead(ModelBuilder builder)
    {
        foreach (var entityType in builder.Model.GetEntityTypes())
        {
            CheckOnRead(entityType);
        }
    }

    private static void CheckOnRead(IMutableTypeBase type)
    {
        foreach (var property in type.GetDeclaredProperties())
        {
            var enumType = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            if (enumType.IsEnum && property.GetValueConverter() is null)
            {
                var field = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                property.SetValueConverter((ValueConverter)Activator.CreateInstance(typeof(CheckedEnumConverter<>).MakeGenericType(enumType), field)!);
            }
        }

        foreach (var complex in type.GetDeclaredComplexProperties())
        {
            CheckOnRead(complex.ComplexType);
        }
    }

    private sealed class CheckedEnumConverter<TEnum>(string field) : ValueConverter<TEnum, int>(
        new EnumToNumberConverter<TEnum, int>().ConvertToProviderExpression,
        number => EnumNumbers.Parse<TEnum>(number, field))
        where TEnum : struct, Enum;
}
