using Jisr.Domain.Agencies;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Policy;
using Jisr.Server.Contracts;
using Jisr.Storage.Accounts;
using Jisr.Storage.Audit;

namespace Jisr.Server.Application;

/// <summary>
/// The agencies registered on this node (a directory every user reads; administrators register new ones) and the
/// users of the caller's agency (its administrators list, read and create them). Every decision is the policy's.
/// </summary>
public sealed class AccountAdministration(AccountService accounts, TimeProvider time)
{
    public Task<List<Agency>> ListAgenciesAsync(CancellationToken cancellationToken) => accounts.ListAgenciesAsync(cancellationToken);

    public async Task<Outcome<Agency>> ReadAgencyAsync(string code, CancellationToken cancellationToken) =>
        Change.Found(await accounts.FindAgencyAsync(code, cancellationToken), $"agency {code}");

    public async Task<Outcome<Agency>> CreateAgencyAsync(Principal caller, AgencyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refusal.Of(AccessPolicy.CanManageAgencies(caller), "agencies") is { } refused)
        {
            return refused;
        }

        var agency = Agency.Create(request.Code, request.Name, request.Country, time.GetUtcNow());
        return await accounts.CreateAgencyAsync(agency, By(caller, AuditActions.AgencyCreate), cancellationToken);
    }

    /// <summary>The users of the caller's agency; the read is audited.</summary>
    public async Task<Outcome<List<JisrUser>>> ListUsersAsync(Principal caller, CancellationToken cancellationToken)
    {
        if (AdministeringUsers(caller) is { } refused)
        {
            return refused;
        }

        return await accounts.ReadUsersAsync(caller, cancellationToken);
    }

    /// <summary>A user of the caller's agency (another agency's users look missing); the read is audited.</summary>
    public async Task<Outcome<JisrUser>> ReadUserAsync(Principal caller, Guid id, CancellationToken cancellationToken)
    {
        if (AdministeringUsers(caller) is { } refused)
        {
            return refused;
        }

        return Change.Found(await accounts.ReadUserAsync(caller, id, cancellationToken), $"user {id}");
    }

    /// <summary>
    /// A new user of the caller's agency. Who administers the agency's users is decided before the request is read
    /// (a refused caller learns nothing about it); the roles and clearance it grants are then decided with it.
    /// </summary>
    public async Task<Outcome<JisrUser>> CreateUserAsync(Principal caller, UserRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (AdministeringUsers(caller) is { } refused)
        {
            return refused;
        }

        var roles = (request.Roles ?? []).Select((r, i) => Roles.Names.Parse(r, $"roles[{i}]")).ToList();
        var clearance = Marking.ClassificationNames.Parse(request.Clearance, "clearance");
        if (Refusal.Of(AccessPolicy.CanManageUser(caller, caller.AgencyId, roles, clearance), "users") is { } refusedUser)
        {
            return refusedUser;
        }

        return await accounts.CreateUserAsync(
            caller.AgencyId, request.UserName ?? string.Empty, request.DisplayName, roles, clearance, request.Password, By(caller, AuditActions.UserCreate), cancellationToken: cancellationToken);
    }

    private static Refusal? AdministeringUsers(Principal caller) => Refusal.Of(AccessPolicy.CanManageUsers(caller, caller.AgencyId), "users");

    private static AuditEvent By(Principal caller, string action) => new(action, caller.UserId, caller.UserName, caller.AgencyId);
}
