namespace Jisr.Policy;

public enum PolicyOutcome
{
    /// <summary>The action is allowed.</summary>
    Allowed,

    /// <summary>The caller may see the resource but not do this to it (HTTP 403).</summary>
    Denied,

    /// <summary>The caller may not even know the resource exists (HTTP 404, exactly like a missing one).</summary>
    NotVisible,
}

/// <summary>A policy answer with the reason a person can act on.</summary>
public sealed record PolicyDecision(PolicyOutcome Outcome, string? Reason)
{
    public static readonly PolicyDecision Allow = new(PolicyOutcome.Allowed, null);

    public static readonly PolicyDecision NotVisible = new(PolicyOutcome.NotVisible, "not found");

    public bool IsAllowed => Outcome == PolicyOutcome.Allowed;

    public static PolicyDecision Deny(string reason) => new(PolicyOutcome.Denied, reason);
}
