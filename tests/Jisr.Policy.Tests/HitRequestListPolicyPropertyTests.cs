using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;

namespace Jisr.Policy.Tests;

/// <summary>
/// Who has the hit request list at all (<see cref="AccessPolicy.CanSeeHitRequests"/>, the page and its menu entry) over
/// random principals and requests: everyone who could open or see any request has it, nobody else; and the notice
/// flood guard.
/// </summary>
public sealed class HitRequestListPolicyPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private static readonly AgencyId[] Agencies = [new(Guid.NewGuid()), new(Guid.NewGuid())];
    private static readonly Role[] Roles = Enum.GetValues<Role>();

    [Fact]
    public void TheListIsThereForEveryoneWhoCanOpenOrSeeARequest_AndForNobodyElse()
    {
        var random = new Random(12);
        int allowed = 0, denied = 0;
        for (var world = 0; world < 5000; world++)
        {
            var user = new UserId(Guid.NewGuid());
            var principal = new Principal(user, "u", Agencies[random.Next(2)], "X", Roles.Where(_ => random.Next(5) == 0).ToHashSet(), Classification.Secret);
            var list = AccessPolicy.CanSeeHitRequests(principal);

            // Some request this principal would see: one it asked, one to its agency, one between others.
            var own = HitRequest.Open(new AgreementId(Guid.NewGuid()), principal.AgencyId, Agencies.First(a => a != principal.AgencyId), user, "u", "name", "n", [], "p", "l", HandlingCode.H1, HitRequestUrgency.Routine, Now);
            var toAgency = HitRequest.Open(new AgreementId(Guid.NewGuid()), Agencies.First(a => a != principal.AgencyId), principal.AgencyId, new UserId(Guid.NewGuid()), "v", "name", "n", [], "p", "l", HandlingCode.H1, HitRequestUrgency.Routine, Now);
            var seesSome = AccessPolicy.CanSeeHitRequest(principal, toAgency) || (AccessPolicy.CanCheckHits(principal).IsAllowed && AccessPolicy.CanSeeHitRequest(principal, own));
            Assert.Equal(seesSome, list.IsAllowed);
            Assert.True(list.IsAllowed || list.Outcome == PolicyOutcome.Denied);
            Assert.True(!AccessPolicy.CanSeeHitNotices(principal).IsAllowed || list.IsAllowed, "whoever sees the notices sees the requests");
            allowed += list.IsAllowed ? 1 : 0;
            denied += list.IsAllowed ? 0 : 1;
        }

        Assert.InRange(allowed, 500, 4900);
        Assert.InRange(denied, 100, 4500);
    }

    [Fact]
    public void TheNoticeFloodGuard_KeepsAtMostTheLimitAsRows_AndSaysSo()
    {
        foreach (var limit in new[] { 1, 5, 20 })
        {
            for (var kept = 0; kept < 40; kept++)
            {
                var decision = AccessPolicy.WithinHitNoticeRate(kept, limit, TimeSpan.FromMinutes(1));
                Assert.Equal(kept < limit, decision.IsAllowed);
                Assert.True(decision.IsAllowed || decision.Reason!.Contains($"at most {limit}", StringComparison.Ordinal));
            }
        }
    }
}
