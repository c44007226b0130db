using Jisr.Server;
using Microsoft.Extensions.Logging;

namespace Jisr.Cli.Commands;

/// <summary>
/// <c>jisr openapi --out FILE</c> (hidden: a build tool, not an operator's command): writes the node's OpenAPI
/// description without a server to start by hand, for the lint in scripts/test and the snapshot in docs/openapi/v1.json.
/// </summary>
internal static class OpenApiCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out") { Description = "The file to write /openapi/v1.json to", Required = true };
        var command = new Command("openapi", "Write the node's OpenAPI description (/openapi/v1.json) to a file") { output };
        command.Hidden = true;
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var file = parsed.GetValue(output)!;
            var directory = Directory.CreateTempSubdirectory("jisr-openapi-");
            try
            {
                // A node over a throw-away database on a free loopback port, asked exactly what a partner would ask it.
                var database = new DatabaseLocation(DatabaseProvider.Sqlite, Path.Combine(directory.FullName, "jisr.db"));
                await using var app = await JisrNode.StartAsync(
                    new NodeOptions(database, "http://127.0.0.1:0"),
                    builder => builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning).AddFilter("Jisr.Requests", LogLevel.Warning),
                    cancellationToken);
                using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
                var document = await http.GetByteArrayAsync(new Uri($"/openapi/{OpenApiDescription.DocumentName}.json", UriKind.Relative), cancellationToken);
                file.Directory?.Create();
                await File.WriteAllBytesAsync(file.FullName, document, cancellationToken);
                await app.StopAsync(cancellationToken);
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                directory.Delete(recursive: true);
            }

            Console.WriteLine($"OK wrote {file.FullName}");
            return 0;
        });
        return command;
    }
}
