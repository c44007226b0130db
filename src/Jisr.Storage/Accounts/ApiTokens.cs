namespace Jisr.Storage.Accounts;

/// <summary>
/// Personal API tokens: <c>jisr_</c> followed by 43 base64url characters (256 random bits). Only the SHA-256 is
/// stored, so a copy of the database does not give anyone a working token.
/// </summary>
public static class ApiTokens
{
    public const string TokenPrefix = "jisr_";

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A new token for the user: the row to store and the secret, which is shown once and never stored.</summary>
    public static IssuedToken Issue(Guid userId, string name, DateTimeOffset now, DateTimeOffset? expiresAt)
    {
        var secret = TokenPrefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return new IssuedToken(new ApiToken
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Name = string.IsNullOrWhiteSpace(name) ? "token" : name.Trim(),
            TokenHash = Hash(secret),
            Prefix = secret[..(TokenPrefix.Length + 6)],
            CreatedAt = now,
            ExpiresAt = expiresAt,
        }, secret);
    }

    /// <summary>The active token row for a presented token string, or null.</summary>
    internal static async Task<ApiToken?> FindActiveAsync(JisrDbContext db, string presented, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!presented.StartsWith(TokenPrefix, StringComparison.Ordinal) || presented.Length > 100)
        {
            return null;
        }

        var hash = Hash(presented);
        var token = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        return token is not null && token.IsActive(now) ? token : null;
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A token just issued: its stored row and the secret the user is shown once.</summary>
public sealed record IssuedToken(ApiToken Token, string Secret);
