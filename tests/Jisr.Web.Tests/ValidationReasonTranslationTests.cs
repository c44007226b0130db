using System.Reflection;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Server.Web;

namespace Jisr.Web.Tests;

/// <summary>Service refusals carry stable codes; every code has its reason in the three languages, used inside the pages' messages.</summary>
public sealed partial class TranslationTests
{
    [Fact]
    public void Every_validation_code_has_its_reason_in_the_resource_files()
    {
        var english = Texts("SharedResource.resx");
        var codes = typeof(ValidationCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
        Assert.True(codes.Count >= 90);
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(codes.Where(c => !english.ContainsKey($"Reason.{c}")).Select(c => $"no English text for Reason.{c}"));

        // French and Arabic: each code has its own wording (not the English copied), with the same placeholders.
        foreach (var language in new[] { "fr", "ar" })
        {
            var other = Texts($"SharedResource.{language}.resx");
            Assert.Empty(codes.Where(c => !other.ContainsKey($"Reason.{c}")).Select(c => $"no {language} text for Reason.{c}"));
            Assert.Empty(codes.Where(c => other[$"Reason.{c}"] == english[$"Reason.{c}"] || string.IsNullOrWhiteSpace(other[$"Reason.{c}"]))
                .Select(c => $"Reason.{c} in {language} is the English text"));
            Assert.Empty(codes.Where(c => !Placeholders(other[$"Reason.{c}"]).SetEquals(Placeholders(english[$"Reason.{c}"])))
                .Select(c => $"Reason.{c} in {language} has other placeholders than in English"));
        }
    }

    public static TheoryData<string, Action, string> Refusals => new()
    {
        { "fr", () => Guard.Text(new string('x', 30), "title", 10), "10" },
        { "ar", () => Guard.Text(new string('x', 30), "title", 10), "10" },
        { "fr", () => Guard.Text("  ", "title", 10), string.Empty },
        { "ar", () => BankAccount.Create(new AgencyId(Guid.NewGuid()), "FR76 3000 6000 0112 3456 7890 180", null, null, DateTimeOffset.UtcNow), "FR76 3000 6000 0112 3456 7890 180" },
        { "fr", () => CryptoWallet.Create(new AgencyId(Guid.NewGuid()), "BTC", "short", DateTimeOffset.UtcNow), string.Empty },
        { "ar", () => CountryCode.Parse("Maroc", "country"), "Maroc" },
        { "fr", () => PartialDate.Parse("12/03/1985", "dateOfBirth"), "12/03/1985" },
        { "ar", () => Marking.ClassificationNames.Parse("TRES-SECRET", "classification"), "TRES-SECRET" },
        { "fr", () => EmailAddress.Create(new AgencyId(Guid.NewGuid()), "pas une adresse", DateTimeOffset.UtcNow), "pas une adresse" },
        { "ar", () => PhoneNumber.Create(new AgencyId(Guid.NewGuid()), "+212 6x", DateTimeOffset.UtcNow), "x" },
        { "fr", () => SourceGrading.Parse("Z9"), "Z" },
        { "ar", () => Marking.Parse("RESTRICTED", "AMBER", "H3"), string.Empty },
        { "fr", () => Organisation.Create(new AgencyId(Guid.NewGuid()), "Transports Rif", [.. Enumerable.Range(0, 51).Select(i => $"alias {i}")], null, DateTimeOffset.UtcNow), "50" },
        { "ar", () => Location.Create(new AgencyId(Guid.NewGuid()), "Tanger", "MA", 95, 5, DateTimeOffset.UtcNow), "90" },
        { "fr", () => Vessel.Create(new AgencyId(Guid.NewGuid()), "Rif Star", "1234568", null, null, DateTimeOffset.UtcNow), "1234568" },
        { "ar", () => Jisr.Domain.Agencies.Agency.Create("m a", "Agency", "MA", DateTimeOffset.UtcNow), "m a" },
        { "fr", () => PartialDate.Create(1990, null, 12, "dateOfBirth"), string.Empty },
        { "ar", () => EnumNumbers.Parse<Classification>(9, "clearance"), "9" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_coded_refusal_is_said_in_the_readers_language_with_the_value_it_names(string language, Action refuse, string named)
    {
        var error = Assert.Throws<DomainValidationException>(refuse);
        Assert.NotNull(error.Code);
        var t = Localizer();
        using var _ = InCulture(language);
        var shown = ValidationReasons.Of(t, error);
        Assert.NotEqual(error.Reason, shown);
        Assert.Contains(named, shown, StringComparison.Ordinal);

        // The code survives placing the field under its entity, as record requests do.
        var nested = error.Under("entities[2]");
        Assert.Equal((error.Code, error.Arguments), (nested.Code, nested.Arguments));
        Assert.Equal(shown, ValidationReasons.Of(t, nested));
    }
}
