using System.Text.Json.Nodes;

namespace Jisr.Cli.Tests;

public sealed class OpenApiCommandTests
{
    [Fact]
    public async Task OpenApi_WritesTheNodesDescription_WithoutAServerToStart_AndIsNotInTheHelp()
    {
        var directory = Directory.CreateTempSubdirectory("jisr-openapi-test-");
        try
        {
            var file = Path.Combine(directory.FullName, "v1.json");

            var result = await Jisr.RunAsync("openapi", "--out", file);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal([$"OK wrote {file}"], result.OutputLines);
            var document = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
            Assert.Equal("Jisr node API", document["info"]!["title"]!.GetValue<string>());
            Assert.Equal("Read a record", document["paths"]!["/api/v1/records/{id}"]!["get"]!["summary"]!.GetValue<string>());
            Assert.DoesNotContain("openapi", (await Jisr.RunAsync("--help")).Output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
