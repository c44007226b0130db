using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;

namespace Jisr.Domain.Tests;

public sealed class SharingAgreementTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly AgencyId Proposer = new(Guid.NewGuid());
    private static readonly AgencyId Partner = new(Guid.NewGuid());

    private static SharingAgreement Propose(DateOnly? from = null, DateOnly? until = null) =>
        SharingAgreement.Propose(new SharingTerms(Proposer, Partner, [ThreatDomain.Terrorism], Classification.Confidential, [HandlingCode.H0],
            from ?? new DateOnly(2026, 12, 1), until ?? new DateOnly(2027, 12, 1)), new UserId(Guid.NewGuid()), Now);

    [Fact]
    public void IsInForce_OnlyOnceAcceptedAndWithinItsDates()
    {
        var agreement = Propose();
        Assert.False(agreement.IsInForce(new DateOnly(2027, 1, 1)));

        agreement.Accept(new UserId(Guid.NewGuid()), Now);

        Assert.False(agreement.IsInForce(new DateOnly(2026, 11, 30)));
        Assert.True(agreement.IsInForce(new DateOnly(2027, 1, 1)));
        Assert.False(agreement.IsInForce(new DateOnly(2027, 12, 2)));
    }

    [Fact]
    public void Suspend_TakesItOutOfForceAtOnce_AndResumeBringsItBack()
    {
        var agreement = Propose();
        agreement.Accept(new UserId(Guid.NewGuid()), Now);

        agreement.Suspend(Proposer, "audit of the partner's handling", Now);
        Assert.False(agreement.IsInForce(new DateOnly(2027, 1, 1)));

        agreement.Resume("audit closed", Now);
        Assert.True(agreement.IsInForce(new DateOnly(2027, 1, 1)));
    }

    [Fact]
    public void Propose_WithItself_BackDated_OrInvertedDates_IsRefused()
    {
        Assert.Equal("partner", Assert.Throws<DomainValidationException>(() =>
            SharingAgreement.Propose(new SharingTerms(Proposer, Proposer, [ThreatDomain.Terrorism], Classification.Secret, [HandlingCode.H0], new DateOnly(2027, 1, 1), new DateOnly(2028, 1, 1)), new UserId(Guid.NewGuid()), Now)).Field);
        Assert.Equal("validFrom", Assert.Throws<DomainValidationException>(() => Propose(from: new DateOnly(2026, 11, 1))).Field);
        Assert.Equal("validUntil", Assert.Throws<DomainValidationException>(() => Propose(until: new DateOnly(2026, 11, 30))).Field);
    }

    [Fact]
    public void StateChanges_InTheWrongState_AreRefusedAndChangeNothing()
    {
        // Which agency may make a change is the policy's decision (AccessPolicyTests); the state is the agreement's.
        var agreement = Propose();

        Assert.Throws<DomainStateException>(() => agreement.Suspend(Proposer, "reason", Now));
        Assert.Throws<DomainStateException>(() => agreement.Resume("reason", Now));
        Assert.Equal(AgreementStatus.Proposed, agreement.Status);

        agreement.End("withdrawn", Now);
        Assert.Throws<DomainStateException>(() => agreement.End("again", Now));
        Assert.Throws<DomainStateException>(() => agreement.Accept(new UserId(Guid.NewGuid()), Now));
        Assert.Equal("withdrawn", agreement.StatusReason);
    }
}
