namespace Jisr.Exchange.Federation;

/// <summary>
/// What an onward release carries to a third node when the record's originator is hosted by a node the releasing
/// node is peered with but the third node may not be: the originator agency as its node describes it, that node's
/// public key (the key the releasing node pinned for it), and the originator node's own signed
/// <c>consent.decision</c> envelope, exactly as the releasing node received it. The third node cannot ask the
/// originator, but it can check that the originator's node signed a grant for exactly this record, this releasing
/// agency and this recipient: the releasing node could not have made that signature.
/// </summary>
public sealed record OnwardConsent(NodeAgency Originator, string OriginatorNodeKey, string Decision)
{
    /// <summary>
    /// Null when the proof holds for <paramref name="delivery"/> sent by <paramref name="relayingNode"/>, else why not.
    /// <paramref name="pinnedOriginatorNode"/> is the fingerprint this node already knows for the originator's node
    /// (pinned as a peer, or met as the signer of an earlier proof), if any: the signer must be that node.
    /// </summary>
    public string? WhyNotProof(ReleaseDelivery delivery, string relayingNode, string? pinnedOriginatorNode, out string signer)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        signer = "";
        byte[] key;
        FederationEnvelope envelope;
        ConsentDecisionMessage decision;
        try
        {
            key = Convert.FromBase64String(OriginatorNodeKey);
            envelope = FederationJson.Read<FederationEnvelope>(Decision);
            decision = FederationJson.Read<ConsentDecisionMessage>(envelope.Payload ?? "");
        }
        catch (FormatException ex)
        {
            return $"the originator's consent cannot be read: {ex.Message}";
        }

        signer = NodeFingerprint.Of(key);
        if (envelope.Type != FederationMessageTypes.ConsentDecision || envelope.Sender != signer || envelope.Recipient != relayingNode)
        {
            return "the originator's consent is not a decision its node sent to the releasing node";
        }

        if (pinnedOriginatorNode is not null && pinnedOriginatorNode != signer)
        {
            return $"the originator's consent is signed by node {NodeFingerprint.ShortId(signer)}, not by the node known here for the originator ({NodeFingerprint.ShortId(pinnedOriginatorNode)})";
        }

        using (var verifier = ECDsa.Create())
        {
            try
            {
                verifier.ImportSubjectPublicKeyInfo(key, out _);
            }
            catch (CryptographicException)
            {
                return "the originator node's key cannot be read";
            }

            if (FederationEnvelope.Digest(envelope.Payload!) != envelope.PayloadDigest || !envelope.IsSignedBy(verifier))
            {
                return "the originator's consent does not verify with its node's key: it was changed after signing";
            }
        }

        return decision.Granted && Originator.Id == delivery.OriginatorAgencyId && decision.ByAgencyId == delivery.OriginatorAgencyId
            && decision.OriginalRecordId == delivery.OriginalRecordId && decision.RequesterAgencyId == delivery.ReleasingAgencyId && decision.TargetAgencyId == delivery.RecipientAgencyId
            ? null
            : "the originator's signed consent is not a grant for this record, this releasing agency and this recipient";
    }
}

/// <summary>
/// An agency hosted by a third node, as the node that passes it on describes it, with the public key it pinned for
/// that node: enough for the receiving node to name the agency (and refuse a later peering that contradicts it), not
/// to trust anything that agency's node would sign.
/// </summary>
public sealed record RelayedAgency(NodeAgency Agency, string NodeKey);
