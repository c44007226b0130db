namespace Jisr.Storage.Federation;

/// <summary>Named recipients of a TLP:RED release from another node, resolved here.</summary>
public sealed partial class FederationStore
{
    /// <summary>
    /// The users of <paramref name="agencyId"/> (hosted here) named <paramref name="userNames"/> (as user names are
    /// kept: trimmed, lower case), and how many of the names are none of its users.
    /// </summary>
    public async Task<(List<UserId> Users, int Unknown)> UsersOfAgencyAsync(AgencyId agencyId, IReadOnlyList<string> userNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userNames);
        var wanted = userNames.Select(n => n.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var found = await db.Users.AsNoTracking()
            .Where(u => u.AgencyId == agencyId && u.UserName != null && wanted.Contains(u.UserName))
            .Select(u => u.Id).ToListAsync(cancellationToken);
        return ([.. found.Select(id => new UserId(id))], wanted.Count - found.Count);
    }
}
