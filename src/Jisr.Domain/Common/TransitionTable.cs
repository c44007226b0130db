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
    // The status each (status, action) leads to, at [status slot * action count + action slot]; -1 where refused.
    private readonly int[] _next;

    /// <param name="what">The item, as in "this release" ("release").</param>
    public TransitionTable(string what, WireNames<TStatus> statuses, WireNames<TAction> actions, params (TStatus From, TAction Action, TStatus To)[] transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        _what = what;
        _statuses = statuses;
        _actions = actions;
        _next = new int[EnumSlots<TStatus>.Count * EnumSlots<TAction>.Count];
        Array.Fill(_next, -1);
        foreach (var (from, action, to) in transitions)
        {
            var cell = Cell(from, action);
            if (cell < 0 || _next[cell] >= 0 || !EnumSlots<TStatus>.IsDefined(EnumSlots<TStatus>.Of(to)))
            {
                throw new InvalidOperationException($"{what}: ({from}, {action}) → {to} is not a new transition between values of the enums");
            }

            _next[cell] = EnumSlots<TStatus>.Of(to);
        }
    }

    /// <summary>Every allowed (status, action) and the status it leads to.</summary>
    public IReadOnlyDictionary<(TStatus From, TAction Action), TStatus> Transitions =>
        (from status in EnumSlots<TStatus>.Values
         from action in EnumSlots<TAction>.Values
         where Allows(status, action)
         select (status, action)).ToDictionary(pair => pair, pair => Next(pair.status, pair.action));

    public WireNames<TAction> Actions => _actions;

    public bool Allows(TStatus status, TAction action) => Cell(status, action) is >= 0 and var cell && _next[cell] >= 0;

    /// <summary>The actions <paramref name="status"/> allows, in the enum's order.</summary>
    public IReadOnlyList<TAction> AllowedFrom(TStatus status) => [.. EnumSlots<TAction>.Values.Where(a => Allows(status, a))];

    /// <summary>The status <paramref name="action"/> leads to from <paramref name="status"/>, or a state error (409).</summary>
    public TStatus Next(TStatus status, TAction action) =>
        Allows(status, action) ? EnumSlots<TStatus>.From(_next[Cell(status, action)]) : throw StateError(status, action);

    /// <summary>The pair's index in the table, or -1 for a number that is not a value of its enum.</summary>
    private static int Cell(TStatus status, TAction action)
    {
        var from = EnumSlots<TStatus>.Of(status);
        var verb = EnumSlots<TAction>.Of(action);
        return EnumSlots<TStatus>.IsDefined(from) && EnumSlots<TAction>.IsDefined(verb) ? (from * EnumSlots<TAction>.Count) + verb : -1;
    }

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
