using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Exchange.Stix.Import;
using Jisr.Server.Application;

namespace Jisr.Cli.Commands;

/// <summary>
/// <c>jisr stix export</c> and <c>jisr stix import</c>: an agency's records as one STIX 2.1 bundle, and a bundle into an
/// agency (all or nothing: exit 0 with the counts, or exit 1 with one line per refused object and nothing written).
/// </summary>
internal static class StixCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var agency = Agency();
        var output = new Option<FileInfo>("--out") { Description = "Bundle file to write", Required = true };
        var export = new Command("export", "Write the agency's records (and what it received in STIX) as one STIX 2.1 bundle") { db, agency, output };
        export.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = await OpenAsync(parsed.GetValue(db)!, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var found = await FindAgencyAsync(scope.ServiceProvider, parsed.GetValue(agency)!, cancellationToken);
            var file = parsed.GetValue(output)!;
            var temporary = file.FullName + ".partial";
            Jisr.Exchange.Stix.Export.StixExportCounts counts;
            await using (var stream = File.Create(temporary))
            {
                counts = await scope.ServiceProvider.GetRequiredService<StixExchangeService>()
                    .ExportAsync(StixExchangeService.SystemWriter(found), found, stream, cancellationToken);
            }

            File.Move(temporary, file.FullName, overwrite: true); // a reader never sees half a bundle
            Console.WriteLine($"OK exported {counts} to {file.FullName}");
            return 0;
        });

        var importDb = CommonOptions.Database();
        var importAgency = Agency();
        var bundle = new Argument<FileInfo>("FILE") { Description = "STIX 2.1 bundle (JSON)" };
        var options = ImportOptions();
        var import = new Command("import", "Import a STIX 2.1 bundle into the agency: all of it, or nothing with the reasons") { importDb, importAgency, bundle };
        foreach (var option in options.All)
        {
            import.Options.Add(option);
        }

        import.SetAction(async (parsed, cancellationToken) =>
        {
            var file = parsed.GetValue(bundle)!;
            return await RunImportAsync(parsed.GetValue(importDb)!, parsed.GetValue(importAgency)!, file, options.Read(parsed), cancellationToken);
        });
        return new Command("stix", "STIX 2.1 bundles: export and import") { export, import };
    }

    /// <summary>Runs an import and prints the outcome: the counts, or one line per refusal (exit 1).</summary>
    public static async Task<int> RunImportAsync(string db, string agencyCode, FileInfo file, StixImportOptions options, CancellationToken cancellationToken, Func<Stream, DateTimeOffset, Stream>? convert = null)
    {
        if (!file.Exists)
        {
            throw new CommandException($"{file.FullName}: no such file");
        }

        await using var services = await OpenAsync(db, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var found = await FindAgencyAsync(scope.ServiceProvider, agencyCode, cancellationToken);
        await using var input = file.OpenRead();
        var stream = convert is null ? input : convert(input, scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow());
        var result = await scope.ServiceProvider.GetRequiredService<StixExchangeService>()
            .ImportAsync(StixExchangeService.SystemWriter(found), stream, options, cancellationToken);
        if (!result.Succeeded)
        {
            foreach (var refusal in result.Refusals)
            {
                await Console.Error.WriteLineAsync(refusal.ToString());
            }

            await Console.Error.WriteLineAsync($"jisr: nothing imported: {result.Refusals.Count} refusal(s) in {file.Name}");
            return 1;
        }

        Console.WriteLine($"OK imported {result}");
        return 0;
    }

    public static Option<string> Agency() => new("--agency") { Description = "Agency code, e.g. MA-DGSN", Required = true };

    public static async Task<ServiceProvider> OpenAsync(string db, CancellationToken cancellationToken)
    {
        var location = DatabaseLocation.Parse(db);
        await JisrDatabase.MigrateAsync(location, cancellationToken);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddJisrStorage(location);
        services.AddScoped<StixExchangeService>();
        return services.BuildServiceProvider();
    }

    public static async Task<Domain.Agencies.Agency> FindAgencyAsync(IServiceProvider services, string code, CancellationToken cancellationToken) =>
        await services.GetRequiredService<AccountService>().FindAgencyAsync(code, cancellationToken)
        ?? throw new CommandException($"no agency '{code}' on this node (add it with 'jisr agency add')");

    public static ImportOptionSet ImportOptions() => new();

    /// <summary>The import options shared by <c>stix import</c> and <c>misp import</c>.</summary>
    internal sealed class ImportOptionSet
    {
        private readonly Option<long> _maxBytes = new("--max-bytes") { Description = "Refuse bundles larger than this many bytes", DefaultValueFactory = _ => new StixImportOptions().MaxBundleBytes };
        private readonly Option<string> _threatDomain = new("--threat-domain") { Description = "Threat domain of records from reports that name none of Jisr's", DefaultValueFactory = _ => RecordVocabulary.ThreatDomains[new StixImportOptions().DefaultThreatDomain] };
        private readonly Option<string> _tlp = new("--default-tlp") { Description = "TLP of objects that carry none", DefaultValueFactory = _ => Marking.TlpNames[new StixImportOptions().DefaultTlp] };

        public IEnumerable<Option> All => [_maxBytes, _threatDomain, _tlp];

        public StixImportOptions Read(ParseResult parsed) => new()
        {
            MaxBundleBytes = parsed.GetValue(_maxBytes) is > 0 and var max ? max : throw new CommandException("--max-bytes must be positive"),
            DefaultThreatDomain = RecordVocabulary.ThreatDomains.Parse(parsed.GetValue(_threatDomain), "--threat-domain"),
            DefaultTlp = Marking.TlpNames.Parse(parsed.GetValue(_tlp)?.ToUpperInvariant(), "--default-tlp"),
        };
    }
}
