namespace Jisr.Domain.Users;

public enum AccessGrantStatus
{
    Pending,
    Approved,
    Refused,
}

public enum AccessGrantAction
{
    Approve,
    Refuse,
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

    public static readonly WireNames<AccessGrantAction> ActionNames = new((AccessGrantAction.Approve, "approve"), (AccessGrantAction.Refuse, "refuse"));

    /// <summary>Its life: another administrator approves or refuses a pending grant, once; both answers are final.</summary>
    public static readonly TransitionTable<AccessGrantStatus, AccessGrantAction> Transitions = new("grant", StatusNames, ActionNames,
        (AccessGrantStatus.Pending, AccessGrantAction.Approve, AccessGrantStatus.Approved),
        (AccessGrantStatus.Pending, AccessGrantAction.Refuse, AccessGrantStatus.Refused));

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

    /// <summary>
    /// Approves the grant for the account as it is now (<paramref name="currentRoles"/>, <paramref name="currentClearance"/>):
    /// one changed since the request is a conflict, as the approver would pass a change they did not see.
    /// </summary>
    public void Approve(UserId by, IEnumerable<Role> currentRoles, Classification currentClearance, DateTimeOffset now)
    {
        var next = Transitions.Next(Status, AccessGrantAction.Approve);
        if (!StillMatches(currentRoles, currentClearance))
        {
            throw new DomainStateException("the account's roles or clearance changed since this grant was asked for: refuse it and ask again");
        }

        Decide(next, by, now);
    }

    public void Refuse(UserId by, DateTimeOffset now) => Decide(Transitions.Next(Status, AccessGrantAction.Refuse), by, now);

    private void Decide(AccessGrantStatus status, UserId by, DateTimeOffset now)
    {
        Status = status;
        DecidedBy = by;
        DecidedAt = Instants.Normalize(now);
    }
}
