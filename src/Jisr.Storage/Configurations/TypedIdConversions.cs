using System.Linq.Expressions;

namespace Jisr.Storage.Configurations;

/// <summary>
/// Typed ids are stored as the Guid underneath: the same columns as before on every provider (TEXT on SQLite, uuid on
/// PostgreSQL), so the schema and the migrations do not change. Registered once for every property of an id type
/// (and its nullable form) by <see cref="JisrDbContext"/>'s conventions, and as the default mapping of the type, so a
/// raw query or a list parameter of ids maps the same way.
/// </summary>
internal static class TypedIdConversions
{
    public static void Register(ModelConfigurationBuilder configurationBuilder)
    {
        Register<AgencyId>(configurationBuilder);
        Register<UserId>(configurationBuilder);
        Register<RecordId>(configurationBuilder);
        Register<EntityId>(configurationBuilder);
        Register<AgreementId>(configurationBuilder);
        Register<ReleaseId>(configurationBuilder);
        Register<ConsentId>(configurationBuilder);
        Register<NoticeId>(configurationBuilder);
        Register<DeclassificationId>(configurationBuilder);
    }

    private static void Register<TId>(ModelConfigurationBuilder configurationBuilder)
        where TId : struct, ITypedId<TId>
    {
        configurationBuilder.Properties<TId>().HaveConversion<TypedIdConverter<TId>>();
        configurationBuilder.Properties<TId?>().HaveConversion<TypedIdConverter<TId>>();
        configurationBuilder.DefaultTypeMapping<TId>().HasConversion<TypedIdConverter<TId>>();
    }

    /// <summary>
    /// id => id.Value and value => new TId(value), built as expression trees (a static abstract member cannot be
    /// called in one written by hand), so providers inline them into queries like any converter.
    /// </summary>
    internal sealed class TypedIdConverter<TId>() : ValueConverter<TId, Guid>(Expressions.ToGuid, Expressions.FromGuid)
        where TId : struct, ITypedId<TId>
    {
        private static class Expressions
        {
            public static readonly Expression<Func<TId, Guid>> ToGuid = BuildToGuid();

            public static readonly Expression<Func<Guid, TId>> FromGuid = BuildFromGuid();

            private static Expression<Func<TId, Guid>> BuildToGuid()
            {
                var id = Expression.Parameter(typeof(TId), "id");
                return Expression.Lambda<Func<TId, Guid>>(Expression.Property(id, nameof(ITypedId<TId>.Value)), id);
            }

            private static Expression<Func<Guid, TId>> BuildFromGuid()
            {
                var value = Expression.Parameter(typeof(Guid), "value");
                var constructor = typeof(TId).GetConstructor([typeof(Guid)])
                    ?? throw new InvalidOperationException($"{typeof(TId).Name} has no constructor taking a Guid");
                return Expression.Lambda<Func<Guid, TId>>(Expression.New(constructor, value), value);
            }
        }
    }
}
