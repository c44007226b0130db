using System.Security.Cryptography;
using Jisr.Exchange.Federation;

namespace Jisr.Federation.Tests;

/// <summary>The envelope's signature covers every field; the receiver's checks refuse each kind of bad message with its reason.</summary>
public sealed class EnvelopeTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private readonly ECDsa _sender = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _receiver = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private string Receiver => NodeFingerprint.Of(_receiver);

    private string Sender => NodeFingerprint.Of(_sender);

    [Fact]
    public void AGoodMessage_PassesEveryCheck_AndSurvivesItsJsonForm()
    {
        var envelope = FederationJson.Read<FederationEnvelope>(FederationJson.Write(Make("{\"a\":\"ميناء طنجة\"}")));

        Assert.Null(EnvelopeCheck.WhyRefused(envelope, Receiver, Sender, _sender.ExportSubjectPublicKeyInfo(), Now));
        Assert.Equal(FederationEnvelope.Digest("{\"a\":\"ميناء طنجة\"}"), envelope.PayloadDigest);
    }

    public static TheoryData<string, string> Tamperings => new()
    {
        { "payload", "digest" },
        { "payload-and-digest", "signature" },
        { "sequence", "signature" },
        { "type", "signature" },
        { "expires", "signature" },
        { "signature", "signature" },
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void AChangedField_IsRefused(string field, string reasonMentions)
    {
        var good = Make("{\"x\":1}");
        var bad = field switch
        {
            "payload" => good with { Payload = "{\"x\":2}" },
            "payload-and-digest" => good with { Payload = "{\"x\":2}", PayloadDigest = FederationEnvelope.Digest("{\"x\":2}") },
            "sequence" => good with { Sequence = good.Sequence + 1 },
            "type" => good with { Type = FederationMessageTypes.AgreementChange },
            "expires" => good with { Expires = good.Expires.AddDays(30) },
            "signature" => good with { Signature = Convert.ToBase64String(new byte[64]) },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var reason = EnvelopeCheck.WhyRefused(bad, Receiver, Sender, _sender.ExportSubjectPublicKeyInfo(), Now);

        Assert.NotNull(reason);
        Assert.Contains(reasonMentions, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AMessageSignedByAnotherKey_IsRefused_EvenIfItNamesThePinnedSender()
    {
        var forged = FederationEnvelope.Create(_stranger, Guid.NewGuid(), FederationMessageTypes.AgreementPropose, Receiver, 1, Now, EnvelopeCheck.Lifetime, "{}") with { Sender = Sender };

        Assert.Contains("signature", EnvelopeCheck.WhyRefused(forged, Receiver, Sender, _sender.ExportSubjectPublicKeyInfo(), Now), StringComparison.Ordinal);
        Assert.Contains("fingerprint", EnvelopeCheck.WhyRefused(forged, Receiver, Sender, _stranger.ExportSubjectPublicKeyInfo(), Now), StringComparison.Ordinal);
    }

    [Fact]
    public void AMessageForAnotherNode_IsRefused()
    {
        var envelope = FederationEnvelope.Create(_sender, Guid.NewGuid(), FederationMessageTypes.AgreementPropose, NodeFingerprint.Of(_stranger), 1, Now, EnvelopeCheck.Lifetime, "{}");

        Assert.Contains("addressed to", EnvelopeCheck.WhyRefused(envelope, Receiver, Sender, _sender.ExportSubjectPublicKeyInfo(), Now), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-4, null)]
    [InlineData(4, null)]
    [InlineData(10, "ahead")]
    public void TheSendersClock_MayRunAheadByTheToleranceOnly(int minutesAhead, string? reasonMentions)
    {
        var envelope = FederationEnvelope.Create(_sender, Guid.NewGuid(), FederationMessageTypes.AgreementPropose, Receiver, 1, Now.AddMinutes(minutesAhead), EnvelopeCheck.Lifetime, "{}");

        var reason = EnvelopeCheck.WhyRefused(envelope, Receiver, Sender, _sender.ExportSubjectPublicKeyInfo(), Now);

        if (reasonMentions is null)
        {
            Assert.Null(reason);
        }
        else
        {
            Assert.Contains(reasonMentions, reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnExpiredMessage_IsRefused()
    {
        var envelope = FederationEnvelope.Create(_sender, Guid.NewGuid(), FederationMessageTypes.AgreementPropose, Receiver, 1, Now.AddDays(-8), EnvelopeCheck.Lifetime, "{}");

        Assert.Contains("expired", EnvelopeCheck.WhyRefused(envelope, Receiver, Sender, _sender.ExportSubjectPublicKeyInfo(), Now), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, 4, false, SequenceVerdict.Next)]
    [InlineData(4, 4, true, SequenceVerdict.Duplicate)]
    [InlineData(4, 4, false, SequenceVerdict.Replay)]
    [InlineData(1, 4, false, SequenceVerdict.Replay)]
    [InlineData(7, 4, false, SequenceVerdict.Gap)]
    public void TheSequence_DecidesNextDuplicateReplayOrGap(long sequence, long last, bool known, SequenceVerdict expected) =>
        Assert.Equal(expected, EnvelopeCheck.Order(sequence, last, known));

    [Fact]
    public void AnAcknowledgement_IsSignedByTheReceiver_AndBindsTheMessage()
    {
        var envelope = Make("{}");
        var ack = FederationJson.Read<FederationAck>(FederationJson.Write(FederationAck.Create(_receiver, envelope, FederationAck.Accepted, null, Now)));

        Assert.True(ack.IsSignedBy(_receiver));
        Assert.False(ack.IsSignedBy(_sender));
        Assert.False((ack with { Status = FederationAck.Refused }).IsSignedBy(_receiver));
        Assert.False((ack with { MessageId = Guid.NewGuid() }).IsSignedBy(_receiver));
    }

    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _stranger.Dispose();
    }

    private FederationEnvelope Make(string payload) =>
        FederationEnvelope.Create(_sender, Guid.NewGuid(), FederationMessageTypes.AgreementPropose, Receiver, 3, Now.AddMinutes(-1), EnvelopeCheck.Lifetime, payload);
}
