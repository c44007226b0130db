namespace Jisr.Architecture.Tests;

public class DependencyRuleTests
{
    private static readonly string[] OurAssemblies = ["Jisr.Domain", "Jisr.Policy", "Jisr.Matching", "Jisr.Fusion", "Jisr.Storage", "Jisr.Exchange", "Jisr.Server", "jisr"];

    private static List<DependencyRule.AssemblyUse> Built() =>
        [.. OurAssemblies.Select(name => DependencyRule.Read(Path.Combine(AppContext.BaseDirectory, name + ".dll")))];

    [Fact]
    public void The_built_assemblies_obey_the_dependency_rule()
    {
        var violations = DependencyRule.Violations(Built());
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Every_assembly_of_ours_in_the_build_is_covered_by_the_rule()
    {
        var ours = Directory.GetFiles(AppContext.BaseDirectory, "Jisr.*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => !n!.EndsWith(".Tests", StringComparison.Ordinal) && n != "Jisr.Testing")
            .ToList();
        Assert.All(ours, name => Assert.Contains(name, DependencyRule.AllowedReferences.Keys));
    }

    [Fact]
    public void The_rule_sees_the_references_the_compiler_emitted()
    {
        // Guards the reader itself: if it saw nothing, every other check here would pass vacuously.
        var server = Built().Single(a => a.Name == "Jisr.Server");
        Assert.Contains("Jisr.Storage", server.Assemblies);
        Assert.Contains("Jisr.Policy.Principal", server.Types);
        var storage = Built().Single(a => a.Name == "Jisr.Storage");
        Assert.Contains(storage.Assemblies, a => a.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Jisr.Domain", "Jisr.Storage", "references Jisr.Storage")]
    [InlineData("Jisr.Policy", "Jisr.Matching", "references Jisr.Matching")]
    [InlineData("Jisr.Storage", "Jisr.Server", "references Jisr.Server")]
    [InlineData("Jisr.Exchange", "jisr", "references jisr")]
    [InlineData("Jisr.Server", "Microsoft.EntityFrameworkCore", "references Microsoft.EntityFrameworkCore")]
    public void A_forbidden_assembly_reference_is_named(string assembly, string forbidden, string expected)
    {
        var graph = Built().Select(a => a.Name == assembly ? a with { Assemblies = [.. a.Assemblies, forbidden] } : a);
        var violation = Assert.Single(DependencyRule.Violations(graph));
        Assert.Contains($"{assembly} {expected}", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_server_using_the_database_context_directly_is_named()
    {
        var graph = Built().Select(a => a.Name == "Jisr.Server" ? a with { Types = [.. a.Types, "Jisr.Storage.JisrDbContext"] } : a);
        var violation = Assert.Single(DependencyRule.Violations(graph));
        Assert.Contains("Jisr.Server uses Jisr.Storage.JisrDbContext", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assembly_outside_the_rule_is_named()
    {
        var graph = Built().Append(new DependencyRule.AssemblyUse("Jisr.Gateway", ["Jisr.Storage"], []));
        Assert.Contains(DependencyRule.Violations(graph), v => v.StartsWith("Jisr.Gateway is not in the dependency rule", StringComparison.Ordinal));
    }
}
