using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Domain.Tests;

/// <summary>
/// A declassification's life in every status and action, written out here independently; approvals (of a
/// declassification or a release) bind to the record's version; a record keeps its most sensitive marking since its
/// last release.
/// </summary>
public sealed class DeclassificationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
    private static readonly AgencyId Agency = new(Guid.NewGuid());
    private static readonly UserId Author = new(Guid.NewGuid());

    /// <summary>(status, action) → the status it leads to; absent: refused as a state error.</summary>
    private static readonly Dictionary<(DeclassificationStatus, DeclassificationAction), DeclassificationStatus> Expected = new()
    {
        [(DeclassificationStatus.Pending, DeclassificationAction.Approve)] = DeclassificationStatus.Approved,
        [(DeclassificationStatus.Pending, DeclassificationAction.Refuse)] = DeclassificationStatus.Refused,
    };

    public static TheoryData<DeclassificationStatus, DeclassificationAction> EveryPair()
    {
        var data = new TheoryData<DeclassificationStatus, DeclassificationAction>();
        foreach (var status in Enum.GetValues<DeclassificationStatus>())
        {
            foreach (var action in Enum.GetValues<DeclassificationAction>())
            {
                data.Add(status, action);
            }
        }

        return data;
    }

    private static RecordContent Content(Classification classification, Tlp tlp = Tlp.Amber) =>
        RecordContent.Create(RecordKind.IntelligenceReport, "t", "", "en", "basis", "purpose", Now.AddYears(1), DateOnly.FromDateTime(Now.UtcDateTime).AddMonths(6),
            Marking.Create(classification, tlp, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]);

    private static Record NewRecord(Classification classification = Classification.Confidential, Tlp tlp = Tlp.Amber) =>
        Record.Create(Agency, Author, Content(classification, tlp), Now);

    private static (Declassification Request, Record Record) InStatus(DeclassificationStatus status)
    {
        var record = NewRecord();
        var request = Declassification.Request(record, Author, Marking.Create(Classification.Restricted, Tlp.Amber, HandlingCode.H0), false, "{}", Now);
        switch (status)
        {
            case DeclassificationStatus.Approved: request.Approve(record, new UserId(Guid.NewGuid()), null, Now); break;
            case DeclassificationStatus.Refused: request.Refuse(new UserId(Guid.NewGuid()), "no", Now); break;
        }

        return (request, record);
    }

    [Fact]
    public void TheTable_HasEveryStatus_AndOnlyPendingIsOpen()
    {
        Assert.Equal(Enum.GetValues<DeclassificationStatus>().Order(), Declassification.AllowedActions.Keys.Order());
        Assert.All(Declassification.AllowedActions.Where(p => p.Key != DeclassificationStatus.Pending), p => Assert.Empty(p.Value));
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void EveryActionInEveryStatus_LeadsWhereTheLifeSays_OrIsRefusedAndChangesNothing(DeclassificationStatus status, DeclassificationAction action)
    {
        var (request, record) = InStatus(status);
        void Act()
        {
            if (action == DeclassificationAction.Approve)
            {
                request.Approve(record, new UserId(Guid.NewGuid()), null, Now);
            }
            else
            {
                request.Refuse(new UserId(Guid.NewGuid()), "no", Now);
            }
        }

        if (Expected.TryGetValue((status, action), out var next))
        {
            Act();
            Assert.Equal(next, request.Status);
        }
        else
        {
            var decidedBy = request.DecidedBy;
            Assert.Throws<DomainStateException>(Act);
            Assert.Equal(status, request.Status);
            Assert.Equal(decidedBy, request.DecidedBy);
        }
    }

    [Fact]
    public void ADeclassification_OfARecordChangedSinceTheRequest_CannotBeApproved_OnlyRefused()
    {
        var record = NewRecord();
        var request = Declassification.Request(record, Author, Marking.Create(Classification.Restricted, Tlp.Amber, HandlingCode.H0), false, "{}", Now);
        record.Update(Content(Classification.Confidential), Now);

        Assert.Throws<DomainStateException>(() => request.Approve(record, new UserId(Guid.NewGuid()), null, Now));
        Assert.Equal(DeclassificationStatus.Pending, request.Status);
        request.Refuse(new UserId(Guid.NewGuid()), "stale", Now);
        Assert.Equal(DeclassificationStatus.Refused, request.Status);
    }

    [Fact]
    public void AReleaseApproval_BindsToTheRecordsVersionAtRequest_AndAStaleRequestIsSuperseded()
    {
        var record = NewRecord();
        var partner = new AgencyId(Guid.NewGuid());
        var agreement = SharingAgreement.Propose(new SharingTerms(Agency, partner, [ThreatDomain.Terrorism], Classification.Secret, [HandlingCode.H0], DateOnly.FromDateTime(Now.UtcDateTime), DateOnly.FromDateTime(Now.UtcDateTime).AddYears(1)), Author, Now);
        var release = Release.Request(record, partner, agreement, Author, [], null, needsSecondPerson: true, Now);
        Assert.Throws<DomainStateException>(() => release.Supersede(record, Author, Now));

        record.SetRecipients([]);

        Assert.Throws<DomainStateException>(() => release.Approve(record, new UserId(Guid.NewGuid()), null, Now));
        Assert.Equal(ReleaseStatus.AwaitingApproval, release.Status);
        release.Supersede(record, Author, Now);
        Assert.Equal(ReleaseStatus.Refused, release.Status);
    }

    [Fact]
    public void EveryChange_BumpsTheVersion()
    {
        var record = NewRecord();
        var versions = new List<int> { record.Version };
        record.Update(Content(Classification.Secret), Now);
        versions.Add(record.Version);
        record.SetRecipients([]);
        versions.Add(record.Version);
        record.SetAssertions(Array.Empty<Jisr.Domain.Common.EntityId>(), []);
        versions.Add(record.Version);
        record.ExtendReview(DateOnly.FromDateTime(Now.UtcDateTime).AddDays(10), null, Now);
        versions.Add(record.Version);

        Assert.Equal(versions.Distinct().Count(), versions.Count);
        Assert.Equal(versions.Order(), versions);
    }

    [Fact]
    public void ThePeak_IsTheMostSensitiveMarkingSinceTheLastRelease()
    {
        var record = NewRecord(Classification.Confidential, Tlp.AmberStrict);
        record.Update(Content(Classification.Unclassified, Tlp.Green), Now);

        Assert.Equal((Classification.Confidential, Tlp.AmberStrict), (record.PeakClassification, record.PeakTlp));

        var partner = new AgencyId(Guid.NewGuid());
        var agreement = SharingAgreement.Propose(new SharingTerms(Agency, partner, [ThreatDomain.Terrorism], Classification.Secret, [HandlingCode.H0], DateOnly.FromDateTime(Now.UtcDateTime), DateOnly.FromDateTime(Now.UtcDateTime).AddYears(1)), Author, Now);
        agreement.Accept(Author, Now);
        var release = Release.Request(record, partner, agreement, Author, [], null, needsSecondPerson: true, Now);
        release.Approve(record, new UserId(Guid.NewGuid()), null, Now);
        Record.CreateReleaseCopy(record, release, agreement, Now);

        Assert.Equal((Classification.Unclassified, Tlp.Green), (record.PeakClassification, record.PeakTlp));
        record.Update(Content(Classification.Restricted, Tlp.Red), Now);
        record.Update(Content(Classification.Unclassified, Tlp.Clear), Now);
        Assert.Equal((Classification.Restricted, Tlp.Red), (record.PeakClassification, record.PeakTlp));
    }
}
