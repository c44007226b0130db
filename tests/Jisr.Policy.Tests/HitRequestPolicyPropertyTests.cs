using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;

namespace Jisr.Policy.Tests;

/// <summary>
/// Hit requests over random worlds: who sees a request (the list filter and the in-memory rule agree), who answers it,
/// who opens one, what a peer may send, and the flood guard.
/// </summary>
public sealed class HitRequestPolicyPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private static readonly AgencyId[] Agencies = [new(Guid.NewGuid()), new(Guid.NewGuid()), new(Guid.NewGuid())];
    private static readonly Role[] Roles = Enum.GetValues<Role>();

    [Fact]
    public void OnlyTheAskerAndTheOwnersOverseersSeeARequest_OnlyTheOwnersLiaisonOfficersAnswerIt()
    {
        var random = new Random(10);
        var users = Enumerable.Range(0, 40).Select(_ => new UserId(Guid.NewGuid())).ToArray();
        int seen = 0, answerable = 0;
        for (var world = 0; world < 5000; world++)
        {
            var requester = Agencies[random.Next(3)];
            var owner = Agencies.Where(a => a != requester).ElementAt(random.Next(2));
            var asker = users[random.Next(users.Length)];
            var request = HitRequest.Open(new AgreementId(Guid.NewGuid()), requester, owner, asker, "asker", "name", "Youssef El Idrissi", ["ysf + drs"], "case 1", "art. 5", HandlingCode.H1, HitRequestUrgency.Routine, Now);
            var principal = RandomPrincipal(random, random.Next(4) == 0 ? asker : users[random.Next(users.Length)]);
            var sees = AccessPolicy.CanSeeHitRequest(principal, request);
            Assert.Equal(AccessPolicy.ShownHitRequests(principal).Compile()(request), sees);

            var oversees = principal.Has(Role.LiaisonOfficer) || principal.Has(Role.LegalReviewer) || principal.Has(Role.Administrator);
            var expected = (principal.AgencyId == requester && (oversees || principal.UserId == asker)) || (principal.AgencyId == owner && oversees);
            Assert.Equal(expected, sees);

            var answer = AccessPolicy.CanAnswerHitRequest(principal, request);
            Assert.Equal(sees ? (principal.AgencyId == owner && principal.Has(Role.LiaisonOfficer) ? PolicyOutcome.Allowed : PolicyOutcome.Denied) : PolicyOutcome.NotVisible, answer.Outcome);
            seen += sees ? 1 : 0;
            answerable += answer.IsAllowed ? 1 : 0;
        }

        Assert.InRange(seen, 500, 4500);
        Assert.InRange(answerable, 100, 4000);
    }

    [Fact]
    public void ARequestOpensOnlyAfterAHit_UnderAnAgreementInForceBetweenTheTwo_AndAPeerSendsOnlyForItsOwnAgencies()
    {
        var random = new Random(11);
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        int opened = 0, taken = 0;
        for (var world = 0; world < 5000; world++)
        {
            var a = Agencies[random.Next(3)];
            var b = Agencies[random.Next(3)];
            var agreement = a == b ? null : SharingAgreement.Propose(
                new SharingTerms(a, b, [ThreatDomain.DrugTrafficking], Classification.Confidential, [HandlingCode.H1], today.AddDays(-10), today.AddDays(random.Next(-3, 30))), new UserId(Guid.NewGuid()), Now.AddDays(-30));
            var inForce = false;
            if (agreement is not null && random.Next(4) > 0)
            {
                agreement.Accept(new UserId(Guid.NewGuid()), Now.AddDays(-29));
                if (random.Next(3) == 0 && !agreement.HasExpired(today))
                {
                    agreement.Suspend(a, "review", Now.AddDays(-1));
                }

                inForce = agreement.IsInForce(today);
            }

            var principal = RandomPrincipal(random, new UserId(Guid.NewGuid()));
            var owner = Agencies[random.Next(3)];
            var hit = random.Next(3) > 0;
            var open = AccessPolicy.CanOpenHitRequest(principal, owner, agreement, hit, Now);
            var mayCheck = principal.Has(Role.Analyst) || principal.Has(Role.FieldOfficer) || principal.Has(Role.LiaisonOfficer);
            var between = agreement is not null && owner != principal.AgencyId && agreement.IsParty(owner) && agreement.IsParty(principal.AgencyId);
            Assert.Equal(mayCheck && between && inForce && hit, open.IsAllowed);
            opened += open.IsAllowed ? 1 : 0;

            // The owner's node takes a request only from the node hosting the requester, for an agency it hosts, under that agreement in force.
            if (agreement is not null)
            {
                var request = HitRequest.Open(agreement.Id, a, b, new UserId(Guid.NewGuid()), "x", "name", "n", [], "p", "l", HandlingCode.H1, HitRequestUrgency.Urgent, Now);
                var peerAgencies = Agencies.Where(_ => random.Next(2) == 0).ToHashSet();
                var ownerHere = random.Next(4) > 0;
                var peer = AccessPolicy.CanPeerOpenHitRequest(peerAgencies, request, ownerHere, random.Next(6) == 0 ? null : agreement, Now);
                if (peer.IsAllowed)
                {
                    Assert.Contains(a, peerAgencies);
                    Assert.True(ownerHere && inForce);
                    taken++;
                }

                var reply = AccessPolicy.CanPeerReplyToHitRequest(peerAgencies, Agencies[random.Next(3)], request);
                Assert.True(!reply.IsAllowed || peerAgencies.Contains(b), "only the node hosting the owner answers");
            }
        }

        Assert.InRange(opened, 50, 4000);
        Assert.InRange(taken, 50, 4000);
        Assert.Equal(PolicyOutcome.NotVisible, AccessPolicy.CanPeerReplyToHitRequest(Agencies.ToHashSet(), Agencies[0], null).Outcome);
    }

    [Fact]
    public void TheFloodGuard_TakesExactlyTheLimit()
    {
        for (var limit = 1; limit < 40; limit += 7)
        {
            for (var count = 0; count < 60; count++)
            {
                var decision = AccessPolicy.WithinHitRequestRate(count, limit, TimeSpan.FromHours(1));
                Assert.Equal(count < limit, decision.IsAllowed);
                Assert.True(decision.IsAllowed || decision.Reason!.Contains($"at most {limit}", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void RemindersFallAtHalfTimeAndTheDeadline_AndStopOnceAnswered()
    {
        var request = HitRequest.Open(new AgreementId(Guid.NewGuid()), Agencies[0], Agencies[1], new UserId(Guid.NewGuid()), "x", "name", "n", [], "p", "l", HandlingCode.H1, HitRequestUrgency.Immediate, Now);
        Assert.Equal(Now.AddDays(1), request.Deadline);
        Assert.False(request.ReminderDue(Now.AddHours(11)));
        Assert.True(request.ReminderDue(Now.AddHours(12)));
        request.Remind(Now.AddHours(12));
        Assert.False(request.ReminderDue(Now.AddHours(23)));
        Assert.False(request.IsOverdue(Now.AddHours(23)));
        Assert.True(request.ReminderDue(Now.AddHours(24)));
        Assert.True(request.IsOverdue(Now.AddHours(25)));
        request.Refuse(new UserId(Guid.NewGuid()), "liaison", "nothing to share", Now.AddHours(25));
        Assert.False(request.ReminderDue(Now.AddDays(3)));
        Assert.False(request.IsOverdue(Now.AddDays(3)));
        Assert.Throws<DomainStateException>(() => request.Refuse(null, "again", "twice", Now.AddDays(3)));
    }

    private static Principal RandomPrincipal(Random random, UserId user) =>
        new(user, "u", Agencies[random.Next(3)], "X", Roles.Where(_ => random.Next(4) == 0).ToHashSet(), Classification.Secret);
}
