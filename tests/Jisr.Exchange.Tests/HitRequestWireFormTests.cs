using Jisr.Exchange.Federation;
using Jisr.Exchange.HitCheck;

namespace Jisr.Exchange.Tests;

/// <summary>
/// <c>hitrequest.open</c> nests its terms in the type but stays flat on the wire: the payload a node writes is, byte for
/// byte, the one nodes wrote before the terms were a record of their own (so its digest and signature are the same),
/// and a flat payload from such a node reads back whole.
/// </summary>
public sealed class HitRequestWireFormTests
{
    private const string Flat =
        """{"requestId":"6f1c1f2e-4c1b-4a58-9d0e-0b1f5c2a7d11","agreementId":"0a6f4e1d-6b2a-4f1e-8a33-5b9c2d7e8f01","requesterAgencyId":"1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d","ownerAgencyId":"2c3d4e5f-6071-4b8c-9dae-1f2a3b4c5d6e","requestedBy":"3d4e5f60-7182-4c9d-aebf-2a3b4c5d6e7f","requestedByName":"analyst.ma","queryKind":"name","query":"يوسف الإدريسي","hitParts":["ysf \u002B drs","يوسف"],"purpose":"Enquête 2026/114","legalBasis":"Convention bilatérale 2019, art. 5","handling":"H2","urgency":"urgent","requestedAt":"2026-11-30T10:15:00+00:00"}""";

    private static readonly HitRequestMessage Message = new(
        Guid.Parse("6f1c1f2e-4c1b-4a58-9d0e-0b1f5c2a7d11"), Guid.Parse("0a6f4e1d-6b2a-4f1e-8a33-5b9c2d7e8f01"), Guid.Parse("1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"),
        Guid.Parse("2c3d4e5f-6071-4b8c-9dae-1f2a3b4c5d6e"), Guid.Parse("3d4e5f60-7182-4c9d-aebf-2a3b4c5d6e7f"), "analyst.ma",
        new("name", "يوسف الإدريسي", ["ysf + drs", "يوسف"], "Enquête 2026/114", "Convention bilatérale 2019, art. 5", "H2", "urgent", new DateTimeOffset(2026, 11, 30, 10, 15, 0, TimeSpan.Zero)));

    [Fact]
    public void Written_IsTheFlatPayloadNodesHaveAlwaysSent()
    {
        var written = FederationJson.Write(Message);

        // The message as it was declared before its terms were a record: the same members in the same order, one level.
        var t = Message.Terms;
        var before = FederationJson.Write(new
        {
            Message.RequestId, Message.AgreementId, Message.RequesterAgencyId, Message.OwnerAgencyId, Message.RequestedBy, Message.RequestedByName,
            t.QueryKind, t.Query, t.HitParts, t.Purpose, t.LegalBasis, t.Handling, t.Urgency, t.RequestedAt,
        });
        Assert.Equal(before, written);
        Assert.Equal(Flat, written);
        Assert.Equal(FederationEnvelope.Digest(before), FederationEnvelope.Digest(written));
    }

    [Fact]
    public void FlatPayload_ReadsBackWhole_AndSurvivesARoundTrip()
    {
        var read = FederationJson.Read<HitRequestMessage>(Flat);

        Assert.Equal(Message with { Terms = Message.Terms with { HitParts = [] } }, read with { Terms = read.Terms with { HitParts = [] } });
        Assert.Equal(Message.Terms.HitParts, read.Terms.HitParts);
        Assert.Equal(Flat, FederationJson.Write(read));
    }

    [Theory]
    [InlineData("""{"terms":{}}""", "terms")] // the nested form is the type's, never the wire's
    [InlineData("""{"query":"a","query":"b"}""", "query")] // a member twice
    [InlineData("""{"queryKind":"name","colour":"red"}""", "colour")] // a member neither part has
    [InlineData("""["name"]""", "object")]
    public void MalformedPayloads_AreRefusedNamingWhatIsWrong(string json, string named)
    {
        var refused = Assert.Throws<FormatException>(() => FederationJson.Read<HitRequestMessage>(json));

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }
}
