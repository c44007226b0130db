using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Policy.Tests;

/// <summary>
/// <see cref="AccessPolicy.CanContributeToMatchFilter"/> over random worlds: a hit/no-hit filter describes exactly the
/// agency's own, not TLP:RED records that the agreement would let it release to the partner; never more.
/// </summary>
public sealed class MatchFilterPolicyPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private static readonly AgencyId Us = new(Guid.NewGuid());
    private static readonly AgencyId Partner = new(Guid.NewGuid());
    private static readonly AgencyId Third = new(Guid.NewGuid());

    [Fact]
    public void AFilterHoldsExactlyWhatTheAgreementWouldLetTheAgencyRelease_OwnAndNotRed()
    {
        var random = new Random(2026);
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var domains = Enum.GetValues<ThreatDomain>();
        var handlings = Enum.GetValues<HandlingCode>();
        var contributed = 0;
        for (var world = 0; world < 5000; world++)
        {
            var (proposer, partner) = random.Next(5) switch { 0 => (Partner, Third), 1 => (Partner, Us), _ => (Us, Partner) };
            var agreement = SharingAgreement.Propose(
                new SharingTerms(proposer, partner,
                [.. domains.Where(_ => random.Next(3) == 0).DefaultIfEmpty(ThreatDomain.DrugTrafficking)],
                (Classification)random.Next(4),
                [.. handlings.Where(_ => random.Next(2) == 0).DefaultIfEmpty(HandlingCode.H1)],
                today.AddDays(-random.Next(5, 20)), today.AddDays(random.Next(-3, 300))), new UserId(Guid.NewGuid()), Now.AddDays(-30));
            switch (random.Next(4))
            {
                case 0: break; // proposed only
                case 1: agreement.Accept(new UserId(Guid.NewGuid()), Now.AddDays(-29)); break;
                case 2: agreement.Accept(new UserId(Guid.NewGuid()), Now.AddDays(-29)); if (!agreement.HasExpired(today)) { agreement.Suspend(proposer, "review", Now.AddDays(-1)); } break;
                default: agreement.Accept(new UserId(Guid.NewGuid()), Now.AddDays(-29)); break;
            }

            var originator = random.Next(5) switch { 0 => Partner, 1 => Third, _ => Us };
            var tlp = (Tlp)random.Next(Enum.GetValues<Tlp>().Length);
            var handling = handlings[random.Next(handlings.Length)];
            var record = Record.Create(originator, new UserId(Guid.NewGuid()), RecordContent.Create(
                RecordKind.IntelligenceReport, "t", "", "en", "basis", "purpose", Now.AddYears(1), today.AddMonths(6),
                Marking.Create((Classification)random.Next(4), tlp, handling, handling == HandlingCode.H3 ? "no onward use" : null), SourceGrading.Parse("B2"),
                [.. domains.Where(_ => random.Next(4) == 0).DefaultIfEmpty(domains[random.Next(domains.Length)])]), Now.AddDays(-5));
            if (tlp == Tlp.Red)
            {
                record.SetRecipients([record.AuthorUserId]);
            }

            var contributes = AccessPolicy.CanContributeToMatchFilter(record, Us, agreement, Now);
            var releasable = agreement.IsParty(Us) && AccessPolicy.ReleaseTerms(record, Us, agreement.Counterpart(Us), agreement, originatorConsented: false, Now).IsAllowed;
            Assert.Equal(record.OriginatorAgencyId == Us && tlp != Tlp.Red && releasable, contributes);
            contributed += contributes ? 1 : 0;
        }

        Assert.InRange(contributed, 50, 4000); // the worlds reach both answers
    }
}
