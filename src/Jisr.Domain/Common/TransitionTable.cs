namespace Jisr.Domain.Common;

/// <summary>
/// A state machine's life in one table: (status, action) → the status it leads to; a pair not in the table is refused
/// with a <see cref="DomainStateException"/> (409) that names the status and the actions it allows. The domain methods
/// ask it before they change anything, so the table is the only place a transition is allowed.
/// </summary>
public sealed class TransitionTable<TStatus, TAction>
    where TStatus : struct, Enum
    where TAction : struct, Enum
{
    private readonly string _what;
    private readonly WireNames<TStatus> _statuses;
    private readonly WireNames<TAction> _actions;
    private readonly FrozenDictionary<(TStatus, TAction), TStatus> _next;

    /// <param name="what">The item, as in "this release" ("release").</param>
    public TransitionTable(string what, WireNames<TStatus> statuses, WireNames<TAction> actions, params (TStatus From, TAction Action, TStatus To)[] transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        _what = what;
        _statuses = statuses;
        _actions = actions;
        _next = transitions.ToFrozenDictionary(t => (t.From, t.Action), t => t.To);
    }

    /// <summary>Every allowed (status, action) and the status it leads to.</summary>
    public IReadOnlyDictionary<(TStatus From, TAction Action), TStatus> Transitions => _next;

    public WireNames<TAction> Actions => _actions;

    public bool Allows(TStatus status, TAction action) => _next.ContainsKey((status, action));

    /// <summary>The actions <paramref name="status"/> allows, in the enum's order.</summary>
    public IReadOnlyList<TAction> AllowedFrom(TStatus status) => [.. Enum.GetValues<TAction>().Where(a => Allows(status, a))];

    /// <summary>The status <paramref name="action"/> leads to from <paramref name="status"/>, or a state error (409).</summary>
    public TStatus Next(TStatus status, TAction action) =>
        _next.TryGetValue((status, action), out var next) ? next : throw StateError(status, action);

    /// <summary>The 409 for an action that <paramref name="status"/> does not allow, naming what it does allow.</summary>
    public DomainStateException StateError(TStatus status, TAction action)
    {
        var allowed = AllowedFrom(status);
        var from = _statuses[status];
        var possible = allowed.Count == 0 ? $"{from} is final" : $"from {from}: {string.Join(", ", allowed.Select(a => _actions[a]))}";
        return new DomainStateException($"this {_what} is {from}: it cannot be {Done(action)} ({possible})");
    }

    /// <summary>The action's past participle, for messages ("accepted").</summary>
    public string Done(TAction action) => _actions[action] switch
    {
        var verb when verb.EndsWith('e') => verb + "d",
        var verb => verb + "ed",
    };
}
