namespace Jisr.Server.Federation;

/// <summary>
/// An onward release arriving at a third node: the record's originator is hosted by neither the sending node nor
/// this one, so the copy must carry the originator node's own signed consent (<see cref="OnwardConsent"/>); an
/// originator not known here yet becomes known as the agency of a relayed node (FederationStore.Relayed).
/// </summary>
public sealed partial class FederationReceiver
{
    /// <summary>
    /// The third agency of a consent request asked here: when this node does not know it (its node is not a peer),
    /// it becomes known as the agency of a relayed node, as the requester's node describes it, so that the
    /// originator's reviewers see whom they are asked about.
    /// </summary>
    private async Task KnowTargetAsync(ConsentRequestMessage asked, CancellationToken cancellationToken)
    {
        var target = new AgencyId(asked.TargetAgencyId);
        if (await store.AgencyAsync(target, cancellationToken) is not null)
        {
            return;
        }

        if (asked.Target is not { } described || described.Agency.Id != asked.TargetAgencyId)
        {
            throw new PeerRefusal("the third agency of this consent request is not known here, and the request does not describe it");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(described.NodeKey);
        }
        catch (FormatException)
        {
            throw new PeerRefusal("the third agency's node key cannot be read");
        }

        var fingerprint = NodeFingerprint.Of(key);
        if (fingerprint == identity.Require().Fingerprint)
        {
            throw new PeerRefusal("the third agency is described as hosted by this node, which does not host it");
        }

        if (await store.RelayAgencyAsync(target, described.Agency.Code, described.Agency.Name, described.Agency.Country, fingerprint, key, cancellationToken) is { } why)
        {
            throw new PeerRefusal(why);
        }
    }

    /// <summary>Decides the third-party rule for <paramref name="delivery"/>; returns what the receipt's audit entry adds ("" for none).</summary>
    private async Task<string> OnwardAsync(ReleaseDelivery delivery, string senderNode, IReadOnlySet<AgencyId> peerAgencies, CancellationToken cancellationToken)
    {
        var originator = new AgencyId(delivery.OriginatorAgencyId);
        var releasing = new AgencyId(delivery.ReleasingAgencyId);
        var own = await store.IsOwnAgencyAsync(originator, cancellationToken);
        if (AccessPolicy.CanPeerDeliverOnward(peerAgencies, originator, releasing, own, "consent needed").IsAllowed)
        {
            return "";
        }

        string? why;
        var signer = "";
        if (delivery.Onward is not { } proof)
        {
            why = "an onward release of a record that another node's agency originated needs that node's signed consent, and this one carries none";
        }
        else
        {
            var host = await store.PeerOfAgencyAsync(originator, cancellationToken);
            // A revoked node's word is taken neither from it nor through a peer: revoking a relayed node stops its copies.
            why = host?.Status == PeerStatuses.Revoked
                ? $"the originator's node {FederationStore.ShortId(host.Fingerprint)} was revoked here: its consent is not taken, even passed on by a peer"
                : proof.WhyNotProof(delivery, senderNode, host?.Fingerprint, out signer);
            if (why is null && host is null)
            {
                why = await store.RelayAgencyAsync(
                    originator, proof.Originator.Code, proof.Originator.Name, proof.Originator.Country, signer, Convert.FromBase64String(proof.OriginatorNodeKey), cancellationToken);
            }
        }

        Decide(AccessPolicy.CanPeerDeliverOnward(peerAgencies, originator, releasing, own, why));
        return $"; onward: the originator's consent signed by node {FederationStore.ShortId(signer)}";
    }
}
