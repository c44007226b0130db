using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Jisr.Architecture.Tests;

/// <summary>
/// The dependency rule of the architecture brief, as data: which of our assemblies each may reference, and which
/// outside assemblies and types it must never touch. Dependencies point inward: Domain depends on nothing of ours;
/// Policy and Matching on Domain only; Fusion on Domain and Matching; Storage and Exchange never on Server or the command line; Server and the
/// command line on the rest. The Server reaches the database only through Storage's stores and services, so it
/// never references EF Core or the database context.
/// </summary>
public static class DependencyRule
{
    public static readonly IReadOnlyDictionary<string, string[]> AllowedReferences = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Jisr.Domain"] = [],
        ["Jisr.Policy"] = ["Jisr.Domain"],
        ["Jisr.Matching"] = ["Jisr.Domain"],
        ["Jisr.Fusion"] = ["Jisr.Domain", "Jisr.Matching"],
        ["Jisr.Storage"] = ["Jisr.Domain", "Jisr.Policy", "Jisr.Matching", "Jisr.Fusion"],
        ["Jisr.Exchange"] = ["Jisr.Domain", "Jisr.Policy", "Jisr.Matching", "Jisr.Fusion"],
        ["Jisr.Server"] = ["Jisr.Domain", "Jisr.Policy", "Jisr.Matching", "Jisr.Fusion", "Jisr.Storage", "Jisr.Exchange"],
        ["jisr"] = ["Jisr.Domain", "Jisr.Policy", "Jisr.Matching", "Jisr.Fusion", "Jisr.Storage", "Jisr.Exchange", "Jisr.Server"],
    };

    /// <summary>Outside assemblies (by name prefix) an assembly must not reference.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ForbiddenAssemblyPrefixes = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Jisr.Domain"] = ["Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Npgsql"],
        ["Jisr.Policy"] = ["Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Npgsql"],
        ["Jisr.Matching"] = ["Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Npgsql"],
        ["Jisr.Fusion"] = ["Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Npgsql", "Microsoft.Data.Sqlite", "System.Net.Http"],
        ["Jisr.Server"] = ["Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.Data.Sqlite"],
    };

    /// <summary>Types of our own (full names) an assembly must not use, even without referencing their package.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ForbiddenTypes = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Jisr.Server"] = ["Jisr.Storage.JisrDbContext", "Jisr.Storage.SqliteJisrDbContext", "Jisr.Storage.PostgresJisrDbContext"],
    };

    /// <summary>What an assembly uses: the assemblies and the types its metadata references.</summary>
    public sealed record AssemblyUse(string Name, IReadOnlyList<string> Assemblies, IReadOnlyList<string> Types);

    /// <summary>Reads an assembly's references from its metadata (what the compiled code really uses, not what the project file lists).</summary>
    public static AssemblyUse Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var name = metadata.GetString(metadata.GetAssemblyDefinition().Name);
        var assemblies = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
        var types = metadata.TypeReferences.Select(h => metadata.GetTypeReference(h))
            .Select(t => $"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}").Distinct().ToList();
        return new AssemblyUse(name, assemblies, types);
    }

    /// <summary>Every breach of the rule in a graph of assemblies, one readable line each; empty when the graph obeys it.</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<AssemblyUse> graph)
    {
        var violations = new List<string>();
        foreach (var use in graph)
        {
            if (!AllowedReferences.TryGetValue(use.Name, out var allowed))
            {
                violations.Add($"{use.Name} is not in the dependency rule: add it to DependencyRule.AllowedReferences with the layer it belongs to");
                continue;
            }

            violations.AddRange(use.Assemblies
                .Where(a => AllowedReferences.ContainsKey(a) && a != use.Name && !allowed.Contains(a))
                .Select(a => $"{use.Name} references {a}, which the dependency rule forbids"));
            violations.AddRange(use.Assemblies
                .Where(a => ForbiddenAssemblyPrefixes.GetValueOrDefault(use.Name, []).Any(p => a.StartsWith(p, StringComparison.Ordinal)))
                .Select(a => $"{use.Name} references {a}: go through Jisr.Storage's stores and services instead"));
            violations.AddRange(use.Types
                .Where(t => ForbiddenTypes.GetValueOrDefault(use.Name, []).Contains(t))
                .Select(t => $"{use.Name} uses {t}: go through Jisr.Storage's stores and services instead"));
        }

        return violations;
    }
}
