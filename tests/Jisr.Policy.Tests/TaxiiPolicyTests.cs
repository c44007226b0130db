using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Policy.Tests;

/// <summary><see cref="AccessPolicy.CanServeOverTaxii"/>: what an agency's feed to a partner may hold, case by case.</summary>
public sealed class TaxiiPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly AgencyId Us = new(Guid.NewGuid());
    private static readonly AgencyId Partner = new(Guid.NewGuid());
    private static readonly Principal Analyst = new(new UserId(Guid.NewGuid()), "analyst", Us, "US", new HashSet<Role> { Role.Analyst }, Classification.Secret);

    private static SharingAgreement Agreement(Classification highest = Classification.Confidential, AgreementStatus status = AgreementStatus.InForce)
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var agreement = SharingAgreement.Propose(new SharingTerms(Us, Partner, [ThreatDomain.DrugTrafficking], highest, [HandlingCode.H0, HandlingCode.H1], today.AddDays(-10), today.AddDays(300)), new UserId(Guid.NewGuid()), Now.AddDays(-11));
        if (status != AgreementStatus.Proposed)
        {
            agreement.Accept(new UserId(Guid.NewGuid()), Now.AddDays(-11));
        }

        if (status == AgreementStatus.Suspended)
        {
            agreement.Suspend(Partner, "review", Now.AddDays(-1));
        }

        return agreement;
    }

    private static Record NewRecord(Classification classification = Classification.Restricted, Tlp tlp = Tlp.Amber, HandlingCode handling = HandlingCode.H1, ThreatDomain domain = ThreatDomain.DrugTrafficking, AgencyId? agency = null)
    {
        var record = Record.Create(agency ?? Us, Analyst.UserId, RecordContent.Create(
            RecordKind.IntelligenceReport, "t", "", "en", "basis", "purpose", Now.AddYears(1), DateOnly.FromDateTime(Now.AddMonths(6).UtcDateTime),
            Marking.Create(classification, tlp, handling), SourceGrading.Parse("B2"), [domain]), Now.AddDays(-5));
        if (tlp == Tlp.Red)
        {
            record.SetRecipients([Analyst.UserId]);
        }

        return record;
    }

    [Fact]
    public void AnOwnRecordTheAgreementCovers_IsServed() =>
        Assert.True(AccessPolicy.CanServeOverTaxii(Analyst, NewRecord(), Agreement(), receivedInStix: false, Now).IsAllowed);

    public static TheoryData<string, Record, SharingAgreement, bool> Refusals => new()
    {
        { "TLP:RED", NewRecord(tlp: Tlp.Red), Agreement(), false },
        { "above the agreement's classification", NewRecord(Classification.Secret), Agreement(), false },
        { "handling code not covered", NewRecord(handling: HandlingCode.H2), Agreement(), false },
        { "threat domain not covered", NewRecord(domain: ThreatDomain.Terrorism), Agreement(), false },
        { "agreement suspended", NewRecord(), Agreement(status: AgreementStatus.Suspended), false },
        { "agreement only proposed", NewRecord(), Agreement(status: AgreementStatus.Proposed), false },
        { "another agency's record", NewRecord(agency: Partner), Agreement(), false },
        { "made from received STIX", NewRecord(), Agreement(), true },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void EachRuleKeepsARecordOut(string why, Record record, SharingAgreement agreement, bool receivedInStix) =>
        Assert.False(AccessPolicy.CanServeOverTaxii(Analyst, record, agreement, receivedInStix, Now).IsAllowed, why);

    [Fact]
    public void AReleaseCopy_IsNeverServed_EvenToItsHoldersPartner()
    {
        var source = NewRecord(agency: Partner);
        var toUs = SharingAgreement.Propose(new SharingTerms(Partner, Us, [ThreatDomain.DrugTrafficking], Classification.Secret, [HandlingCode.H0, HandlingCode.H1], DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-10), DateOnly.FromDateTime(Now.UtcDateTime).AddDays(300)), new UserId(Guid.NewGuid()), Now.AddDays(-11));
        toUs.Accept(new UserId(Guid.NewGuid()), Now.AddDays(-11));
        var release = Release.Request(source, Us, toUs, new UserId(Guid.NewGuid()), [], null, false, Now);
        var copy = Record.CreateReleaseCopy(source, release, toUs, Now);

        Assert.False(AccessPolicy.CanServeOverTaxii(Analyst, copy, Agreement(), receivedInStix: false, Now).IsAllowed);
    }

    [Fact]
    public void ARecordAboveTheCallersClearance_IsNotServedToThem()
    {
        var restricted = Analyst with { Clearance = Classification.Restricted };

        Assert.False(AccessPolicy.CanServeOverTaxii(restricted, NewRecord(Classification.Confidential), Agreement(), receivedInStix: false, Now).IsAllowed);
    }
}
