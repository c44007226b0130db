using System.Linq.Expressions;

namespace Jisr.Policy;

/// <summary>
/// Turns a rule written once as an expression over (item, input) into (a) a filter bound to one caller, which query
/// providers translate to SQL with the input's members as query parameters, and (b) a compiled delegate for checks on
/// objects in memory. Both come from the same expression, so they cannot disagree. A rule with several inputs takes
/// them as one context object (<see cref="ReadContext"/>, <see cref="NoticeContext"/>, <see cref="EntityReadContext"/>)
/// whose members the rule reads by name.
/// </summary>
public static class PolicyExpressions
{
    /// <summary>
    /// Binds the input of a two-parameter rule: item => rule(item, input). The input is held behind a member access,
    /// never spliced in as a constant, so a scalar input (an agency id, a date) and each member a rule reads from a
    /// context object become query parameters, and one SQL statement serves every caller.
    /// </summary>
    public static Expression<Func<T, bool>> Bind<T, TInput>(Expression<Func<T, TInput, bool>> rule, TInput input)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var bound = Expression.Property(Expression.Constant(new Input<TInput>(input)), nameof(Input<TInput>.Value));
        var body = new Substitute(new() { [rule.Parameters[1]] = bound }).Visit(rule.Body);
        return Expression.Lambda<Func<T, bool>>(body, rule.Parameters[0]);
    }

    /// <summary>Applies <paramref name="rule"/> to what <paramref name="select"/> picks out of an item: item => rule(select(item)).</summary>
    public static Expression<Func<T, bool>> Compose<T, TPart>(Expression<Func<T, TPart>> select, Expression<Func<TPart, bool>> rule)
    {
        ArgumentNullException.ThrowIfNull(select);
        ArgumentNullException.ThrowIfNull(rule);
        var body = new Substitute(new() { [rule.Parameters[0]] = select.Body }).Visit(rule.Body);
        return Expression.Lambda<Func<T, bool>>(body, select.Parameters[0]);
    }

    /// <summary>
    /// Replaces, in a query expression, each call to <paramref name="marker"/> (a method that stands for a rule
    /// in a hand-written query shape) by the rule's body applied to the call's arguments. A context argument written
    /// as a constructor call (<c>new ReadContext(db.Agreements, agency, ...)</c>) is bound by name: where the rule
    /// reads a member of its context, the argument given for the constructor parameter of that name takes its place,
    /// so a compiled query keeps its own parameters and its query roots.
    /// </summary>
    public static TExpression Inline<TExpression>(TExpression query, System.Reflection.MethodInfo marker, LambdaExpression rule)
        where TExpression : Expression
    {
        ArgumentNullException.ThrowIfNull(rule);
        return (TExpression)new InlineRule(marker, rule).Visit(query)!;
    }

    /// <summary>Holds a bound input; member access on it is what LINQ providers turn into query parameters.</summary>
    private sealed record Input<TValue>(TValue Value);

    private sealed class Substitute(Dictionary<ParameterExpression, Expression> replacements) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            replacements.TryGetValue(node, out var replacement) ? replacement : node;

        protected override Expression VisitMember(MemberExpression node)
        {
            var target = Visit(node.Expression);
            if (target is NewExpression { Constructor: { } constructor } created)
            {
                var parameter = constructor.GetParameters().FirstOrDefault(p => string.Equals(p.Name, node.Member.Name, StringComparison.Ordinal));
                if (parameter is null)
                {
                    throw new InvalidOperationException($"{constructor.DeclaringType?.Name} has no constructor parameter named {node.Member.Name}: a policy context binds its members by name");
                }

                return created.Arguments[parameter.Position];
            }

            return node.Update(target);
        }
    }

    private sealed class InlineRule(System.Reflection.MethodInfo marker, LambdaExpression rule) : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method != marker)
            {
                return base.VisitMethodCall(node);
            }

            var arguments = node.Arguments.Select(Visit).ToList();
            var map = rule.Parameters.Select((p, i) => (p, arguments[i]!)).ToDictionary(x => x.p, x => x.Item2);
            return new Substitute(map).Visit(rule.Body);
        }
    }
}
