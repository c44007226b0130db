using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;

namespace Jisr.Testing;

/// <summary>Sharing agreements in every state a random world needs, for the property tests of the read rules.</summary>
public static class RandomAgreements
{
    /// <summary>An agreement between two agencies in a random state: proposed, in force, suspended, ended, expired or not yet valid on <paramref name="now"/>.</summary>
    public static SharingAgreement Between(Random random, AgencyId a, AgencyId b, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(random);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var state = random.Next(6);
        var (from, until) = state switch
        {
            4 => (today.AddDays(-800), today.AddDays(-random.Next(2, 300))), // expired
            5 => (today.AddDays(random.Next(2, 60)), today.AddDays(700)), // not yet valid
            _ => (today.AddDays(-random.Next(2, 700)), today.AddDays(random.Next(2, 700))),
        };
        var proposedAt = new DateTimeOffset(from.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var agreement = SharingAgreement.Propose(new SharingTerms(a, b, Enum.GetValues<ThreatDomain>(), Classification.Secret, Enum.GetValues<HandlingCode>(), from, until), new UserId(Guid.NewGuid()), proposedAt);
        if (state != 0)
        {
            agreement.Accept(new UserId(Guid.NewGuid()), proposedAt);
        }

        if (state == 2)
        {
            agreement.Suspend(a, "suspended for review", proposedAt);
        }
        else if (state == 3)
        {
            agreement.End("cooperation ended", proposedAt);
        }

        return agreement;
    }
}
