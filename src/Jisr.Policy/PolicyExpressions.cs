using System.Linq.Expressions;

namespace Jisr.Policy;

/// <summary>
/// Turns a rule written once as an expression with its inputs as parameters into (a) a filter bound to one
/// principal, which query providers translate to SQL with the inputs as query parameters, and (b) a compiled
/// delegate for checks on objects in memory. Both come from the same expression, so they cannot disagree.
/// </summary>
public static class PolicyExpressions
{
    /// <summary>Binds the six inputs of a seven-parameter rule.</summary>
    public static Expression<Func<T, bool>> Bind<T, TArg1, TArg2, TArg3, TArg4, TArg5, TArg6>(Expression<Func<T, TArg1, TArg2, TArg3, TArg4, TArg5, TArg6, bool>> rule, TArg1 arg1, TArg2 arg2, TArg3 arg3, TArg4 arg4, TArg5 arg5, TArg6 arg6)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return BindAll<T>(rule, new Inputs<TArg1, TArg2, TArg3, TArg4, TArg5, TArg6>(arg1, arg2, arg3, arg4, arg5, arg6));
    }

    /// <summary>Binds the five inputs of a six-parameter rule.</summary>
    public static Expression<Func<T, bool>> Bind<T, TArg1, TArg2, TArg3, TArg4, TArg5>(Expression<Func<T, TArg1, TArg2, TArg3, TArg4, TArg5, bool>> rule, TArg1 arg1, TArg2 arg2, TArg3 arg3, TArg4 arg4, TArg5 arg5)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return BindAll<T>(rule, new Inputs<TArg1, TArg2, TArg3, TArg4, TArg5, object?>(arg1, arg2, arg3, arg4, arg5, null));
    }

    /// <summary>Binds the three inputs of a four-parameter rule.</summary>
    public static Expression<Func<T, bool>> Bind<T, TArg1, TArg2, TArg3>(Expression<Func<T, TArg1, TArg2, TArg3, bool>> rule, TArg1 arg1, TArg2 arg2, TArg3 arg3)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return BindAll<T>(rule, new Inputs<TArg1, TArg2, TArg3, object?, object?, object?>(arg1, arg2, arg3, null, null, null));
    }

    /// <summary>Binds the two inputs of a three-parameter rule.</summary>
    public static Expression<Func<T, bool>> Bind<T, TArg1, TArg2>(Expression<Func<T, TArg1, TArg2, bool>> rule, TArg1 arg1, TArg2 arg2)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return BindAll<T>(rule, new Inputs<TArg1, TArg2, object?, object?, object?, object?>(arg1, arg2, null, null, null, null));
    }

    /// <summary>Binds the single input of a two-parameter rule.</summary>
    public static Expression<Func<T, bool>> Bind<T, TArg>(Expression<Func<T, TArg, bool>> rule, TArg arg)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return BindAll<T>(rule, new Inputs<TArg, object?, object?, object?, object?, object?>(arg, null, null, null, null, null));
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
    /// in a hand-written query shape) by the rule's body applied to the call's arguments.
    /// </summary>
    public static TExpression Inline<TExpression>(TExpression query, System.Reflection.MethodInfo marker, LambdaExpression rule)
        where TExpression : Expression
    {
        ArgumentNullException.ThrowIfNull(rule);
        return (TExpression)new InlineRule(marker, rule).Visit(query)!;
    }

    /// <summary>Holds bound inputs; member access on them is what LINQ providers turn into query parameters.</summary>
    private sealed record Inputs<T1, T2, T3, T4, T5, T6>(T1 First, T2 Second, T3 Third, T4 Fourth, T5 Fifth, T6 Sixth);

    /// <summary>Replaces each input parameter of <paramref name="rule"/> (all but the first) by a property of <paramref name="inputs"/>, in order.</summary>
    private static Expression<Func<T, bool>> BindAll<T>(LambdaExpression rule, object inputs)
    {
        var holder = Expression.Constant(inputs);
        string[] names = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth"];
        var map = rule.Parameters.Skip(1).Select((p, i) => (p, (Expression)Expression.Property(holder, names[i]))).ToDictionary(x => x.p, x => x.Item2);
        return Expression.Lambda<Func<T, bool>>(new Substitute(map).Visit(rule.Body), rule.Parameters[0]);
    }

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
