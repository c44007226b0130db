namespace Jisr.Server.Application;

/// <summary>Agencies and users named in requests by code and user name, resolved once here with a message that says which one is wrong.</summary>
/// <remarks>
/// The account service (and with it Identity's user manager, costly to build: it resolves its token providers and
/// validators) is resolved on first use, not with this: services that take this, such as <see cref="RecordService"/>,
/// are built for every request, and most of their requests (a read) never name an agency or a user.
/// </remarks>
public sealed class AgencyNames(IServiceProvider services)
{
    private AccountService? _accounts;

    private AccountService Accounts => _accounts ??= services.GetRequiredService<AccountService>();

    /// <summary>A partner agency named by code: registered on this node and not the caller's own.</summary>
    public async Task<AgencyId> PartnerAsync(string? code, AgencyId callerAgencyId, string field, CancellationToken cancellationToken)
    {
        var agencyCode = Guard.Text(code, field, 32);
        var agency = await Accounts.FindAgencyAsync(agencyCode, cancellationToken)
            ?? throw DomainValidationException.Coded(field, ValidationCodes.NoSuchAgency, $"no agency '{agencyCode}' is registered on this node", agencyCode ?? string.Empty);
        Guard.That(agency.Id != callerAgencyId, field, ValidationCodes.OwnAgency, "is your own agency: records are released to partner agencies");
        return agency.Id;
    }

    /// <summary>Users named by user name who must all belong to <paramref name="agencyId"/> (<paramref name="whose"/> says which, in the error).</summary>
    public async Task<List<UserId>> UsersOfAsync(IReadOnlyList<string?>? names, AgencyId agencyId, string field, string whose)
    {
        var ids = new List<UserId>();
        var list = names ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var name = Guard.Text(list[i], $"{field}[{i}]", AccountService.MaxUserNameLength);
            var user = await Accounts.FindUserAsync(name);
            if (user is null || user.AgencyId != agencyId)
            {
                throw DomainValidationException.Coded($"{field}[{i}]", ValidationCodes.NoSuchUser, $"no user '{name}' in {whose}", name);
            }

            ids.Add(new UserId(user.Id));
        }

        return ids;
    }
}
