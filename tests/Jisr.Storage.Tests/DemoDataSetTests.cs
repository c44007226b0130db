using Jisr.Domain.Entities;
using Jisr.Domain.Records;
using Jisr.Domain.Users;
using Jisr.Storage.Seeding;

namespace Jisr.Storage.Tests;

public sealed class DemoDataSetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly DemoWorld World = DemoDataSet.Build(Now);

    [Fact]
    public void Build_HasTheFivePartnerAgencies_EachWithAnAdministratorAndAnAnalyst_AndNoOneHoldsBothSidesOfAFourEyesPair()
    {
        Assert.Superset(new HashSet<string> { "MA-DGSN", "MA-DGST", "ES-CNP", "FR-DGSI", "INT-IPSG" }, World.Agencies.Select(a => a.Code).ToHashSet());
        foreach (var agency in World.Agencies)
        {
            var users = World.Users.Where(u => u.AgencyCode == agency.Code).ToList();
            Assert.InRange(users.Count, 2, 5);
            Assert.Contains(users, u => u.Roles.Contains(Role.Administrator));
            Assert.Contains(users, u => u.Roles.Contains(Role.Analyst));
        }

        Assert.Equal(World.Users.Count, World.Users.Select(u => u.UserName).Distinct().Count());
        Assert.DoesNotContain(World.Users, u => u.Roles.Contains(Role.Administrator) && u.Roles.Contains(Role.LegalReviewer));
        Assert.Single(World.Users, u => u.Roles.Contains(Role.NodeAdministrator));
    }

    [Fact]
    public void Build_Has200RecordsInArabicFrenchAndEnglish_AcrossEveryDomainAndKind()
    {
        var records = World.Records.Select(r => r.Record).ToList();

        Assert.True(records.Count >= 200);
        foreach (var language in new[] { "ar", "fr", "en" })
        {
            Assert.True(records.Count(r => r.Language == language) >= records.Count / 5, $"too few records in {language}");
        }

        Assert.Equal(Enum.GetValues<ThreatDomain>().Order(), records.SelectMany(r => r.ThreatDomains).Distinct().Order());
        Assert.Equal(Enum.GetValues<RecordKind>().Order(), records.Select(r => r.Kind).Distinct().Order());
        Assert.All(records.Where(r => r.Language == "ar"), r => Assert.Contains(r.Title, c => c is >= '\u0600' and <= '\u06FF'));
    }

    [Fact]
    public void Build_Has500EntitiesAnd500Links_OfEveryType_OwnedByTheRecordsAgency()
    {
        var entities = World.Records.SelectMany(r => r.Entities).DistinctBy(e => e.Id).ToList();
        var links = World.Records.SelectMany(r => r.Record.Links).ToList();

        Assert.True(entities.Count >= 500, $"{entities.Count} entities");
        Assert.True(links.Count >= 500, $"{links.Count} links");
        Assert.Equal(Enum.GetValues<EntityType>().Order(), entities.Select(e => e.Type).Distinct().Order());
        Assert.Equal(Enum.GetValues<LinkType>().Order(), links.Select(l => l.Type).Distinct().Order());
        Assert.All(World.Records, r => Assert.All(r.Entities, e => Assert.Equal(r.Record.OriginatorAgencyId, e.AgencyId)));
    }

    [Fact]
    public void Build_RepeatsPersonsAcrossRecords_AndAcrossAgenciesWithOtherSpellings()
    {
        var mentions = World.Records.SelectMany(r => r.Entities.OfType<Person>()).GroupBy(p => p.Id);
        Assert.Contains(mentions, g => g.Count() >= 5);

        // Some fictional family name is spelled by different services in Arabic script, the French way and the English way.
        var names = World.Records.SelectMany(r => r.Entities.OfType<Person>()).SelectMany(p => p.Names).Select(n => n.Text).ToList();
        Assert.Contains(DemoVocabulary.FamilyNames, family =>
            names.Any(n => n.Contains(family.Arabic, StringComparison.Ordinal))
            && names.Any(n => n.Contains(family.French, StringComparison.OrdinalIgnoreCase))
            && names.Any(n => n.Contains(family.English, StringComparison.Ordinal)));
    }

    [Fact]
    public void Build_IsDeterministic()
    {
        var again = DemoDataSet.Build(Now);

        Assert.Equal(World.Records.Select(r => r.Record.Title + r.Record.Body), again.Records.Select(r => r.Record.Title + r.Record.Body));
        Assert.Equal(World.Records.SelectMany(r => r.Entities.Select(e => e.Label)), again.Records.SelectMany(r => r.Entities.Select(e => e.Label)));
    }

    [Fact]
    public void UserId_IsStablePerNameAndDistinct()
    {
        Assert.Equal(DemoDataSet.UserId("amina.analyst.dgsn"), DemoDataSet.UserId("amina.analyst.dgsn"));
        Assert.Equal(World.Users.Count, World.Users.Select(u => DemoDataSet.UserId(u.UserName)).Distinct().Count());
    }
}
