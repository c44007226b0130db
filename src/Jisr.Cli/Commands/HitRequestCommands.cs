using System.Globalization;
using Jisr.Domain.Common;
using Jisr.Policy;
using Jisr.Server.Application;
using Jisr.Server.Contracts;
using Jisr.Server.Endpoints;
using Jisr.Server.Federation;
using Jisr.Server.HitCheck;
using Jisr.Storage.Accounts;
using Jisr.Storage.Federation;

namespace Jisr.Cli.Commands;

/// <summary>
/// <c>jisr hit request|list|reply</c>: formal hit requests from the node's host, as a named user of the node (the
/// operator has the database; the user's roles and agency decide, through the same <see cref="HitRequestService"/>
/// and policy as the API, and the audit log names the user). Output is tab-separated, one request a line:
/// <c>ID&lt;TAB&gt;DIRECTION&lt;TAB&gt;STATUS&lt;TAB&gt;PARTNER&lt;TAB&gt;URGENCY&lt;TAB&gt;DEADLINE&lt;TAB&gt;OVERDUE&lt;TAB&gt;RELEASE&lt;TAB&gt;QUERY</c>.
/// </summary>
internal static class HitRequestCommands
{
    public static Command Request()
    {
        var (db, auditKey, nodeKey, user) = (CommonOptions.Database(), CommonOptions.AuditKey(), CommonOptions.NodeKey(), User());
        var agency = new Option<string>("--agency") { Description = "The partner agency whose filter the query hit (its code, e.g. ES-CNP)", Required = true };
        var agreement = new Option<string?>("--agreement") { Description = "The agreement to ask under (its id; default: the one the query hit under)" };
        var name = new Option<string?>("--name") { Description = "The name that hit" };
        var identifier = new Option<string?>("--identifier") { Description = "The identifier that hit, KIND:VALUE" };
        var legalBasis = new Option<string>("--legal-basis") { Description = "The legal basis of the request", Required = true };
        var handling = new Option<string>("--handling") { Description = "Handling code of the request: H1, H2 or H3", Required = true };
        var urgency = new Option<string?>("--urgency") { Description = "routine (14 days to answer, default), urgent (3) or immediate (1)" };
        var purpose = new Option<string>("--purpose") { Description = "Why you ask (kept in the audit log)", Required = true };
        var command = new Command("request", "After a hit, ask the partner for what it holds: a signed request to its node; prints the request")
        {
            db, auditKey, nodeKey, user, agency, agreement, name, identifier, legalBasis, handling, urgency, purpose,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var declared = ValidPurpose(parsed.GetValue(purpose)!);
            Guid? agreementId = parsed.GetValue(agreement) is { } text ? Guid.TryParse(text.Trim(), out var id) ? id : throw new CommandException("--agreement must be an agreement id (a GUID)") : null;
            RequirePassphrase(parsed.GetValue(db), parsed.GetValue(nodeKey), "the request is signed with it");
            await using var services = await OpenAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), parsed.GetValue(nodeKey), cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var caller = await CallerAsync(scope.ServiceProvider, parsed.GetValue(user)!, cancellationToken);
            var body = new HitRequestBody(parsed.GetValue(agency), agreementId, parsed.GetValue(name), parsed.GetValue(identifier), parsed.GetValue(legalBasis), parsed.GetValue(handling), parsed.GetValue(urgency));
            Print(Answer(await scope.ServiceProvider.GetRequiredService<HitRequestService>().OpenAsync(caller, body, declared, cancellationToken)));
            return 0;
        });
        return command;
    }

    public static Command List()
    {
        var (db, auditKey, user) = (CommonOptions.Database(), CommonOptions.AuditKey(), User());
        var status = new Option<string?>("--status") { Description = "Only requests in this state: open, release-pending, released or refused" };
        var offset = new Option<int?>("--offset") { Description = "Skip this many of the newest (0 or more)" };
        var limit = new Option<int?>("--limit") { Description = "At most this many (1 to 500; default 500)" };
        var command = new Command("list", "List the hit requests the user's agency sent or must answer, newest first") { db, auditKey, user, status, offset, limit };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = await OpenAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), null, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var caller = await CallerAsync(scope.ServiceProvider, parsed.GetValue(user)!, cancellationToken);
            if (Refusal.Of(AccessPolicy.CanSeeHitRequests(caller), "hit requests") is { } refused)
            {
                throw new CommandException(refused.Detail);
            }

            foreach (var request in await scope.ServiceProvider.GetRequiredService<HitRequestService>()
                .ListAsync(caller, parsed.GetValue(status), cancellationToken, parsed.GetValue(offset), parsed.GetValue(limit)))
            {
                Print(request);
            }

            return 0;
        });
        return command;
    }

    public static Command Reply()
    {
        var (db, auditKey, nodeKey, user) = (CommonOptions.Database(), CommonOptions.AuditKey(), CommonOptions.NodeKey(), User());
        var request = new Option<string>("--request") { Description = "The id of the hit request to answer", Required = true };
        var decision = new Option<string>("--decision") { Description = "release (with --record) or refuse (with --reason)", Required = true };
        var record = new Option<string?>("--record") { Description = "The id of the record to release to the requester" };
        var reason = new Option<string?>("--reason") { Description = "Why (required to refuse)" };
        var command = new Command("reply", "Answer a hit request to the user's agency: release a record (four-eyes where its marking needs it) or refuse; prints the request")
        {
            db, auditKey, nodeKey, user, request, decision, record, reason,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var id = Guid.TryParse(parsed.GetValue(request)!.Trim(), out var parsedId) ? parsedId : throw new CommandException("--request must be a hit request id (a GUID)");
            Guid? recordId = parsed.GetValue(record) is { } text
                ? TypedId.TryParse<RecordId>(text.Trim(), out var parsedRecord) ? parsedRecord.Value : throw new CommandException("--record must be a record id")
                : null;
            RequirePassphrase(parsed.GetValue(db), parsed.GetValue(nodeKey), "the answer is signed with it");
            await using var services = await OpenAsync(parsed.GetValue(db)!, parsed.GetValue(auditKey), parsed.GetValue(nodeKey), cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var caller = await CallerAsync(scope.ServiceProvider, parsed.GetValue(user)!, cancellationToken);
            Print(Answer(await scope.ServiceProvider.GetRequiredService<HitRequestService>()
                .ReplyAsync(caller, id, new HitReplyBody(parsed.GetValue(decision), recordId, parsed.GetValue(reason)), cancellationToken)));
            return 0;
        });
        return command;
    }

    private static Option<string> User() => new("--user") { Description = "The node's user to act as (their agency and roles decide; the audit log names them)", Required = true };

    private static string ValidPurpose(string purpose)
    {
        var declared = purpose.Trim();
        return Purpose.WhyNotValid(declared) is { } why ? throw new CommandException($"--purpose {why.Replace($"(header {Purpose.Header})", string.Empty, StringComparison.Ordinal).Trim()}") : declared;
    }

    private static void RequirePassphrase(string? db, string? nodeKey, string why)
    {
        if (CommonOptions.NodeKeyOptions(DatabaseLocation.Parse(db), nodeKey).Passphrase is null)
        {
            throw new CommandException($"set {NodeKey.PassphraseVariable} to the passphrase of the node key: {why}");
        }
    }

    private static Task<ServiceProvider> OpenAsync(string db, string? auditKey, string? nodeKey, CancellationToken cancellationToken) =>
        CommonOptions.OpenStorageAsync(db, auditKey, cancellationToken, nodeKey, s =>
        {
            s.AddSingleton<HitKeyRing>();
            s.AddSingleton<ReceivedFilterCache>();
            s.AddSingleton<OutboxSignal>();
            s.AddScoped<FederationOutbox>();
            s.AddScoped<HitCheckService>();
            s.AddSingleton<HitRequestOptions>();
            s.AddScoped<HitRequestService>();
            s.AddScoped<AgencyNames>();
            s.AddSingleton<Jisr.Server.AgencyDirectory>();
            s.AddScoped<OnwardRecall>(); // ReleaseService needs it: a recall follows onward copies
            s.AddScoped<ReleaseService>();
        });

    /// <summary>The user as the policy sees them now (a disabled account acts no more).</summary>
    private static async Task<Principal> CallerAsync(IServiceProvider services, string userName, CancellationToken cancellationToken)
    {
        var accounts = services.GetRequiredService<AccountService>();
        var user = await accounts.FindUserAsync(userName) ?? throw new CommandException($"--user: no user {userName.Trim()} on this node");
        return await accounts.PrincipalForAsync(user.Id, cancellationToken) ?? throw new CommandException($"--user: {userName.Trim()} is disabled");
    }

    private static HitRequestResponse Answer(Outcome<HitRequestResponse> outcome) =>
        outcome.Refusal is { } refused ? throw new CommandException(refused.Detail) : outcome.Value!;

    private static void Print(HitRequestResponse r)
    {
        var partner = r.Direction == "sent" ? r.Owner : r.Requester;
        Console.WriteLine(string.Join('\t', r.Id.ToString("D"), r.Direction, r.Status, partner.Code, r.Request.Urgency, r.Deadline.ToString("u", CultureInfo.InvariantCulture),
            r.Overdue ? "overdue" : "-", r.Release?.ToString("D") ?? "-", Cell(r.Request.Query)));
    }

    /// <summary>Tabs and line breaks in a query would break the columns.</summary>
    private static string Cell(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}
