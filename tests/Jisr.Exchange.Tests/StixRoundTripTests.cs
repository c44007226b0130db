using System.Text.Json.Nodes;
using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Exchange.Stix.Export;
using Jisr.Exchange.Stix.Mapping;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Exchange.Tests;

/// <summary>An agency's export imported by another agency gives back the same records, entities, links and markings.</summary>
public sealed class StixRoundTripTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 20, 8, 30, 0, TimeSpan.Zero);
    private static readonly Agency Originator = Agency.Create("MA-DGSN", "Direction générale de la sûreté nationale", "MA", Now.AddYears(-1));

    private static (List<Record> Records, List<Entity> Entities) World()
    {
        var a = Originator.Id;
        var person = Person.Create(a, [PersonName.Create("يوسف الإدريسي"), PersonName.Create("Youssef El Idrissi")], PartialDate.Parse("1987-03"), "Tanger", Gender.Male, ["MA", "ES"], [PersonIdentifier.Create("passport", "AB123456", "MA")], Now);
        List<Entity> entities =
        [
            person,
            Organisation.Create(a, "Réseau du Détroit", ["Strait network", "شبكة المضيق"], "MA", Now),
            Location.Create(a, "Port de Tanger Med", "MA", 35.88, -5.5, Now),
            Location.Create(a, "Entrepôt sans adresse", null, null, null, Now),
            PhoneNumber.Create(a, "+212 6-61 23 45 67", Now),
            EmailAddress.Create(a, "contact@example.org", Now),
            OnlineAccount.Create(a, "Telegram", "@detroit_logistique", null, Now),
            OnlineAccount.Create(a, "web", null, "https://detroit.example/shop", Now),
            IdentityDocument.Create(a, DocumentKind.Passport, "AB123456", "MA", new DateOnly(2030, 1, 1), Now),
            Vehicle.Create(a, "12345-A-6", "MA", "Renault", "Kangoo", "blanc", Now),
            Vessel.Create(a, "Al Bahr", "9074729", null, "PA", Now),
            BankAccount.Create(a, "MA64 0115 1900 0001 2050 0053 4921", null, "SARL Détroit", Now),
            CryptoWallet.Create(a, "BTC", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", Now),
            Event.Create(a, "Transbordement nocturne", PartialDate.Parse("2026-04-12"), "Tanger Med", Now),
        ];
        var first = Record.Create(a, UserId.From(Guid.NewGuid()), RecordContent.Create(
            RecordKind.IntelligenceReport, "شبكة تهريب عبر ميناء طنجة", "Observation du réseau & de ses relais.", "ar", "Loi 03-03", "Prévention du trafic",
            Now.AddYears(5), DateOnly.FromDateTime(Now.UtcDateTime).AddYears(1), Marking.Create(Classification.Confidential, Tlp.AmberStrict, HandlingCode.H3, "no onward use without the originator"),
            SourceGrading.Parse("B2"), [ThreatDomain.DrugTrafficking, ThreatDomain.OrganisedCrime]), Now);
        first.SetAssertions(entities, [.. entities.Zip(entities.Skip(1), (x, y) => LinkDraft.Create(x.Id, y.Id, LinkType.AssociateOf, PartialDate.Parse("2025-01"), PartialDate.Parse("2026-05-01"), Now))]);
        var second = Record.Create(a, UserId.From(Guid.NewGuid()), RecordContent.Create(
            RecordKind.FieldReport, "Suivi", string.Empty, "fr", "Loi 03-03", "Prévention", Now.AddYears(2), DateOnly.FromDateTime(Now.UtcDateTime).AddMonths(6),
            Marking.Create(Classification.Restricted, Tlp.Green, HandlingCode.H1), SourceGrading.Parse("C3"), [ThreatDomain.MigrantSmuggling]), Now);
        second.SetAssertions([person, entities[4]], [LinkDraft.Create(person.Id, entities[4].Id, LinkType.Owns, null, null, Now)]);
        return ([first, second], entities);
    }

    [Fact]
    public async Task Export_PassesTheOasisSchemas_AndImportGivesBackTheSameRecordsEntitiesLinksAndMarkings()
    {
        var (records, entities) = World();
        var bundle = await ExportAsync(records, entities);

        Assert.Empty(StixSchemas.ValidateBundle(JsonNode.Parse(bundle)!.AsObject()));
        var (result, sink) = await MemorySink.ImportAsync(bundle);

        Assert.True(result.Succeeded, string.Join("\n", result.Refusals));
        Assert.Equal(records.Count, sink.Records.Count);
        Assert.Equal(Describe(entities), Describe(sink.Entities));
        foreach (var original in records)
        {
            var copy = sink.Records.Single(r => r.Title == original.Title);
            Assert.Equal((original.Kind, original.Body, original.Language, original.LegalBasis, original.Purpose, original.RetentionUntil, original.ReviewDate, original.Marking, original.SourceGrading),
                (copy.Kind, copy.Body, copy.Language, copy.LegalBasis, copy.Purpose, copy.RetentionUntil, copy.ReviewDate, copy.Marking, copy.SourceGrading));
            Assert.Equal(original.ThreatDomains, copy.ThreatDomains);
            Assert.Equal(Links(original, entities), Links(copy, sink.Entities));
            Assert.Equal(Labels(original.Mentions.Select(m => m.EntityId), entities), Labels(copy.Mentions.Select(m => m.EntityId), sink.Entities));
        }
    }

    [Fact]
    public async Task ExportImportExport_GivesTheSameObjectsBack()
    {
        var (records, entities) = World();
        var (_, sink) = await MemorySink.ImportAsync(await ExportAsync(records, entities));
        var received = sink.Objects.Where(o => o.RecordId is not null || o.EntityId is not null)
            .GroupBy(o => o.RecordId?.Value ?? o.EntityId!.Value.Value).ToDictionary(g => g.Key, g => g.First().StixId);

        using var again = new MemoryStream();
        await StixAgencyExport.WriteAsync(again, new StixExportInput(Originator, sink.Records, sink.Entities.ToDictionary(e => e.Id), received, sink.Objects.ToAsyncEnumerable()), CancellationToken.None);
        var first = JsonNode.Parse(await ExportAsync(records, entities))!["objects"]!.AsArray();
        var second = JsonNode.Parse(again.ToArray())!["objects"]!.AsArray();

        foreach (var item in first)
        {
            Assert.Contains(second, o => JsonNode.DeepEquals(o, item));
        }
    }

    [Fact]
    public void EveryExportedPattern_IsValid_AndReadsBackAsItsSelector()
    {
        var (_, entities) = World();
        foreach (var entity in entities.Where(e => StixAgencyExport.StixTypeOf(e) == "indicator"))
        {
            var pattern = StixAgencyExport.PatternOf(entity);
            Assert.Null(Stix.Validation.StixPattern.Check(pattern));
            Assert.NotNull(Stix.Validation.StixPattern.SimpleEquality(pattern));
        }
    }

    private static async Task<string> ExportAsync(List<Record> records, List<Entity> entities)
    {
        using var output = new MemoryStream();
        await StixAgencyExport.WriteAsync(output, new StixExportInput(Originator, records, entities.ToDictionary(e => e.Id), new Dictionary<Guid, string>(), AsyncEnumerable.Empty<Domain.Exchange.ReceivedStixObject>()), CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>Every entity's full description (type and every field), sorted: equal lists mean the same entities.</summary>
    private static List<string> Describe(IEnumerable<Entity> entities) =>
        [.. entities.Select(e => EntityFields.Of(e).ToJsonString()).Order(StringComparer.Ordinal)];

    private static List<string> Labels(IEnumerable<EntityId> ids, List<Entity> entities) =>
        [.. ids.Select(id => EntityFields.Of(entities.Single(e => e.Id == id)).ToJsonString()).Order(StringComparer.Ordinal)];

    private static List<string> Links(Record record, List<Entity> entities) =>
        [.. record.Links.Select(l => $"{entities.Single(e => e.Id == l.FromEntityId).Label} {l.Type} {entities.Single(e => e.Id == l.ToEntityId).Label} {l.ValidFrom} {l.ValidTo}").Order(StringComparer.Ordinal)];
}
