using System.Globalization;
using System.Text.Json;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Policy;
using System.Text;
using Jisr.Server.Application.Fusion;
using Jisr.Server.Endpoints;

namespace Jisr.Cli.Commands;

/// <summary>
/// <c>jisr xref --db DB --agency CODE [--against partners|all-own]</c>: the agency's own persons cross-referenced against
/// what partners released to it (or everything it may read), the hits best first on standard output (TSV, or JSON with
/// <c>--format json</c>), progress and the summary on standard error. It reads as the agency's command-line analyst
/// (cleared SECRET; a TLP:RED record names its readers, so it is not read), and the run is audited with its purpose.
/// </summary>
internal static class XrefCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
        var agency = StixCommand.Agency();
        var against = new Option<string>("--against")
        {
            Description = $"{FusionService.AgainstPartners}: what partners released to the agency (default); {FusionService.AgainstAll}: everything it may read, its own included",
            DefaultValueFactory = _ => FusionService.AgainstPartners,
        };
        var minScore = new Option<double?>("--min-score") { Description = "Drop hits below this score (0 to 1, exclusive; default 0.5)" };
        var purpose = new Option<string>("--purpose") { Description = "Why the cross-reference is run (kept in the audit log)", DefaultValueFactory = _ => "cross-reference from the command line" };
        var format = new Option<string>("--format") { Description = "tsv (default) or json", DefaultValueFactory = _ => "tsv" };
        var command = new Command("xref", "Cross-reference an agency's persons against what partners released to it, ranked, with reasons")
        {
            db, auditKey, agency, against, minScore, purpose, format,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.GetValue(format)?.Trim().ToLowerInvariant() is "json" ? "json" : parsed.GetValue(format)?.Trim().ToLowerInvariant() is "tsv" or null ? "tsv" : throw new CommandException("--format must be tsv or json");
            var why = parsed.GetValue(purpose)!.Trim();
            if (Purpose.WhyNotValid(why) is { } problem)
            {
                throw new CommandException($"--purpose {problem}");
            }

            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), cancellationToken, more: s => s.AddScoped<FusionService>());
            await using var scope = services.CreateAsyncScope();
            var found = await StixCommand.FindAgencyAsync(scope.ServiceProvider, parsed.GetValue(agency)!, cancellationToken);
            var caller = new Principal(new UserId(Guid.Empty), $"jisr-cli@{found.Code}", found.Id, found.Code, new HashSet<Role> { Role.Analyst }, Classification.Secret);
            var lastShown = -10;
            var progress = new Reporter(p =>
            {
                var percent = p.Total == 0 ? 100 : p.Done * 100 / p.Total;
                if (percent / 10 != lastShown / 10)
                {
                    lastShown = percent;
                    Console.Error.WriteLine($"xref: {p.Done} of {p.Total} persons ({percent}%)");
                }
            });
            var outcome = await scope.ServiceProvider.GetRequiredService<FusionService>()
                .XrefAsync(caller, parsed.GetValue(against), parsed.GetValue(minScore), why, progress, cancellationToken);
            if (outcome.Refusal is { } refused)
            {
                throw new CommandException(refused.Detail);
            }

            var result = outcome.Value!;
            await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
            var shown = result.Hits.Count;
            if (output == "json")
            {
                // JSON shows each person whole: read now, under the same filter.
                var proposals = await scope.ServiceProvider.GetRequiredService<FusionService>().XrefProposalsAsync(caller, result.Hits, cancellationToken);
                await JsonSerializer.SerializeAsync(stdout.BaseStream, proposals.Select(FusionEndpoints.ToResponse), JsonSerializerOptions.Web, cancellationToken);
                shown = proposals.Count;
            }
            else
            {
                await stdout.WriteLineAsync("score\tperson_a\tname_a\tperson_b\tname_b\texplanation");

                // One line buffer for every hit (a million-person run lists over half a million: a string per cell and
                // line was 1.4 GB of garbage at the end of the run, when its memory peaked).
                var line = new StringBuilder(1024);
                foreach (var hit in result.Hits)
                {
                    line.Clear().Append(CultureInfo.InvariantCulture, $"{hit.Score:0.0000}\t{hit.A.Value}\t");
                    AppendCell(line, hit.LabelA).Append(CultureInfo.InvariantCulture, $"\t{hit.B.Value}\t");
                    AppendCell(line, hit.LabelB).Append('\t');
                    var explanation = line.Length;
                    Jisr.Fusion.Resolution.MatchProposal.AppendExplanation(line, hit.Evidence);
                    Escape(line, explanation);
                    stdout.WriteLine(line);
                }
            }

            await stdout.FlushAsync(cancellationToken);
            await Console.Error.WriteLineAsync($"OK {shown} hits: {result.Probes} persons of {found.Code} against {result.Targets} ({result.Against})");
            return 0;
        });
        return command;
    }

    /// <summary>Appends a TSV cell: tabs and line breaks in names or reasons would shift the columns.</summary>
    private static StringBuilder AppendCell(StringBuilder line, string text)
    {
        var start = line.Length;
        return Escape(line.Append(text), start);
    }

    private static StringBuilder Escape(StringBuilder line, int start) =>
        line.Replace('\t', ' ', start, line.Length - start).Replace('\r', ' ', start, line.Length - start).Replace('\n', ' ', start, line.Length - start);

    private sealed class Reporter(Action<XrefProgress> report) : IProgress<XrefProgress>
    {
        public void Report(XrefProgress value) => report(value);
    }
}
