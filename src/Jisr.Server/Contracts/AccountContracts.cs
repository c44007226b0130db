namespace Jisr.Server.Contracts;

/// <summary><see cref="Code"/>: the 6-digit code of the user's authenticator app, for accounts that sign in with a second factor.</summary>
public sealed record LoginRequest(string? UserName, string? Password, string? Code = null);

/// <summary>A new authenticator key: <see cref="Uri"/> is what an authenticator app reads (as a QR code).</summary>
public sealed record SecondFactorResponse(string Key, string Uri);

public sealed record SecondFactorConfirmation(string? Code);

/// <summary>The token a cookie session sends in <see cref="HeaderName"/> with every change.</summary>
public sealed record AntiforgeryTokenResponse(string Token, string HeaderName);

public sealed record MeResponse(Guid Id, string UserName, AgencyRef Agency, IReadOnlyList<string> Roles, string Clearance);

public sealed record AgencyRequest(string? Code, string? Name, string? Country);

public sealed record AgencyResponse(Guid Id, string Code, string Name, string Country);

public sealed record UserRequest(string? UserName, string? DisplayName, IReadOnlyList<string>? Roles, string? Clearance, string? Password);

public sealed record UserResponse(Guid Id, string UserName, string DisplayName, Guid AgencyId, IReadOnlyList<string> Roles, string Clearance, bool Disabled);

/// <summary>The roles and clearance an account should have (the whole new set, not a difference).</summary>
public sealed record UserAccessRequest(IReadOnlyList<string>? Roles, string? Clearance);

public sealed record PasswordResetRequest(string? Password);

/// <summary>A change of access waiting for (or decided by) a second administrator.</summary>
public sealed record AccessGrantResponse(
    Guid Id, Guid UserId, IReadOnlyList<string> FromRoles, string FromClearance, IReadOnlyList<string> Roles, string Clearance,
    Guid RequestedBy, DateTimeOffset RequestedAt, string Status, Guid? DecidedBy, DateTimeOffset? DecidedAt);

public sealed record TokenRequest(string? Name, DateTimeOffset? ExpiresAt);

/// <summary>The token itself is in this response only; it cannot be shown again.</summary>
public sealed record IssuedTokenResponse(Guid Id, string Name, string Token, DateTimeOffset? ExpiresAt);

public sealed record TokenResponse(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, bool Active);

public sealed record AuditEntryResponse(long Sequence, DateTimeOffset At, string? Actor, string Action, string? TargetType, string? TargetId, string? Purpose, string Outcome, string? Detail)
{
    public static AuditEntryResponse From(Storage.Audit.AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Sequence, entry.At, entry.ActorName, entry.Action, entry.TargetType, entry.TargetId, entry.Purpose, entry.Outcome, entry.Detail);
    }
}
