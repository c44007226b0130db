using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Notices;
using Jisr.Domain.Records;

namespace Jisr.Domain.Tests;

/// <summary>An enum value that comes as a number, or an enum typed in code but holding no known value, is refused by field.</summary>
public sealed class EnumValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, Classification.Unclassified)]
    [InlineData(3, Classification.Secret)]
    public void EnumNumbers_KnownNumber_IsTheValue(int number, Classification expected)
    {
        Assert.Equal(expected, EnumNumbers.Parse<Classification>(number, "clearance"));
        Assert.Equal(expected, EnumNumbers.Parse<Classification>(number.ToString(System.Globalization.CultureInfo.InvariantCulture), "clearance"));
    }

    [Theory]
    [InlineData("4")]
    [InlineData("-1")]
    [InlineData("SECRET")]
    [InlineData("")]
    [InlineData(null)]
    public void EnumNumbers_UnknownOrMalformed_IsRefusedNamingTheFieldAndTheKnownValues(string? text)
    {
        var error = Assert.Throws<DomainValidationException>(() => EnumNumbers.Parse<Classification>(text, "clearance"));

        Assert.Equal("clearance", error.Field);
        Assert.Contains("3 Secret", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_WithAnUnknownColour_IsRefused()
    {
        var error = Assert.Throws<DomainValidationException>(() => Notice.Create(
            new AgencyId(Guid.NewGuid()), new UserId(Guid.NewGuid()), (NoticeColor)42, new EntityId(Guid.NewGuid()), "Title", "Summary", "offence", ThreatDomain.Terrorism, [new AgencyId(Guid.NewGuid())], [], Now));

        Assert.Equal("color", error.Field);
        Assert.Contains("purple", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9, 0, 0, "classification")]
    [InlineData(0, 9, 0, "tlp")]
    [InlineData(0, 0, 9, "handling")]
    public void Marking_WithAnUnknownLevel_IsRefused(int classification, int tlp, int handling, string field)
    {
        var error = Assert.Throws<DomainValidationException>(() => Marking.Create((Classification)classification, (Tlp)tlp, (HandlingCode)handling));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void WireNames_RefuseATableThatMissesAValueOrGivesOneTwice_AndParseAnyCase()
    {
        (Tlp, string)[] all = [(Tlp.Clear, "clear"), (Tlp.Green, "green"), (Tlp.Amber, "amber"), (Tlp.AmberStrict, "amber+strict"), (Tlp.Red, "red")];

        Assert.Throws<InvalidOperationException>(() => new WireNames<Tlp>(all[1..]));
        Assert.Throws<InvalidOperationException>(() => new WireNames<Tlp>([.. all, (Tlp.Red, "rouge")]));
        Assert.Throws<InvalidOperationException>(() => new WireNames<Tlp>([.. all[..^1], (Tlp.Red, "AMBER")]));

        var names = new WireNames<Tlp>(all);
        Assert.Equal(["clear", "green", "amber", "amber+strict", "red"], names.All);
        Assert.Equal(Tlp.AmberStrict, names.Parse(" Amber+Strict ", "tlp"));
        Assert.Equal("red", names[Tlp.Red]);
        Assert.Throws<DomainValidationException>(() => names.Require((Tlp)42, "tlp"));
        Assert.Throws<DomainValidationException>(() => names.Require((Tlp)(-1), "tlp"));
    }
}
