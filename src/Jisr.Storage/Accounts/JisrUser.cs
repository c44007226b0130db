namespace Jisr.Storage.Accounts;

/// <summary>A person who signs in to this node, acting for one agency with one or more roles and a clearance.</summary>
public sealed class JisrUser : IdentityUser<Guid>
{
    public AgencyId AgencyId { get; set; }

    public string DisplayName { get; set; } = string.Empty;

    public List<Role> Roles { get; set; } = [];

    public Classification Clearance { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When an administrator disabled the account: it neither signs in nor uses its tokens until enabled.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}

/// <summary>
/// A personal API token for the API and the CLI. Only the SHA-256 of the token is stored; the token itself is
/// shown once when issued. A revoked or expired token no longer authenticates.
/// </summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public string Name { get; set; } = string.Empty;

    /// <summary>Lower-case hex SHA-256 of the token string.</summary>
    public string TokenHash { get; set; } = string.Empty;

    /// <summary>The first characters of the token, so a user can tell tokens apart in a list.</summary>
    public string Prefix { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
