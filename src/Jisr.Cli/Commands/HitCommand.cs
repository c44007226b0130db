using Jisr.Domain.Common;
using Jisr.Server.Endpoints;
using Jisr.Server.HitCheck;
using Jisr.Storage.Federation;
using Jisr.Storage.HitCheck;

namespace Jisr.Cli.Commands;

/// <summary>
/// <c>jisr hit check --db DB --name NAME | --identifier KIND:VALUE --purpose P</c>: the name or identifier against the
/// filters partners published to this node's agencies; prints <c>no-hit</c>, or one line per partner
/// <c>hit&lt;TAB&gt;AGENCY&lt;TAB&gt;NAME&lt;TAB&gt;PARTS</c>. Audited with the purpose, as the command line.
/// </summary>
internal static class HitCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
        var nodeKey = CommonOptions.NodeKey();
        var name = new Option<string?>("--name") { Description = "A name in Arabic or Latin script, any transliteration" };
        var identifier = new Option<string?>("--identifier") { Description = "KIND:VALUE, e.g. phone:+212612345678, iban:MA64..., passport:MA:AB1234567" };
        var purpose = new Option<string>("--purpose") { Description = "Why you check (kept in the audit log)", Required = true };
        var check = new Command("check", "Check a name or an identifier against partners' hit/no-hit filters on this node (the query is never sent; a partner hit is told it had one)") { db, auditKey, nodeKey, name, identifier, purpose };
        check.SetAction(async (parsed, cancellationToken) =>
        {
            var declared = parsed.GetValue(purpose)!.Trim();
            if (Purpose.WhyNotValid(declared) is { } why)
            {
                throw DomainValidationException.Coded("--purpose", ValidationCodes.PurposeRequired, why.Replace($"(header {Purpose.Header})", "(--purpose)", StringComparison.Ordinal));
            }

            var query = HitCheckService.Query(parsed.GetValue(name), parsed.GetValue(identifier));
            var location = DatabaseLocation.Parse(parsed.GetValue(db));
            if (CommonOptions.NodeKeyOptions(location, parsed.GetValue(nodeKey)).Passphrase is null)
            {
                throw new CommandException($"set {NodeKey.PassphraseVariable} to the passphrase of the node key: partners' filters are keyed with it");
            }

            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), cancellationToken, parsed.GetValue(nodeKey), s =>
            {
                s.AddSingleton<HitKeyRing>();
                s.AddSingleton<ReceivedFilterCache>();
                s.AddSingleton<Jisr.Server.Federation.OutboxSignal>();
                s.AddScoped<Jisr.Server.Federation.FederationOutbox>();
                s.AddScoped<HitCheckService>();
            });
            await using var scope = services.CreateAsyncScope();
            var agencies = await scope.ServiceProvider.GetRequiredService<HitFilterStore>().OwnAgenciesAsync(cancellationToken);
            var result = await scope.ServiceProvider.GetRequiredService<HitCheckService>()
                .CheckAsync(CommonOptions.CliActor, [.. agencies.Select(a => a.Id)], query, declared, cancellationToken);
            if (result.Hits.Count == 0)
            {
                Console.WriteLine($"no-hit\t{result.FiltersChecked} partner filters checked");
            }

            foreach (var hit in result.Hits)
            {
                // "possible-hit": one part of the name found in a longer held name only (an alias, or as often another person).
                Console.WriteLine($"{(hit.Strength == "hit" ? "hit" : "possible-hit")}\t{hit.AgencyCode}\t{hit.AgencyName}\t{string.Join("; ", hit.Parts)}");
            }

            return 0;
        });
        return new Command("hit", "Hit/no-hit checks against partners' filters, and the formal requests that follow a hit") { check, HitRequestCommands.Request(), HitRequestCommands.List(), HitRequestCommands.Reply() };
    }
}
