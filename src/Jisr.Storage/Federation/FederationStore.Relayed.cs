using Jisr.Domain.Agencies;
using Jisr.Domain.Sharing;

namespace Jisr.Storage.Federation;

/// <summary>
/// Agencies known through a peer without being peered with their node: the originator of a copy a peer passed on
/// here (its key proved by the originator's signed consent), or the third agency of a consent request asked here (its
/// key as the requesting peer pinned it, naming only). Their node is kept as a peer row in state
/// <see cref="PeerStatuses.Relayed"/> (its key; no address): the agency is then remote (never taken for one of this node's own), no peer speaks for it,
/// nothing is sent to that node and nothing is accepted from it, until an administrator peers with it for real.
/// </summary>
public sealed partial class FederationStore
{
    /// <summary>Why a message from <paramref name="peer"/> (null: unknown) is not taken, for a peer that is not active.</summary>
    public static string NotActiveReason(FederationPeer? peer) =>
        peer is null ? "the sending node is not a peer of this node"
        : peer.Status == PeerStatuses.Relayed ? "the sending node is not a peer of this node (it is known here only as the originator of copies a peer passed on)"
        : "the sending node's peering was revoked here";

    /// <summary>
    /// The signed <c>consent.decision</c> envelope, as received from <paramref name="originatorPeerId"/>, that granted
    /// passing the copy <paramref name="copy"/> on to <paramref name="target"/> (<paramref name="decisionType"/>: the
    /// message type of decisions); null when there is none.
    /// </summary>
    public async Task<string?> ConsentDecisionEnvelopeAsync(Guid originatorPeerId, RecordId copy, AgencyId target, string decisionType, CancellationToken cancellationToken)
    {
        var consents = await db.ConsentRequests.AsNoTracking()
            .Where(c => c.RecordId == copy && c.TargetAgencyId == target && c.Status == ConsentStatus.Granted)
            .Select(c => c.Id).ToListAsync(cancellationToken);
        foreach (var consent in consents)
        {
            var text = consent.Value.ToString("D");
            var envelope = await db.Set<InboxMessage>().AsNoTracking()
                .Where(m => m.PeerId == originatorPeerId && m.Type == decisionType && m.Envelope.Contains(text))
                .OrderByDescending(m => m.Sequence).Select(m => m.Envelope).FirstOrDefaultAsync(cancellationToken);
            if (envelope is not null)
            {
                return envelope;
            }
        }

        return null;
    }

    public Task<Agency?> AgencyAsync(AgencyId id, CancellationToken cancellationToken) =>
        db.Agencies.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);

    /// <summary>
    /// Makes the originator agency (<paramref name="id"/>, code, name, country as its node describes it) known here as an agency of the node holding the key
    /// <paramref name="publicKey"/> (a relayed node), unsaved: it is saved with the message that brought it. Null when
    /// done, else why it cannot be (its id or code is another agency here, or its node is a peer that did not describe it).
    /// </summary>
    public async Task<string?> RelayAgencyAsync(AgencyId id, string code, string name, string country, string fingerprint, byte[] publicKey, CancellationToken cancellationToken)
    {
        var agency = Agency.Remote(id, code, name, country, time.GetUtcNow());
        if (await db.Agencies.AsNoTracking().AnyAsync(a => a.Id == id || a.Code == agency.Code, cancellationToken))
        {
            return $"the originator agency {agency.Code} clashes with an agency known here (same id or code)";
        }

        var now = time.GetUtcNow();
        var node = await FindPeerByFingerprintAsync(fingerprint, cancellationToken);
        if (node is null)
        {
            node = new FederationPeer { Id = Guid.CreateVersion7(now), Url = "", Fingerprint = fingerprint, PublicKey = publicKey, Status = PeerStatuses.Relayed, AddedAt = now };
            db.Add(node);
        }
        else if (node.Status != PeerStatuses.Relayed)
        {
            return $"the originator's node {ShortId(fingerprint)} is a peer here that does not host agency {agency.Code}";
        }

        db.Agencies.Add(agency);
        db.Add(new RemoteAgency { AgencyId = id, PeerId = node.Id });
        return null;
    }

    /// <summary>
    /// Peering for real with a node known so far only as a relayed originator: the same row becomes an active peer
    /// (same key: the fingerprint is the same), its agencies stay, the others it describes are added. Audited.
    /// </summary>
    private async Task<FederationPeer> AdoptRelayedAsync(AuditEvent by, FederationPeer known, Uri url, byte[] publicKey, IReadOnlyList<Agency> agencies, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        known.Url = url.ToString();
        known.PublicKey = publicKey;
        known.Status = PeerStatuses.Active;
        known.AddedAt = now;
        var relayed = await AgenciesOfPeerAsync(known.Id, cancellationToken);
        foreach (var agency in agencies.Where(a => !relayed.Contains(a.Id)))
        {
            await AddRemoteAgencyAsync(known.Id, agency, cancellationToken);
        }

        await audit.SaveWithAuditAsync(db, by with
        {
            Action = AuditActions.PeerAdd,
            TargetType = AuditTargets.Peer,
            TargetId = known.Fingerprint,
            Detail = $"url={url} agencies={string.Join(',', agencies.Select(a => a.Code))} (known before as the originator of relayed copies)",
        }, cancellationToken);
        return known;
    }
}
