using System.Text;
using System.Text.Json;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Policy;
using Jisr.Server.Application.Fusion;
using Jisr.Server.Endpoints;

namespace Jisr.Cli.Commands;

/// <summary>
/// <c>jisr graph components --db DB --agency CODE [--min-size N] [--top N] [--purpose P] [--format tsv|json]</c>: the
/// connected components of the link graph the agency's command-line analyst may read (as <c>jisr xref</c>: cleared
/// SECRET, no TLP:RED record that does not name them), largest first, through the same <see cref="GraphService"/> as
/// <c>GET /api/v1/graph/components</c>, audited with its purpose. TSV: one line per entity shown; JSON: the API's answer.
/// </summary>
internal static class GraphCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
        var agency = StixCommand.Agency();
        var minSize = new Option<int?>("--min-size") { Description = $"Only components of at least this many entities (1 to {GraphService.MaxNodes}, default 2)" };
        var top = new Option<int?>("--top") { Description = $"How many components, largest first (1 to {GraphService.MaxComponents}, default 20)" };
        var purpose = new Option<string>("--purpose") { Description = "Why the graph is read (kept in the audit log)", DefaultValueFactory = _ => "link graph components from the command line" };
        var format = new Option<string>("--format") { Description = "tsv (default) or json", DefaultValueFactory = _ => "tsv" };
        var components = new Command("components", "List the connected components of the link graph an agency may read, largest first")
        {
            db, auditKey, agency, minSize, top, purpose, format,
        };
        components.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.GetValue(format)?.Trim().ToLowerInvariant() switch
            {
                "json" => "json",
                "tsv" or null => "tsv",
                _ => throw new CommandException("--format must be tsv or json"),
            };
            var why = parsed.GetValue(purpose)!.Trim();
            if (Purpose.WhyNotValid(why) is { } problem)
            {
                throw new CommandException($"--purpose {problem}");
            }

            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), cancellationToken,
                more: s => s.AddScoped<GraphService>().AddSingleton<GraphCache>());
            await using var scope = services.CreateAsyncScope();
            var found = await StixCommand.FindAgencyAsync(scope.ServiceProvider, parsed.GetValue(agency)!, cancellationToken);
            var caller = new Principal(new UserId(Guid.Empty), $"jisr-cli@{found.Code}", found.Id, found.Code, new HashSet<Role> { Role.Analyst }, Classification.Secret);
            GraphComponents result;
            try
            {
                result = await scope.ServiceProvider.GetRequiredService<GraphService>().ComponentsAsync(caller, parsed.GetValue(minSize), parsed.GetValue(top), why, cancellationToken);
            }
            catch (DomainValidationException invalid)
            {
                // The service names the API's query parameters; here they are options.
                throw new CommandException($"--{(invalid.Field == "minSize" ? "min-size" : invalid.Field)} {invalid.Reason}");
            }

            await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
            if (output == "json")
            {
                await JsonSerializer.SerializeAsync(stdout.BaseStream, GraphEndpoints.ToResponse(result), JsonSerializerOptions.Web, cancellationToken);
            }
            else
            {
                await stdout.WriteLineAsync("component\tsize\tlinks\tentity\ttype\tlabel");
                foreach (var (component, i) in result.Components.Select((c, i) => (c, i + 1)))
                {
                    foreach (var node in component.Shown.Nodes)
                    {
                        await stdout.WriteLineAsync(string.Join('\t', i, component.Size, component.LinkCount, node.Entity.Id, EntityVocabulary.Types[node.Entity.Type], Cell(node.Entity.Label)));
                    }
                }
            }

            await stdout.FlushAsync(cancellationToken);
            var entities = result.Components.Sum(c => c.Size);
            await Console.Error.WriteLineAsync($"OK {result.Components.Count} components shown of {result.Matching} with {parsed.GetValue(minSize) ?? 2}+ entities ({result.Total} in all; {entities} entities in those shown) for {found.Code}");
            return 0;
        });
        return new Command("graph", "The link graph an agency may read") { components };
    }

    /// <summary>A TSV cell: tabs and line breaks in a label would shift the columns.</summary>
    private static string Cell(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
