using System.Text.RegularExpressions;

namespace Jisr.Domain.Tests;

/// <summary>Rules about the source itself, checked over every C# file under src/.</summary>
public sealed partial class ArchitectureTests
{
    /// <summary>
    /// The current time comes from the injected <see cref="TimeProvider"/>, so tests can move it and every part of a
    /// request sees one clock. Reading the system clock directly (DateTime.UtcNow, TimeProvider.System.GetUtcNow()...)
    /// is refused; registering <c>TimeProvider.System</c> in DI is how the real clock gets in.
    /// </summary>
    [Fact]
    public void Source_ReadsTheTimeOnlyFromTheInjectedTimeProvider()
    {
        var offences =
            from file in SourceFiles()
            from line in File.ReadLines(file).Select((text, index) => (Text: text, Number: index + 1))
            where !line.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && SystemClock().IsMatch(line.Text)
            select $"{Path.GetRelativePath(RepositoryRoot(), file)}:{line.Number}: {line.Text.Trim()}";

        Assert.Empty(offences);
    }

    /// <summary>The rule above cannot pass by looking at nothing, or by a pattern that matches nothing.</summary>
    [Fact]
    public void SourceScan_SeesTheSourceTree()
    {
        Assert.Contains(SourceFiles(), f => f.EndsWith(Path.Combine("src", "Jisr.Server", "JisrNode.cs"), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("var now = DateTime.UtcNow;", true)]
    [InlineData("Created = DateTimeOffset.Now,", true)]
    [InlineData("var today = DateOnly.FromDateTime(DateTime.Today);", true)]
    [InlineData("var now = TimeProvider.System.GetUtcNow();", true)]
    [InlineData("services.TryAddSingleton(TimeProvider.System);", false)]
    [InlineData("var now = time.GetUtcNow();", false)]
    public void SystemClockPattern_FlagsDirectReadsOnly(string line, bool flagged)
    {
        Assert.Equal(flagged, SystemClock().IsMatch(line));
    }

    private static IEnumerable<string> SourceFiles()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));
    }

    /// <summary>The folder holding Jisr.sln, found by walking up from the test's output folder (wherever the repository is checked out).</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Jisr.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Jisr.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"\b(?:DateTime|DateTimeOffset)\s*\.\s*(?:UtcNow|Now|Today)\b|\bTimeProvider\s*\.\s*System\s*\.", RegexOptions.CultureInvariant)]
    private static partial Regex SystemClock();
}
