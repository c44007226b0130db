using Jisr.Domain.Common;
using Jisr.Domain.Markings;

namespace Jisr.Domain.Users;

public enum AccessGrantStatus
{
    Pending,
    Approved,
    Refused,
}

/// <summary>
/// A change of a user's roles and clearance that needs a second administrator (granting administrator rights, or
/// both sides of a four-eyes pair to one person). It binds to the account as it was when requested: if the user's
/// roles or clearance changed since, it can no longer be approved, so no one approves a change they did not see.
/// </summary>
public sealed class AccessGrant
{
    public static readonly WireNames<AccessGrantStatus> StatusNames = new(
        (AccessGrantStatus.Pending, "pending"),
        (AccessGrantStatus.Approved, "approved"),
        (AccessGrantStatus.Refused, "refused"));

    private AccessGrant()
    {
    }

    public Guid Id { get; private set; }

    public AgencyId AgencyId { get; private set; }

    /// <summary>The user whose access changes.</summary>
    public UserId UserId { get; private set; }

    public List<Role> FromRoles { get; private set; } = [];

    public Classification FromClearance { get; private set; }

    public List<Role> Roles { get; private set; } = [];

    public Classification Clearance { get; private set; }

    public UserId RequestedBy { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public AccessGrantStatus Status { get; private set; }

    public UserId? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public static AccessGrant Request(
        AgencyId agencyId, UserId userId, IEnumerable<Role> fromRoles, Classification fromClearance, IEnumerable<Role> roles, Classification clearance, UserId requestedBy, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(now),
            AgencyId = agencyId,
            UserId = userId,
            FromRoles = [.. fromRoles.Distinct().Order()],
            FromClearance = fromClearance,
            Roles = [.. roles.Distinct().Order()],
            Clearance = clearance,
            RequestedBy = requestedBy,
            RequestedAt = Instants.Normalize(now),
            Status = AccessGrantStatus.Pending,
        };

    /// <summary>Whether the account still has the roles and clearance the grant was requested against.</summary>
    public bool StillMatches(IEnumerable<Role> currentRoles, Classification currentClearance) =>
        currentClearance == FromClearance && currentRoles.Distinct().Order().SequenceEqual(FromRoles);

    public void Approve(UserId by, DateTimeOffset now) => Decide(AccessGrantStatus.Approved, by, now);

    public void Refuse(UserId by, DateTimeOffset now) => Decide(AccessGrantStatus.Refused, by, now);

    private void Decide(AccessGrantStatus status, UserId by, DateTimeOffset now)
    {
        if (Status != AccessGrantStatus.Pending)
        {
            throw new DomainStateException($"this grant was {StatusNames[Status]} already");
        }

        Status = status;
        DecidedBy = by;
        DecidedAt = Instants.Normalize(now);
    }
}
