using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Domain.Tests;

public sealed class RecordTests
{
    private static readonly AgencyId Agency = new(Guid.NewGuid());
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static RecordContent Content(DateTimeOffset? retention = null, DateOnly? review = null, IReadOnlyCollection<ThreatDomain>? domains = null, string language = "ar") =>
        RecordContent.Create(
            RecordKind.FieldReport, "عنوان", "نص", language, "Loi 03-03", "Prévention", retention ?? Now.AddYears(2), review ?? new DateOnly(2027, 6, 1),
            Marking.Create(Classification.Restricted, Tlp.Green, HandlingCode.H0), SourceGrading.Parse("C3"), domains ?? [ThreatDomain.Cybercrime]);

    [Fact]
    public void Create_WithRetentionInThePast_IsRefused()
    {
        var error = Assert.Throws<DomainValidationException>(() => Record.Create(Agency, new UserId(Guid.NewGuid()), Content(retention: Now.AddDays(-1)), Now));

        Assert.Equal("retentionUntil", error.Field);
    }

    [Fact]
    public void Create_WithReviewAfterRetention_IsRefused()
    {
        var error = Assert.Throws<DomainValidationException>(() => Record.Create(Agency, new UserId(Guid.NewGuid()), Content(retention: Now.AddYears(1), review: new DateOnly(2030, 1, 1)), Now));

        Assert.Equal("reviewDate", error.Field);
    }

    [Fact]
    public void ContentCreate_WithoutThreatDomain_IsRefused()
    {
        Assert.Equal("threatDomains", Assert.Throws<DomainValidationException>(() => Content(domains: [])).Field);
    }

    [Theory]
    [InlineData("arabic")]
    [InlineData("a")]
    [InlineData("1a")]
    public void ContentCreate_WithBadLanguage_IsRefused(string language)
    {
        Assert.Equal("language", Assert.Throws<DomainValidationException>(() => Content(language: language)).Field);
    }

    [Fact]
    public void ContentCreate_SortsAndDeduplicatesThreatDomains()
    {
        var content = Content(domains: [ThreatDomain.OnlineExtremism, ThreatDomain.Terrorism, ThreatDomain.Terrorism]);

        Assert.Equal([ThreatDomain.Terrorism, ThreatDomain.OnlineExtremism], content.ThreatDomains);
    }

    [Fact]
    public void SetAssertions_LinkToAnEntityTheRecordDoesNotMention_IsRefused()
    {
        var record = Record.Create(Agency, new UserId(Guid.NewGuid()), Content(), Now);
        var a = PhoneNumber.Create(Agency, "+212600000001", Now);
        var b = PhoneNumber.Create(Agency, "+212600000002", Now);

        var error = Assert.Throws<DomainValidationException>(() => record.SetAssertions([a], [LinkDraft.Create(a.Id, b.Id, LinkType.Called, null, null, Now)]));

        Assert.Equal("links[0].to", error.Field);
    }

    [Fact]
    public void LinkDraft_RefusesSelfLinksFutureStartsAndInvertedSpans()
    {
        var id = new EntityId(Guid.NewGuid());
        Assert.Equal("to", Assert.Throws<DomainValidationException>(() => LinkDraft.Create(id, id, LinkType.AssociateOf, null, null, Now)).Field);
        Assert.Equal("validFrom", Assert.Throws<DomainValidationException>(() => LinkDraft.Create(id, new EntityId(Guid.NewGuid()), LinkType.AssociateOf, PartialDate.Parse("2030"), null, Now)).Field);
        Assert.Equal("validTo", Assert.Throws<DomainValidationException>(() => LinkDraft.Create(id, new EntityId(Guid.NewGuid()), LinkType.AssociateOf, PartialDate.Parse("2020"), PartialDate.Parse("2019"), Now)).Field);
    }

    [Fact]
    public void SetAssertions_AgainKeepsTheMentionObjectsThatStay()
    {
        var record = Record.Create(Agency, new UserId(Guid.NewGuid()), Content(), Now);
        var a = PhoneNumber.Create(Agency, "+212600000001", Now);
        var b = PhoneNumber.Create(Agency, "+212600000002", Now);
        var c = PhoneNumber.Create(Agency, "+212600000003", Now);
        record.SetAssertions([a, b], []);
        var kept = record.Mentions.Single(m => m.EntityId == a.Id);

        record.SetAssertions([a, c], [LinkDraft.Create(a.Id, c.Id, LinkType.Called, null, null, Now)]);

        Assert.Same(kept, record.Mentions.Single(m => m.EntityId == a.Id));
        Assert.Equal(new[] { a.Id, c.Id }.Order(), record.Mentions.Select(m => m.EntityId).Order());
        Assert.Equal(record.Id, record.Links.Single().RecordId);
    }

    [Fact]
    public void Update_KeepsIdentityOriginatorAndCreationTime()
    {
        var record = Record.Create(Agency, new UserId(Guid.NewGuid()), Content(), Now);
        var id = record.Id;

        record.Update(Content(domains: [ThreatDomain.Terrorism]), Now.AddHours(1));

        Assert.Equal(id, record.Id);
        Assert.Equal(Agency, record.OriginatorAgencyId);
        Assert.Equal(Now, record.CreatedAt);
        Assert.Equal(Now.AddHours(1), record.UpdatedAt);
        Assert.Equal([ThreatDomain.Terrorism], record.ThreatDomains);
    }

    [Fact]
    public void IsPastRetention_FlipsAtTheRetentionEnd()
    {
        var record = Record.Create(Agency, new UserId(Guid.NewGuid()), Content(retention: Now.AddDays(10), review: new DateOnly(2026, 12, 1)), Now);

        Assert.False(record.IsPastRetention(Now.AddDays(9)));
        Assert.True(record.IsPastRetention(Now.AddDays(10)));
    }
}
