using System.Linq.Expressions;
using System.Reflection;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Policy.Tests;

/// <summary>
/// A rule's context object is bound by name: in a query shape that writes the context as a constructor call, each
/// member the rule reads becomes the argument given for the constructor parameter of that name, so no context object
/// is left for a query provider to translate and the query keeps its own parameters.
/// </summary>
public sealed class PolicyExpressionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static bool RecordRule(Record record, ReadContext context) => throw new InvalidOperationException("marker");

    private static readonly MethodInfo Marker = typeof(PolicyExpressionsTests).GetMethod(nameof(RecordRule), BindingFlags.NonPublic | BindingFlags.Static)!;

    [Fact]
    public void Inline_BindsAConstructedContext_ByName_AndAgreesWithTheRule()
    {
        var shape = (Expression<Func<Record, AgencyId, Classification, UserId, bool>>)((record, agency, clearance, user) =>
            RecordRule(record, new ReadContext(Array.Empty<SharingAgreement>(), agency, clearance, user, Now, AccessPolicy.Today(Now))));

        var inlined = PolicyExpressions.Inline(shape, Marker, AccessPolicy.RecordReadRule);

        var left = new Finder();
        left.Visit(inlined);
        Assert.DoesNotContain(left.Types, t => t == typeof(ReadContext));
        var check = inlined.Compile();
        var agency = new AgencyId(Guid.NewGuid());
        var author = new UserId(Guid.NewGuid());
        var record = Record.Create(agency, author, RecordContent.Create(
            RecordKind.IntelligenceReport, "t", "", "en", "basis", "purpose", Now.AddYears(1), DateOnly.FromDateTime(Now.AddMonths(6).UtcDateTime),
            Marking.Create(Classification.Confidential, Tlp.Red, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]), Now);
        foreach (var (reader, clearance, user) in new[]
                 {
                     (agency, Classification.Secret, author), (agency, Classification.Secret, new UserId(Guid.NewGuid())),
                     (agency, Classification.Restricted, author), (new AgencyId(Guid.NewGuid()), Classification.Secret, author),
                 })
        {
            var principal = new Principal(user, "u", reader, "AG", new HashSet<Role> { Role.Analyst }, clearance);
            Assert.Equal(AccessPolicy.CanRead(principal, record, Now), check(record, reader, clearance, user));
        }

        Assert.True(check(record, agency, Classification.Secret, author));
    }

    [Fact]
    public void Bind_KeepsTheInputBehindAMemberAccess_NeverAConstantOfItsOwn()
    {
        var agency = new AgencyId(Guid.NewGuid());

        var filter = AccessPolicy.ReleaseVisibleRule.For(new Principal(new UserId(Guid.NewGuid()), "u", agency, "AG", new HashSet<Role>(), Classification.Secret));

        var found = new Finder();
        found.Visit(filter);
        Assert.DoesNotContain(found.Constants, t => t == typeof(AgencyId));
    }

    private sealed class Finder : ExpressionVisitor
    {
        public List<Type> Types { get; } = [];

        public List<Type> Constants { get; } = [];

        protected override Expression VisitNew(NewExpression node)
        {
            Types.Add(node.Type);
            return base.VisitNew(node);
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression is { } target)
            {
                Types.Add(target.Type);
            }

            return base.VisitMember(node);
        }

        protected override Expression VisitConstant(ConstantExpression node)
        {
            Constants.Add(node.Type);
            return base.VisitConstant(node);
        }
    }
}
