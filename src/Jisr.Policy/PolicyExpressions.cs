using System.Linq.Expressions;

namespace Jisr.Policy;

/// <summary>
/// Turns a rule written once as an expression with its inputs as parameters into (a) a filter bound to one
/// principal, which query providers translate to SQL with the inputs as query parameters, and (b) a compiled
/// delegate for checks on objects in memory. Both come from the same expression, so they cannot disagree.
/// </summary>
public static class PolicyExpressions
{
    /// <summary>Binds the four inputs of a five-parameter rule.</summary>
    public static Expression<Func<T, bool>> Bind<T, TArg1, TArg2, TArg3, TArg4>(Expression<Func<T, TArg1, TArg2, TArg3, TArg4, bool>> rule, TArg1 arg1, TArg2 arg2, TArg3 arg3, TArg4 arg4)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var holder = Expression.Constant(new Inputs4<TArg1, TArg2, TArg3, TArg4>(arg1, arg2, arg3, arg4));
        var body = new Substitute(new Dictionary<ParameterExpression, Expression>
        {
            [rule.Parameters[1]] = Expression.Property(holder, nameof(Inputs4<TArg1, TArg2, TArg3, TArg4>.First)),
            [rule.Parameters[2]] = Expression.Property(holder, nameof(Inputs4<TArg1, TArg2, TArg3, TArg4>.Second)),
            [rule.Parameters[3]] = Expression.Property(holder, nameof(Inputs4<TArg1, TArg2, TArg3, TArg4>.Third)),
            [rule.Parameters[4]] = Expression.Property(holder, nameof(Inputs4<TArg1, TArg2, TArg3, TArg4>.Fourth)),
        }).Visit(rule.Body);
        return Expression.Lambda<Func<T, bool>>(body, rule.Parameters[0]);
    }

    /// <summary>Binds the single input of a two-parameter rule.</summary>
    public static Expression<Func<T, bool>> Bind<T, TArg>(Expression<Func<T, TArg, bool>> rule, TArg arg)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var holder = Expression.Constant(new Input<TArg>(arg));
        var body = new Substitute(new Dictionary<ParameterExpression, Expression>
        {
            [rule.Parameters[1]] = Expression.Property(holder, nameof(Input<TArg>.Value)),
        }).Visit(rule.Body);
        return Expression.Lambda<Func<T, bool>>(body, rule.Parameters[0]);
    }

    /// <summary>
    /// Replaces, in a query expression, each call to <paramref name="marker"/> (a method that stands for a rule
    /// in a hand-written query shape) by the rule's body applied to the call's arguments.
    /// </summary>
    public static TExpression Inline<TExpression>(TExpression query, System.Reflection.MethodInfo marker, LambdaExpression rule)
        where TExpression : Expression
    {
        ArgumentNullException.ThrowIfNull(rule);
        return (TExpression)new InlineRule(marker, rule).Visit(query)!;
    }

    /// <summary>Hold bound inputs; member access on them is what LINQ providers turn into query parameters.</summary>
    private sealed record Input<T>(T Value);

    private sealed record Inputs4<T1, T2, T3, T4>(T1 First, T2 Second, T3 Third, T4 Fourth);

    private sealed class Substitute(Dictionary<ParameterExpression, Expression> replacements) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            replacements.TryGetValue(node, out var replacement) ? replacement : node;
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
