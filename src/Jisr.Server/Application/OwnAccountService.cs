namespace Jisr.Server.Application;

/// <summary>
/// The caller's own account: signing in with a password, and their personal API tokens. Each user manages only
/// their own, so there is no decision to ask the policy for: another user's token does not exist for them (404).
/// </summary>
public sealed class OwnAccountService(AccountService accounts, TokenCache cache, SignInThrottle throttle, TimeProvider time)
{
    public const int MaxTokenNameLength = 100;

    /// <summary>How long a client waits when the throttle says no.</summary>
    public TimeSpan SignInWindow => throttle.Window;

    /// <summary>
    /// Checks the password unless the name has had too many failed attempts lately (<see cref="SignInThrottle"/>);
    /// every outcome is audited. Starting the session is the caller's (HTTP) part.
    /// </summary>
    public async Task<SignInResult> SignInAsync(LoginRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            throw DomainValidationException.Coded("userName", ValidationCodes.Required, "is required");
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            throw DomainValidationException.Coded("password", ValidationCodes.Required, "is required");
        }

        if (!throttle.MayTry(request.UserName))
        {
            await accounts.RecordThrottledSignInAsync(request.UserName);
            return new SignInResult(SignInOutcome.TooManyAttempts, null);
        }

        var result = await accounts.SignInAsync(request.UserName, request.Password, request.Code, cancellationToken);
        if (result.Outcome != SignInOutcome.Succeeded)
        {
            throttle.Failed(request.UserName);
        }

        return result;
    }

    /// <summary>A new authenticator key for the caller, required at sign-in once confirmed with a first code.</summary>
    public async Task<SecondFactorKey> SetUpSecondFactorAsync(Principal caller, CancellationToken cancellationToken)
    {
        var user = await OwnAccountAsync(caller, cancellationToken);
        return await accounts.ResetSecondFactorAsync(user, enable: false, By(caller), cancellationToken);
    }

    /// <summary>Confirms the caller's new authenticator key with a code from their app; a wrong code is a 400 naming the field.</summary>
    public async Task ConfirmSecondFactorAsync(Principal caller, SecondFactorConfirmation request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var code = Guard.Text(request.Code, "code", 16);
        var user = await OwnAccountAsync(caller, cancellationToken);
        if (!await accounts.ConfirmSecondFactorAsync(user, code, By(caller), cancellationToken))
        {
            throw DomainValidationException.Coded("code", ValidationCodes.CodeMismatch, "does not match the key: check the time on your device and enter the current 6-digit code");
        }
    }

    /// <summary>Signs the caller out of every session (their API tokens stay valid: they are revoked one by one).</summary>
    public Task SignOutAsync(Principal caller, CancellationToken cancellationToken) => accounts.SignOutAsync(caller, cancellationToken);

    /// <summary>The caller's tokens, without the tokens themselves (stored hashed).</summary>
    public Task<List<ApiToken>> ListTokensAsync(Principal caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return accounts.ListTokensAsync(caller.UserId, cancellationToken);
    }

    /// <summary>A new token for the caller; its secret is in the answer only, never stored.</summary>
    public Task<IssuedToken> IssueTokenAsync(Principal caller, TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var name = Guard.Text(request.Name ?? "api", "name", MaxTokenNameLength);
        Guard.That(request.ExpiresAt is null || request.ExpiresAt > time.GetUtcNow(), "expiresAt", ValidationCodes.MustBeFuture, "must be in the future");
        return accounts.IssueTokenAsync(
            caller.UserId, name, request.ExpiresAt, new AuditEvent(AuditActions.TokenCreate, caller.UserId, caller.UserName, caller.AgencyId), cancellationToken);
    }

    /// <summary>Revokes one of the caller's tokens; it stops working at once (the authentication cache forgets it).</summary>
    public async Task<Outcome<Guid>> RevokeTokenAsync(Principal caller, Guid id, CancellationToken cancellationToken)
    {
        if (!await accounts.RevokeTokenAsync(caller, id, cancellationToken))
        {
            return Refusal.NotFound($"token {id}");
        }

        cache.Forget(id);
        return id;
    }

    private async Task<JisrUser> OwnAccountAsync(Principal caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await accounts.FindUserForChangeAsync(caller.AgencyId, caller.UserId.Value, cancellationToken)
            ?? throw new DomainStateException("your account no longer exists");
    }

    private static AuditEvent By(Principal caller) => new(string.Empty, caller.UserId, caller.UserName, caller.AgencyId);
}
