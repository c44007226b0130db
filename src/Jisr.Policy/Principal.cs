namespace Jisr.Policy;

/// <summary>Who is asking: the signed-in user, the agency they act for, their roles and clearance.</summary>
public sealed record Principal(UserId UserId, string UserName, AgencyId AgencyId, string AgencyCode, IReadOnlySet<Role> Roles, Classification Clearance)
{
    public bool Has(Role role) => Roles.Contains(role);
}
