using System.Linq.Expressions;

namespace Jisr.Policy;

/// <summary>
/// A visibility rule over (item, caller's agency), written once as an expression: <see cref="For"/> binds it to a
/// caller for queries (the agency stays a query parameter), <see cref="Allows"/> runs the same expression compiled
/// for in-memory checks, so the two cannot disagree.
/// </summary>
public sealed class AgencyRule<T>
{
    private readonly Func<T, AgencyId, bool> _check;

    public AgencyRule(Expression<Func<T, AgencyId, bool>> rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Expression = rule;
        _check = rule.Compile();
    }

    /// <summary>The rule itself, for splicing into compiled queries.</summary>
    public Expression<Func<T, AgencyId, bool>> Expression { get; }

    public Expression<Func<T, bool>> For(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return PolicyExpressions.Bind(Expression, principal.AgencyId);
    }

    public bool Allows(Principal principal, T item)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(item);
        return _check(item, principal.AgencyId);
    }
}
