using System.Text.Encodings.Web;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Jisr.Server.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer jisr_…</c> with a personal API token, or <c>Authorization: Basic</c> with a user
/// name and one of that user's API tokens as the password (for TAXII clients; never an account's password). The principal behind a token is
/// cached for a short time so reads stay fast; revoking through this node drops the cache entry at once. The account
/// service (a database context and Identity's user manager) is resolved only when the cache does not know the token:
/// most requests never need it.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        string presented;
        string? userName = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && BasicCredentials(header["Basic ".Length..].Trim()) is { } basic)
        {
            // TAXII clients (MISP, OpenCTI, taxii2-client) often speak only Basic: the password must be one of the user's
            // API tokens. An account's password is never accepted this way (it would travel with every request).
            (userName, presented) = basic;
        }
        else
        {
            return AuthenticateResult.NoResult();
        }

        var hash = ApiTokens.Hash(presented);
        if (!cache.TryGet(hash, out var principal))
        {
            var accounts = Context.RequestServices.GetRequiredService<AccountService>();
            var token = await accounts.FindActiveTokenAsync(presented, Context.RequestAborted);
            principal = token is null ? null : await accounts.PrincipalForAsync(token.UserId, Context.RequestAborted);
            if (principal is null)
            {
                return AuthenticateResult.Fail("the API token is unknown, expired or revoked");
            }

            cache.Set(hash, token!.Id, principal, token.ExpiresAt);
        }

        if (userName is not null && !string.Equals(userName, principal!.UserName, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail("the API token is not this user's");
        }

        var ticket = new AuthenticationTicket(ClaimsMapping.ToClaims(principal!, SchemeName), SchemeName);
        return AuthenticateResult.Success(ticket);
    }

    /// <summary>User name and password of a Basic header, or null when it is not one.</summary>
    private static (string User, string Password)? BasicCredentials(string encoded)
    {
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? (text[..colon], text[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>Short-lived cache of token hash → principal, with removal by token id on revocation.</summary>
public sealed class TokenCache(IMemoryCache cache, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (string Hash, Guid UserId)> _byTokenId = new();

    public bool TryGet(string hash, out Jisr.Policy.Principal? principal) => cache.TryGetValue(hash, out principal);

    public void Set(string hash, Guid tokenId, Jisr.Policy.Principal principal, DateTimeOffset? expiresAt)
    {
        var until = time.GetUtcNow() + Lifetime;
        if (expiresAt is { } end && end < until)
        {
            until = end;
        }

        _byTokenId[tokenId] = (hash, principal.UserId.Value);
        cache.Set(hash, principal, until);
    }

    public void Forget(Guid tokenId)
    {
        if (_byTokenId.TryRemove(tokenId, out var entry))
        {
            cache.Remove(entry.Hash);
        }
    }

    /// <summary>Drops every cached token of a user whose access changed, so the change holds at their next request.</summary>
    public void ForgetUser(Guid userId)
    {
        foreach (var (tokenId, entry) in _byTokenId)
        {
            if (entry.UserId == userId)
            {
                Forget(tokenId);
            }
        }
    }
}
