using Jisr.Domain.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Jisr.Architecture.Tests;

/// <summary>
/// Every validation refusal under src/ carries a stable code from <see cref="ValidationCodes"/>, so the web interface
/// can say it in the reader's language beside the field: no <c>new DomainValidationException(...)</c> outside its own
/// file (its field-and-message constructor is private; <c>Coded</c> is the way), and every <c>Guard.That</c> and
/// <c>DomainValidationException.Coded</c> call names its code as a <c>ValidationCodes</c> constant, never as a literal.
/// The source is parsed with Roslyn, so strings, comments and line breaks inside a call cannot hide one.
/// </summary>
public sealed class ValidationCodeRules
{
    private const string ExceptionFile = "DomainValidationException.cs";
    private const string GuardFile = "Guard.cs";

    [Fact]
    public void Every_refusal_under_src_names_a_validation_code()
    {
        var offences = new List<string>();
        var calls = 0;
        foreach (var file in SourceFiles())
        {
            var name = Path.GetFileName(file);
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file).GetRoot();
            var found = Offences(root, name, ref calls);
            offences.AddRange(found.Select(o => $"{Path.GetRelativePath(RepositoryRoot(), file)}:{o}"));
        }

        Assert.Empty(offences);

        // The rule cannot pass by seeing nothing: the tree holds well over a hundred coded refusals.
        Assert.True(calls > 150, $"only {calls} coded refusals found under src/");
    }

    [Theory]
    [InlineData("class C { void M() { Guard.That(x, \"f\", \"is wrong\"); } }", 1)]
    [InlineData("class C { void M() { Guard.That(x, \"f\", \"some-code\", \"is wrong\"); } }", 1)]
    [InlineData("class C { void M() { throw new DomainValidationException(\"f\", \"is wrong\"); } }", 1)]
    [InlineData("class C { void M() { throw DomainValidationException.Coded(\"f\", code, \"is wrong\"); } }", 1)]
    [InlineData("class C { void M() { Guard.That(\n x,\n \"f\",\n ValidationCodes.Required,\n \"is required\"); } }", 0)]
    [InlineData("class C { void M() { Guard.That(x, \"f\", y ? ValidationCodes.A : ValidationCodes.B, \"no\"); } }", 0)]
    [InlineData("class C { void M() { throw DomainValidationException.Coded(\"f\", ValidationCodes.NotADate, $\"'{t}' (x\", t); } }", 0)]
    public void The_scan_flags_uncoded_refusals_only(string source, int expected)
    {
        var calls = 0;
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        Assert.Equal(expected, Offences(root, "Sample.cs", ref calls).Count);
    }

    [Fact]
    public void Codes_are_distinct_and_written_in_lower_case_with_hyphens()
    {
        var codes = typeof(ValidationCodes).GetFields().Select(f => (string)f.GetValue(null)!).ToList();
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", c));
    }

    private static List<string> Offences(SyntaxNode root, string fileName, ref int calls)
    {
        var offences = new List<string>();
        foreach (var node in root.DescendantNodes())
        {
            switch (node)
            {
                case BaseObjectCreationExpressionSyntax creation
                    when TypeName(creation) == "DomainValidationException" && fileName != ExceptionFile:
                    offences.Add($"{Line(node)}: new DomainValidationException(...) without a code: use DomainValidationException.Coded");
                    break;
                case InvocationExpressionSyntax invocation:
                    var (codeIndex, callee) = invocation.Expression.ToString() switch
                    {
                        "Guard.That" => (2, "Guard.That"),
                        "DomainValidationException.Coded" => (1, "DomainValidationException.Coded"),
                        _ => (-1, string.Empty),
                    };
                    if (codeIndex < 0)
                    {
                        break;
                    }

                    calls++;
                    var arguments = invocation.ArgumentList.Arguments;
                    var named = arguments.Count > codeIndex + 1
                        && arguments[codeIndex].Expression.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>()
                            .Any(m => m.Expression.ToString() == nameof(ValidationCodes));

                    // Guard.cs passes its caller's code through to Coded: the one place a code is a parameter.
                    if (!named && !(fileName == GuardFile && arguments.Count > codeIndex && arguments[codeIndex].ToString() == "code"))
                    {
                        offences.Add($"{Line(node)}: {callee} without a ValidationCodes constant: {Shorten(invocation.ToString())}");
                    }

                    break;
            }
        }

        return offences;
    }

    private static string? TypeName(BaseObjectCreationExpressionSyntax creation) => creation switch
    {
        ObjectCreationExpressionSyntax explicitType => explicitType.Type.ToString().Split('.').Last(),
        _ => null,
    };

    private static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "Migrations"));

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Jisr.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Jisr.sln not found above " + AppContext.BaseDirectory);
    }
}
