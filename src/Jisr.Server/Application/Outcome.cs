namespace Jisr.Server.Application;

public enum RefusalKind
{
    /// <summary>The item does not exist, or the caller may not know it does (the two look the same): 404.</summary>
    NotFound,

    /// <summary>The caller sees the item but may not do this to it: 403, with the policy's reason.</summary>
    Forbidden,

    /// <summary>The item's state does not allow it (already decided, already released...): 409.</summary>
    Conflict,
}

/// <summary>Why an application service did not do what was asked, in words a person can act on.</summary>
public sealed record Refusal(RefusalKind Kind, string Detail)
{
    /// <summary><paramref name="what"/> names the item, e.g. "record 0194...".</summary>
    public static Refusal NotFound(string what) => new(RefusalKind.NotFound, what);

    public static Refusal Forbidden(string reason) => new(RefusalKind.Forbidden, reason);

    public static Refusal Conflict(string reason) => new(RefusalKind.Conflict, reason);

    /// <summary>
    /// What a policy decision means for the caller: nothing (null) when allowed, "not found" when the item is not
    /// visible to them, "forbidden" with the policy's reason otherwise. The one place where decisions become refusals.
    /// </summary>
    public static Refusal? Of(PolicyDecision decision, string what)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Outcome switch
        {
            PolicyOutcome.Allowed => null,
            PolicyOutcome.NotVisible => NotFound(what),
            PolicyOutcome.Denied => Forbidden(decision.Reason ?? "not allowed"),
        };
    }
}

/// <summary>The answer of an application service: a value, or the <see cref="Refusal"/> that stands in for it.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, Refusal? refusal)
    {
        Value = value;
        Refusal = refusal;
    }

    public T? Value { get; }

    public Refusal? Refusal { get; }

    public static implicit operator Outcome<T>(T value) => FromValue(value);

    public static implicit operator Outcome<T>(Refusal refusal) => FromRefusal(refusal);

    public static Outcome<T> FromValue(T value) => new(value, null);

    public static Outcome<T> FromRefusal(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new(default, refusal);
    }
}

/// <summary>The one shape of a change to an item that exists already.</summary>
public static class Change
{
    /// <summary>
    /// Finds nothing: 404; the policy refuses: 404 or 403 with its reason; else applies the change (the domain may
    /// refuse it for the item's state: 409) and saves it with its audit entry.
    /// </summary>
    public static async Task<Outcome<T>> ApplyAsync<T>(T? item, string what, Func<T, PolicyDecision> decide, Action<T> apply, Func<T, Task> save)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(decide);
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(save);
        if (item is null)
        {
            return Refusal.NotFound(what);
        }

        if (Refusal.Of(decide(item), what) is { } refused)
        {
            return refused;
        }

        apply(item);
        await save(item);
        return item;
    }

    /// <summary>A read of one item: null means not found (or not visible, which looks the same).</summary>
    public static Outcome<T> Found<T>(T? item, string what)
        where T : class => item is null ? Refusal.NotFound(what) : item;
}
