using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Caching.Memory;

namespace Jisr.Storage;

/// <summary>
/// A set of compiled queries (the <c>EF.CompileQuery</c> delegates a <typeparamref name="TQueries"/> holds) for each
/// memory cache of EF Core's services. EF Core builds a compiled query's executor once, on the services of the first
/// context that runs it (its command cache reads that context's memory cache), and afterwards checks only that a later
/// context has the same model. Every context runs on one compiled model (<c>CompiledModels</c>), so a context whose
/// options carry another memory cache (<c>UseMemoryCache</c>: a test's, a host's) would pass that check and run on the
/// first context's cache, disposed or not (<see cref="ObjectDisposedException"/> once its owner is gone). A set per memory cache shares an executor exactly as widely
/// as EF Core shares the queries it compiles itself, which it keeps in that cache.
/// </summary>
internal static class CompiledQuerySets<TQueries>
    where TQueries : class, new()
{
    private static readonly ConditionalWeakTable<IMemoryCache, TQueries> ByCache = [];

    public static TQueries Of(DbContext db) => ByCache.GetValue(db.GetService<IMemoryCache>(), static _ => new TQueries());
}
