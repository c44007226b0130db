using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Domain.Tests;

/// <summary>
/// Every (status, action) pair of the agreement, release, consent and access-grant state machines, against an expected
/// life written out here independently, against each class's transition table, and against its methods: an allowed
/// pair leads to the expected status, a refused one throws a state error (409) naming the status and leaves the
/// object as it was.
/// </summary>
public sealed class StateMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly From = new(2026, 12, 1);
    private static readonly DateOnly Until = new(2027, 12, 1);
    private static readonly DateTimeOffset AfterExpiry = new(2027, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly AgencyId A = new(Guid.NewGuid());
    private static readonly AgencyId B = new(Guid.NewGuid());
    private static readonly AgencyId C = new(Guid.NewGuid());
    private static readonly UserId Someone = new(Guid.NewGuid());

    private static readonly Dictionary<(AgreementStatus, AgreementAction), AgreementStatus> AgreementLife = new()
    {
        [(AgreementStatus.Proposed, AgreementAction.Accept)] = AgreementStatus.InForce,
        [(AgreementStatus.Proposed, AgreementAction.End)] = AgreementStatus.Ended,
        [(AgreementStatus.InForce, AgreementAction.Suspend)] = AgreementStatus.Suspended,
        [(AgreementStatus.InForce, AgreementAction.End)] = AgreementStatus.Ended,
        [(AgreementStatus.Suspended, AgreementAction.Resume)] = AgreementStatus.InForce,
        [(AgreementStatus.Suspended, AgreementAction.End)] = AgreementStatus.Ended,
    };

    private static readonly Dictionary<(ReleaseStatus, ReleaseAction), ReleaseStatus> ReleaseLife = new()
    {
        [(ReleaseStatus.AwaitingApproval, ReleaseAction.Approve)] = ReleaseStatus.Released,
        [(ReleaseStatus.AwaitingApproval, ReleaseAction.Refuse)] = ReleaseStatus.Refused,
        [(ReleaseStatus.AwaitingApproval, ReleaseAction.Supersede)] = ReleaseStatus.Refused,
        [(ReleaseStatus.Released, ReleaseAction.Deliver)] = ReleaseStatus.Released,
        [(ReleaseStatus.Released, ReleaseAction.Recall)] = ReleaseStatus.Recalled,
    };

    private static readonly Dictionary<(ConsentStatus, ConsentAction), ConsentStatus> ConsentLife = new()
    {
        [(ConsentStatus.Pending, ConsentAction.Grant)] = ConsentStatus.Granted,
        [(ConsentStatus.Pending, ConsentAction.Refuse)] = ConsentStatus.Refused,
    };

    private static readonly Dictionary<(AccessGrantStatus, AccessGrantAction), AccessGrantStatus> GrantLife = new()
    {
        [(AccessGrantStatus.Pending, AccessGrantAction.Approve)] = AccessGrantStatus.Approved,
        [(AccessGrantStatus.Pending, AccessGrantAction.Refuse)] = AccessGrantStatus.Refused,
    };

    private static TheoryData<TStatus, TAction> Pairs<TStatus, TAction>()
        where TStatus : struct, Enum
        where TAction : struct, Enum
    {
        var data = new TheoryData<TStatus, TAction>();
        foreach (var status in Enum.GetValues<TStatus>())
        {
            foreach (var action in Enum.GetValues<TAction>())
            {
                data.Add(status, action);
            }
        }

        return data;
    }

    public static TheoryData<AgreementStatus, AgreementAction, bool> AgreementPairs()
    {
        var data = new TheoryData<AgreementStatus, AgreementAction, bool>();
        foreach (var status in Enum.GetValues<AgreementStatus>())
        {
            foreach (var action in Enum.GetValues<AgreementAction>())
            {
                data.Add(status, action, false);
                data.Add(status, action, true);
            }
        }

        return data;
    }

    public static TheoryData<ReleaseStatus, ReleaseAction> ReleasePairs() => Pairs<ReleaseStatus, ReleaseAction>();

    public static TheoryData<ConsentStatus, ConsentAction> ConsentPairs() => Pairs<ConsentStatus, ConsentAction>();

    public static TheoryData<AccessGrantStatus, AccessGrantAction> GrantPairs() => Pairs<AccessGrantStatus, AccessGrantAction>();

    [Fact]
    public void EachTable_IsExactlyTheLifeWrittenOutHere()
    {
        Assert.Equal(AgreementLife.OrderBy(p => p.Key), SharingAgreement.Transitions.Transitions.Select(p => KeyValuePair.Create((p.Key.From, p.Key.Action), p.Value)).OrderBy(p => p.Key));
        Assert.Equal(ReleaseLife.OrderBy(p => p.Key), Release.Transitions.Transitions.Select(p => KeyValuePair.Create((p.Key.From, p.Key.Action), p.Value)).OrderBy(p => p.Key));
        Assert.Equal(ConsentLife.OrderBy(p => p.Key), ConsentRequest.Transitions.Transitions.Select(p => KeyValuePair.Create((p.Key.From, p.Key.Action), p.Value)).OrderBy(p => p.Key));
        Assert.Equal(GrantLife.OrderBy(p => p.Key), AccessGrant.Transitions.Transitions.Select(p => KeyValuePair.Create((p.Key.From, p.Key.Action), p.Value)).OrderBy(p => p.Key));
        Assert.Equal([AgreementAction.End], SharingAgreement.Expiry);
    }

    // Agreements: the table, and past the validity period only ending.
    private static SharingAgreement AgreementIn(AgreementStatus status)
    {
        var agreement = SharingAgreement.Propose(new SharingTerms(A, B, [ThreatDomain.Terrorism], Classification.Confidential, [HandlingCode.H0], From, Until), Someone, Now);
        switch (status)
        {
            case AgreementStatus.InForce: agreement.Accept(Someone, Now); break;
            case AgreementStatus.Suspended: agreement.Accept(Someone, Now); agreement.Suspend(A, "audit", Now); break;
            case AgreementStatus.Ended: agreement.End("withdrawn", Now); break;
        }

        Assert.Equal(status, agreement.Status);
        return agreement;
    }

    [Theory]
    [MemberData(nameof(AgreementPairs))]
    public void Agreement_EveryActionInEveryStatus_WithinAndAfterItsDates(AgreementStatus status, AgreementAction action, bool expired)
    {
        var agreement = AgreementIn(status);
        var at = expired ? AfterExpiry : Now.AddHours(1);
        void Act()
        {
            switch (action)
            {
                case AgreementAction.Accept: agreement.Accept(new UserId(Guid.NewGuid()), at); break;
                case AgreementAction.Suspend: agreement.Suspend(B, "suspended", at); break;
                case AgreementAction.Resume: agreement.Resume("resumed", at); break;
                case AgreementAction.End: agreement.End("ended", at); break;
            }
        }

        Assert.Equal(AgreementLife.ContainsKey((status, action)), SharingAgreement.Transitions.Allows(status, action));
        if (AgreementLife.TryGetValue((status, action), out var next) && (!expired || action == AgreementAction.End))
        {
            Act();
            Assert.Equal(next, agreement.Status);
            Assert.Equal(SharingAgreement.Transitions.Next(status, action), agreement.Status);
            Assert.Equal(at, agreement.StatusChangedAt);
            Assert.Equal(action == AgreementAction.Suspend ? B : action == AgreementAction.Resume ? null : agreement.SuspendedBy, agreement.SuspendedBy);
        }
        else
        {
            var before = (agreement.Status, agreement.StatusReason, agreement.StatusChangedAt, agreement.SuspendedBy, agreement.AcceptedBy, agreement.AcceptedAt);
            var error = Assert.Throws<DomainStateException>(Act);
            Assert.Contains(AgreementLife.ContainsKey((status, action)) ? "expired" : $"is {SharingAgreement.StatusNames[status]}", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, (agreement.Status, agreement.StatusReason, agreement.StatusChangedAt, agreement.SuspendedBy, agreement.AcceptedBy, agreement.AcceptedAt));
        }
    }

    [Fact]
    public void AStateError_NamesTheStatus_AndWhatIsPossibleFromIt()
    {
        var inForce = AgreementIn(AgreementStatus.InForce);
        Assert.Equal("this agreement is in-force: it cannot be accepted (from in-force: suspend, end)", Assert.Throws<DomainStateException>(() => inForce.Accept(Someone, Now)).Message);
        var ended = AgreementIn(AgreementStatus.Ended);
        Assert.Equal("this agreement is ended: it cannot be resumed (ended is final)", Assert.Throws<DomainStateException>(() => ended.Resume("r", Now)).Message);
        var proposed = AgreementIn(AgreementStatus.Proposed);
        Assert.Equal("this agreement expired on 2027-12-01: it cannot be accepted (once expired: end)", Assert.Throws<DomainStateException>(() => proposed.Accept(Someone, AfterExpiry)).Message);
    }

    // Releases: approvals bind to the record's version, a superseded request is one for an older version.
    private static RecordContent Content(string title) =>
        RecordContent.Create(RecordKind.IntelligenceReport, title, "", "en", "basis", "purpose", Now.AddYears(1), DateOnly.FromDateTime(Now.UtcDateTime).AddMonths(6),
            Marking.Create(Classification.Confidential, Tlp.Amber, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]);

    private static SharingAgreement InForceAgreement()
    {
        var agreement = SharingAgreement.Propose(new SharingTerms(A, B, [ThreatDomain.Terrorism], Classification.Secret, [HandlingCode.H0], DateOnly.FromDateTime(Now.UtcDateTime), Until), Someone, Now);
        agreement.Accept(Someone, Now);
        return agreement;
    }

    private static (Release Release, Record Record) ReleaseIn(ReleaseStatus status)
    {
        var record = Record.Create(A, Someone, Content("t"), Now);
        var release = Release.Request(record, B, InForceAgreement(), Someone, [], null, needsSecondPerson: status is not (ReleaseStatus.Released or ReleaseStatus.Recalled), Now);
        if (status == ReleaseStatus.Refused)
        {
            release.Refuse(Someone, "no", Now);
        }

        if (status == ReleaseStatus.Recalled)
        {
            release.Recall(Someone, "source compromised", Now);
        }

        Assert.Equal(status, release.Status);
        return (release, record);
    }

    [Theory]
    [MemberData(nameof(ReleasePairs))]
    public void Release_EveryActionInEveryStatus(ReleaseStatus status, ReleaseAction action)
    {
        var (release, record) = ReleaseIn(status);
        var copy = RecordId.New(Now);
        void Act()
        {
            switch (action)
            {
                case ReleaseAction.Approve: release.Approve(record, new UserId(Guid.NewGuid()), null, Now); break;
                case ReleaseAction.Refuse: release.Refuse(new UserId(Guid.NewGuid()), "no", Now); break;
                case ReleaseAction.Supersede: record.Update(Content("changed"), Now); release.Supersede(record, Someone, Now); break;
                case ReleaseAction.Deliver: release.Delivered(copy); break;
                case ReleaseAction.Recall: release.Recall(Someone, "source compromised", Now); break;
            }
        }

        Assert.Equal(ReleaseLife.ContainsKey((status, action)), Release.Transitions.Allows(status, action));
        if (ReleaseLife.TryGetValue((status, action), out var next))
        {
            Act();
            Assert.Equal(next, release.Status);
            Assert.Equal(Release.Transitions.Next(status, action), release.Status);
            Assert.Equal(action == ReleaseAction.Deliver ? copy : null, release.CopyRecordId);
        }
        else
        {
            var before = (release.Status, release.DecidedBy, release.DecidedAt, release.DecisionReason, release.CopyRecordId);
            var error = Assert.Throws<DomainStateException>(Act);
            Assert.StartsWith($"this release is {Release.StatusNames[status]}: ", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, (release.Status, release.DecidedBy, release.DecidedAt, release.DecisionReason, release.CopyRecordId));
        }
    }

    [Fact]
    public void Release_DeliversOneCopyOnly()
    {
        var (release, _) = ReleaseIn(ReleaseStatus.Released);
        var first = RecordId.New(Now);
        release.Delivered(first);
        Assert.Throws<DomainStateException>(() => release.Delivered(RecordId.New(Now)));
        Assert.Equal(first, release.CopyRecordId);
    }

    // Consent requests: the originator answers once.
    private static ConsentRequest ConsentIn(ConsentStatus status)
    {
        var record = Record.Create(A, Someone, Content("t"), Now);
        var agreement = InForceAgreement();
        var release = Release.Request(record, B, agreement, Someone, [], null, needsSecondPerson: false, Now);
        var consent = ConsentRequest.Request(Record.CreateReleaseCopy(record, release, agreement, Now), C, Someone, null, Now);
        switch (status)
        {
            case ConsentStatus.Granted: consent.Grant(Someone, null, Now); break;
            case ConsentStatus.Refused: consent.Refuse(Someone, "no", Now); break;
        }

        Assert.Equal(status, consent.Status);
        return consent;
    }

    [Theory]
    [MemberData(nameof(ConsentPairs))]
    public void Consent_EveryActionInEveryStatus(ConsentStatus status, ConsentAction action)
    {
        var consent = ConsentIn(status);
        var by = new UserId(Guid.NewGuid());
        void Act()
        {
            if (action == ConsentAction.Grant)
            {
                consent.Grant(by, "yes", Now.AddHours(1));
            }
            else
            {
                consent.Refuse(by, "no", Now.AddHours(1));
            }
        }

        Assert.Equal(ConsentLife.ContainsKey((status, action)), ConsentRequest.Transitions.Allows(status, action));
        if (ConsentLife.TryGetValue((status, action), out var next))
        {
            Act();
            Assert.Equal(next, consent.Status);
            Assert.Equal(ConsentRequest.Transitions.Next(status, action), consent.Status);
            Assert.Equal(by, consent.DecidedBy);
        }
        else
        {
            var before = (consent.Status, consent.DecidedBy, consent.DecidedAt, consent.DecisionReason);
            var error = Assert.Throws<DomainStateException>(Act);
            Assert.StartsWith($"this consent request is {ConsentRequest.StatusNames[status]}: ", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, (consent.Status, consent.DecidedBy, consent.DecidedAt, consent.DecisionReason));
        }
    }

    // Access grants: another administrator answers once, for the account as it was asked for.
    private static AccessGrant GrantIn(AccessGrantStatus status)
    {
        var grant = AccessGrant.Request(A, new UserId(Guid.NewGuid()), [Role.Analyst], Classification.Restricted, [Role.Administrator], Classification.Confidential, Someone, Now);
        switch (status)
        {
            case AccessGrantStatus.Approved: grant.Approve(Someone, [Role.Analyst], Classification.Restricted, Now); break;
            case AccessGrantStatus.Refused: grant.Refuse(Someone, Now); break;
        }

        Assert.Equal(status, grant.Status);
        return grant;
    }

    [Theory]
    [MemberData(nameof(GrantPairs))]
    public void AccessGrant_EveryActionInEveryStatus(AccessGrantStatus status, AccessGrantAction action)
    {
        var grant = GrantIn(status);
        var by = new UserId(Guid.NewGuid());
        void Act()
        {
            if (action == AccessGrantAction.Approve)
            {
                grant.Approve(by, [Role.Analyst], Classification.Restricted, Now.AddHours(1));
            }
            else
            {
                grant.Refuse(by, Now.AddHours(1));
            }
        }

        Assert.Equal(GrantLife.ContainsKey((status, action)), AccessGrant.Transitions.Allows(status, action));
        if (GrantLife.TryGetValue((status, action), out var next))
        {
            Act();
            Assert.Equal(next, grant.Status);
            Assert.Equal(AccessGrant.Transitions.Next(status, action), grant.Status);
            Assert.Equal(by, grant.DecidedBy);
        }
        else
        {
            var before = (grant.Status, grant.DecidedBy, grant.DecidedAt);
            var error = Assert.Throws<DomainStateException>(Act);
            Assert.StartsWith($"this grant is {AccessGrant.StatusNames[status]}: ", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, (grant.Status, grant.DecidedBy, grant.DecidedAt));
        }
    }

    [Fact]
    public void AccessGrant_ForAnAccountChangedSinceTheRequest_CannotBeApproved_OnlyRefused()
    {
        var grant = GrantIn(AccessGrantStatus.Pending);
        Assert.Throws<DomainStateException>(() => grant.Approve(Someone, [Role.Analyst, Role.LegalReviewer], Classification.Restricted, Now));
        Assert.Equal(AccessGrantStatus.Pending, grant.Status);
        grant.Refuse(Someone, Now);
        Assert.Equal(AccessGrantStatus.Refused, grant.Status);
    }
}
