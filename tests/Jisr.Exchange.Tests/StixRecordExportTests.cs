using System.Text.Json.Nodes;
using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Exchange.Stix;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Exchange.Tests;

public sealed class StixRecordExportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 30, 0, TimeSpan.Zero);
    private static readonly Agency Originator = Agency.Create("MA-DGSN", "Direction générale de la sûreté nationale", "MA", Now.AddYears(-1));

    /// <summary>A record that mentions one entity of every type, linked in a chain, with the given marking.</summary>
    private static (Record Record, List<Entity> Entities) RecordWithEveryEntityType(Marking marking)
    {
        var a = Originator.Id;
        List<Entity> entities =
        [
            Person.Create(a, [PersonName.Create("يوسف الإدريسي"), PersonName.Create("Youssef El Idrissi")], PartialDate.Parse("1987-03"), "Tanger", Gender.Male, ["MA"], [PersonIdentifier.Create("passport", "AB123456", "MA")], Now),
            Organisation.Create(a, "Réseau du Détroit", ["Strait network"], "MA", Now),
            Location.Create(a, "Port de Tanger Med", "MA", 35.88, -5.5, Now),
            Location.Create(a, "Entrepôt sans adresse", null, null, null, Now),
            PhoneNumber.Create(a, "+212 6-61 23 45 67", Now),
            EmailAddress.Create(a, "contact@example.org", Now),
            OnlineAccount.Create(a, "Telegram", "@detroit_logistique", null, Now),
            IdentityDocument.Create(a, DocumentKind.Passport, "AB123456", "MA", new DateOnly(2030, 1, 1), Now),
            Vehicle.Create(a, "12345-A-6", "MA", "Renault", "Kangoo", "blanc", Now),
            Vessel.Create(a, "Al Bahr", "9074729", null, "PA", Now),
            BankAccount.Create(a, "MA64 0115 1900 0001 2050 0053 4921", null, "SARL Détroit", Now),
            CryptoWallet.Create(a, "BTC", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", Now),
            Event.Create(a, "Transbordement nocturne", PartialDate.Parse("2026-10-12"), "Tanger Med", Now),
        ];
        var content = RecordContent.Create(
            RecordKind.IntelligenceReport, "شبكة تهريب عبر ميناء طنجة", "Observation <b>du</b> réseau & de ses relais.", "ar",
            "Loi 03-03", "Prévention du trafic", Now.AddYears(5), DateOnly.FromDateTime(Now.UtcDateTime).AddYears(1), marking,
            SourceGrading.Parse("B2"), [ThreatDomain.DrugTrafficking, ThreatDomain.OrganisedCrime]);
        var record = Record.Create(Originator.Id, new UserId(Guid.NewGuid()), content, Now);
        var links = entities.Zip(entities.Skip(1), (x, y) => LinkDraft.Create(x.Id, y.Id, LinkType.AssociateOf, PartialDate.Parse("2025-01"), PartialDate.Parse("2026-06"), Now)).ToList();
        record.SetAssertions(entities, links);
        return (record, entities);
    }

    private static IEnumerable<string> References(JsonObject o)
    {
        foreach (var key in new[] { "created_by_ref", "source_ref", "target_ref" })
        {
            if (o[key] is { } single)
            {
                yield return single.GetValue<string>();
            }
        }

        foreach (var key in new[] { "object_refs", "object_marking_refs" })
        {
            foreach (var item in o[key]?.AsArray() ?? [])
            {
                yield return item!.GetValue<string>();
            }
        }
    }

    [Theory]
    [InlineData(Classification.Restricted, Tlp.Amber, HandlingCode.H1)]
    [InlineData(Classification.Secret, Tlp.Red, HandlingCode.H2)]
    [InlineData(Classification.Unclassified, Tlp.Clear, HandlingCode.H0)]
    [InlineData(Classification.Confidential, Tlp.AmberStrict, HandlingCode.H3)]
    public void Bundle_IsValidAgainstTheOasisSchemas_AndEveryReferenceResolves(Classification classification, Tlp tlp, HandlingCode handling)
    {
        var (record, entities) = RecordWithEveryEntityType(Marking.Create(classification, tlp, handling, handling == HandlingCode.H3 ? "no onward use" : null));

        var bundle = StixRecordExport.Bundle(record, Originator, entities);

        var errors = StixSchemas.ValidateBundle(bundle);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(20)));
        var objects = bundle["objects"]!.AsArray().Select(o => o!.AsObject()).ToList();

        var ids = objects.Select(o => o["id"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(objects.Count, ids.Count);
        Assert.All(objects.SelectMany(References), r => Assert.Contains(r, ids));
        var report = Assert.Single(objects, o => o["type"]!.GetValue<string>() == "report");
        Assert.Equal(objects.Count - 3, report["object_refs"]!.AsArray().Count); // everything but the two markings and the report itself
        Assert.Equal(TlpMarkings.IdOf(tlp), report["object_marking_refs"]![0]!.GetValue<string>());
        Assert.Equal(entities.Count - 1, objects.Count(o => o["type"]!.GetValue<string>() == "relationship"));
    }

    [Fact]
    public void Bundle_KeepsArabicText_MapsEntitiesToStixTypes_AndCarriesTheH1Flag()
    {
        var (record, entities) = RecordWithEveryEntityType(Marking.Create(Classification.Restricted, Tlp.Amber, HandlingCode.H1));

        var bundle = StixRecordExport.Bundle(record, Originator, entities);
        var text = StixRecordExport.Serialize(bundle);

        var objects = bundle["objects"]!.AsArray().Select(o => o!.AsObject()).ToList();
        var types = objects.Select(o => o["type"]!.GetValue<string>()).ToList();
        Assert.Contains("شبكة تهريب عبر ميناء طنجة", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", text, StringComparison.Ordinal); // markup characters are escaped in the JSON text
        Assert.Equal(3, types.Count(t => t == "identity")); // originator, person, organisation
        foreach (var type in new[] { "email-addr", "user-account", "location", "x-jisr-location", "x-jisr-phone", "x-jisr-document", "x-jisr-vehicle", "x-jisr-vessel", "x-jisr-bank-account", "x-jisr-crypto-wallet", "x-jisr-event" })
        {
            Assert.Single(types, t => t == type);
        }

        var report = objects.Single(o => o["type"]!.GetValue<string>() == "report");
        Assert.True(report["x_jisr_not_for_judicial_use_without_consent"]!.GetValue<bool>());
        var statement = objects.Single(o => o["definition_type"]?.GetValue<string>() == "statement");
        Assert.Contains("not for use in judicial proceedings without the originator's consent", statement["definition"]!["statement"]!.GetValue<string>(), StringComparison.Ordinal);
        var person = objects.Single(o => o["identity_class"]?.GetValue<string>() == "individual");
        Assert.Equal(["يوسف الإدريسي", "Youssef El Idrissi"], person["x_jisr_names"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Ids_AreStableAcrossExports_AndAreUuidVersion5()
    {
        var (record, entities) = RecordWithEveryEntityType(Marking.Create(Classification.Restricted, Tlp.Green, HandlingCode.H0));

        var first = StixRecordExport.Bundle(record, Originator, entities)["objects"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).ToList();
        var second = StixRecordExport.Bundle(record, Originator, entities)["objects"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).ToList();

        Assert.Equal(first, second);
        Assert.All(first.Where(id => !id.StartsWith("marking-definition--", StringComparison.Ordinal)), id => Assert.Equal('5', id[id.IndexOf("--", StringComparison.Ordinal) + 2 + 14]));
    }

    [Fact]
    public void UuidV5_MatchesTheRfcReferenceValue()
    {
        // RFC 9562 / Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), StixIds.UuidV5(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"));
    }

    [Fact]
    public void TheSchemas_AcceptTheOasisTlpMarkings_AndRejectABrokenBundle()
    {
        foreach (var tlp in Enum.GetValues<Tlp>())
        {
            Assert.Empty(StixSchemas.Validate(TlpMarkings.Definition(tlp), "common/marking-definition.json"));
        }

        RejectsABrokenBundle();
    }

    private static void RejectsABrokenBundle()
    {
        var (record, entities) = RecordWithEveryEntityType(Marking.Create(Classification.Restricted, Tlp.Amber, HandlingCode.H0));
        var bundle = StixRecordExport.Bundle(record, Originator, entities);
        var report = bundle["objects"]!.AsArray().Single(o => o!["type"]!.GetValue<string>() == "report")!.AsObject();
        report.Remove("object_refs");

        Assert.NotEmpty(StixSchemas.ValidateBundle(bundle));
    }
}
