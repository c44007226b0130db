using Jisr.Domain.Agencies;

namespace Jisr.Cli.Commands;

/// <summary><c>jisr agency add</c>: register an agency on this node.</summary>
internal static class AgencyCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var auditKey = CommonOptions.AuditKey();
        var code = new Option<string>("--code") { Description = "Agency code, e.g. MA-DGSN", Required = true };
        var name = new Option<string>("--name") { Description = "Official name", Required = true };
        var country = new Option<string>("--country") { Description = "ISO 3166-1 alpha-2 country code, or INT", Required = true };
        var add = new Command("add", "Register an agency") { db, auditKey, code, name, country };
        add.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = await CommonOptions.OpenStorageAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            var agency = await accounts.CreateAgencyAsync(
                Agency.Create(parsed.GetValue(code), parsed.GetValue(name), parsed.GetValue(country), time.GetUtcNow()), CommonOptions.CliActor, cancellationToken);
            Console.WriteLine($"OK agency {agency.Code} {agency.Id}");
            return 0;
        });
        return new Command("agency", "Manage agencies") { add };
    }
}
