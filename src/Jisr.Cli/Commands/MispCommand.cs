using Jisr.Exchange.Misp;

namespace Jisr.Cli.Commands;

/// <summary>
/// <c>jisr misp import</c>: a MISP event (JSON export) into an agency, through the STIX importer: one record per event
/// with its entities and indicators, TLP and Admiralty tags as marking and grading, galaxies as labels. All or nothing.
/// </summary>
internal static class MispCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var agency = StixCommand.Agency();
        var file = new Argument<FileInfo>("FILE") { Description = "MISP event JSON ({\"Event\": {...}}, a bare event, or a list of events)" };
        var options = StixCommand.ImportOptions();
        var import = new Command("import", "Import a MISP event: all of it, or nothing with the reasons") { db, agency, file };
        foreach (var option in options.All)
        {
            import.Options.Add(option);
        }

        import.SetAction(async (parsed, cancellationToken) =>
        {
            var settings = options.Read(parsed) with { SourceKind = "misp" };
            var input = parsed.GetValue(file)!;
            if (input.Exists && input.Length > settings.MaxBundleBytes)
            {
                throw new CommandException($"{input.Name}: {input.Length:N0} bytes, over the limit of {settings.MaxBundleBytes:N0} (raise it with --max-bytes)");
            }

            return await StixCommand.RunImportAsync(parsed.GetValue(db)!, parsed.GetValue(agency)!, input, settings, cancellationToken, (stream, now) =>
            {
                try
                {
                    return MispEventConverter.ToStixBundle(stream, now);
                }
                catch (MispFormatException bad)
                {
                    throw new CommandException($"{input.Name}: {bad.Message}; nothing imported");
                }
            });
        });
        return new Command("misp", "MISP events") { import };
    }
}
