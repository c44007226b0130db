using System.Reflection;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;

namespace Jisr.Domain.Tests;

public sealed class EntityTests
{
    private static readonly AgencyId Agency = new(Guid.NewGuid());
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PersonCreate_WithoutName_IsRefused()
    {
        var error = Assert.Throws<DomainValidationException>(() => Person.Create(Agency, [], null, null, Gender.Unknown, [], [], Now));

        Assert.Equal("names", error.Field);
    }

    [Fact]
    public void PersonCreate_WithDateOfBirthInTheFuture_IsRefused()
    {
        var error = Assert.Throws<DomainValidationException>(() =>
            Person.Create(Agency, [PersonName.Create("Youssef")], PartialDate.Parse("2027"), null, Gender.Unknown, [], [], Now));

        Assert.Equal("dateOfBirth", error.Field);
    }

    [Fact]
    public void PersonCreate_NormalisesNationalities_AndLabelsWithTheFirstName()
    {
        var person = Person.Create(Agency, [PersonName.Create("محمد العلمي"), PersonName.Create("Mohamed El Alami")], PartialDate.Parse("1980-05"), null, Gender.Male, ["ma", "FR", "MA"], [], Now);

        Assert.Equal(["MA", "FR"], person.Nationalities);
        Assert.Equal("محمد العلمي", person.Label);
        Assert.Equal(EntityType.Person, person.Type);
    }

    [Theory]
    [InlineData("محمد بن أحمد العلمي", NameScript.Arabic)]
    [InlineData("Mohamed EL ALAMI", NameScript.Latin)]
    [InlineData("Mohamed العلمي", NameScript.Mixed)]
    [InlineData("Иван Петров", NameScript.Other)]
    public void PersonName_DetectsItsScript(string text, NameScript script)
    {
        Assert.Equal(script, PersonName.Create(text).Script);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("12345")]
    [InlineData("\u200F\u200E")]
    public void PersonName_WithoutLetters_IsRefused(string text)
    {
        Assert.Throws<DomainValidationException>(() => PersonName.Create(text));
    }

    [Fact]
    public void PersonName_TenThousandCharacters_IsRefusedNamingTheField()
    {
        var error = Assert.Throws<DomainValidationException>(() => PersonName.Create(new string('م', 10_000), "names[0]"));

        Assert.Equal("names[0]", error.Field);
        Assert.Contains("300", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PersonName_IsStoredInNfc()
    {
        var combining = "\u0627\u0654\u062D\u0645\u062F"; // alef + combining hamza above: NFC makes it أ
        Assert.Equal("\u0623\u062D\u0645\u062F", PersonName.Create(combining).Text);
    }

    [Theory]
    [InlineData("+212 6-61 23 45 67")]
    [InlineData("00212661234567")]
    [InlineData("+٢١٢٦٦١٢٣٤٥٦٧")]
    public void PhoneNumber_VariousWritings_ShareOneKey(string number)
    {
        Assert.Equal("+212661234567", PhoneNumber.Create(Agency, number, Now).Key);
    }

    [Theory]
    [InlineData("call me")]
    [InlineData("123")]
    [InlineData("+1234567890123456789")]
    public void PhoneNumber_Invalid_IsRefused(string number)
    {
        Assert.Equal("number", Assert.Throws<DomainValidationException>(() => PhoneNumber.Create(Agency, number, Now)).Field);
    }

    [Theory]
    [InlineData("FR76 3000 6000 0112 3456 7890 189")]
    [InlineData("GB82WEST12345698765432")]
    [InlineData("de89 3704 0044 0532 0130 00")]
    public void BankAccount_ValidIban_IsKeptCompactAndUpperCase(string iban)
    {
        var account = BankAccount.Create(Agency, iban, null, null, Now);

        Assert.Equal(iban.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), account.Iban);
    }

    [Theory]
    [InlineData("FR76 3000 6000 0112 3456 7890 188")]
    [InlineData("GB82WEST12345698765433")]
    [InlineData("XX00")]
    public void BankAccount_IbanWithWrongCheck_IsRefused(string iban)
    {
        Assert.Equal("iban", Assert.Throws<DomainValidationException>(() => BankAccount.Create(Agency, iban, null, null, Now)).Field);
    }

    [Fact]
    public void Vessel_ImoCheckDigit_IsVerified()
    {
        Assert.True(Vessel.IsValidImo("9074729"));
        Assert.False(Vessel.IsValidImo("9074728"));
        Assert.Equal("imo:9074729", Vessel.Create(Agency, "Sea Falcon", "IMO 9074729", null, null, Now).Key);
        Assert.Equal("imo", Assert.Throws<DomainValidationException>(() => Vessel.Create(Agency, "Sea Falcon", "9074728", null, null, Now)).Field);
    }

    [Fact]
    public void OnlineAccount_NeedsAHandleOrAnHttpUrl()
    {
        Assert.Equal("telegram:atlas_news", OnlineAccount.Create(Agency, "Telegram", "@Atlas_News", null, Now).Key);
        Assert.Throws<DomainValidationException>(() => OnlineAccount.Create(Agency, "Telegram", null, null, Now));
        Assert.Equal("url", Assert.Throws<DomainValidationException>(() => OnlineAccount.Create(Agency, "Web", null, "javascript:alert(1)", Now)).Field);
    }

    [Fact]
    public void Location_CoordinatesGoTogetherAndStayInRange()
    {
        Assert.Throws<DomainValidationException>(() => Location.Create(Agency, "Tanger", "MA", 35.7, null, Now));
        Assert.Throws<DomainValidationException>(() => Location.Create(Agency, "Nowhere", null, 95, 0, Now));
        Assert.Equal(-5.8, Location.Create(Agency, "Tanger", "MA", 35.7, -5.8, Now).Longitude);
    }

    [Fact]
    public void Event_InTheFuture_IsRefused()
    {
        Assert.Equal("occurredOn", Assert.Throws<DomainValidationException>(() => Event.Create(Agency, "Meeting", PartialDate.Parse("2030-01"), null, Now)).Field);
    }

    [Fact]
    public void EmailAndWallet_AreValidated()
    {
        Assert.Equal("contact@example.org", EmailAddress.Create(Agency, "Contact@Example.org", Now).Key);
        Assert.Throws<DomainValidationException>(() => EmailAddress.Create(Agency, "not an address", Now));
        Assert.Throws<DomainValidationException>(() => CryptoWallet.Create(Agency, "BTC", "short", Now));
    }

    [Fact]
    public void EntityTypes_HaveNoPublicConstructors_SoOnlyValidatingFactoriesCreateThem()
    {
        var types = typeof(Entity).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Entity)) && !t.IsAbstract).ToList();

        Assert.Equal(Enum.GetValues<EntityType>().Length, types.Count);
        Assert.All(types, t => Assert.Empty(t.GetConstructors(BindingFlags.Public | BindingFlags.Instance)));
        Assert.All(types, t => Assert.NotNull(t.GetMethod("Create", BindingFlags.Public | BindingFlags.Static)));
    }

    [Fact]
    public void ValueObjects_HaveNoPublicConstructors()
    {
        foreach (var type in new[] { typeof(Markings.Marking), typeof(PersonName), typeof(PersonIdentifier), typeof(Records.RecordContent), typeof(Records.LinkDraft) })
        {
            // Records get a public copy constructor from the compiler; nothing else may be public.
            Assert.DoesNotContain(type.GetConstructors(BindingFlags.Public | BindingFlags.Instance), c => c.GetParameters().All(p => p.ParameterType != type));
        }
    }
}
