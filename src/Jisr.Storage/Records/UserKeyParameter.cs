using System.Linq.Expressions;

namespace Jisr.Storage.Records;

/// <summary>
/// A compiled query translates its parameters, not member reads on them: where a policy rule reads the Guid of the
/// caller's user id (<c>userId.Value</c>, compared with a recipient row's user key, see <see cref="RecordRecipient"/>),
/// the compiled query takes that Guid as a parameter of its own (<c>userKey</c>). Shared by every compiled read that
/// inlines <see cref="AccessPolicy.RecordReadRule"/>.
/// </summary>
internal static class UserKeyParameter
{
    /// <summary>Rewrites <c>userId.Value</c> in <paramref name="query"/> to its <c>userKey</c> parameter.</summary>
    public static Expression<TDelegate> Substitute<TDelegate>(Expression<TDelegate> query)
    {
        var userId = query.Parameters.Single(p => p.Name == "userId");
        var userKey = query.Parameters.Single(p => p.Name == "userKey");
        return (Expression<TDelegate>)new UserKeyOf(userId, userKey).Visit(query);
    }

    private sealed class UserKeyOf(ParameterExpression userId, ParameterExpression userKey) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node) =>
            node.Expression == userId && node.Member.Name == nameof(UserId.Value) ? userKey : base.VisitMember(node);
    }
}
