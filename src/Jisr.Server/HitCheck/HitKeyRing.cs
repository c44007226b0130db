using System.Security.Cryptography;
using Jisr.Exchange.HitCheck;

namespace Jisr.Server.HitCheck;

/// <summary>
/// Derives hit/no-hit filter keys: ECDH between this node's key and a peer's pinned public key gives both nodes the
/// same secret without sending it; <see cref="HitKey.Derive"/> turns it into one key per agreement, epoch and filter
/// salt. The shared secret per peer is kept in memory only.
/// </summary>
public sealed class HitKeyRing(NodeIdentity identity)
{
    private readonly ConcurrentDictionary<string, byte[]> _secrets = new(StringComparer.Ordinal);

    /// <summary>Filters of the current epoch and the one before are used (a rebuild may be on its way); older ones were built with a rotated-out key.</summary>
    public static bool IsCurrent(int epoch, DateTimeOffset now)
    {
        var current = HitFilterMessage.EpochOf(now);
        return epoch == current || epoch == current - 1;
    }

    public HitKey KeyFor(FederationPeer peer, Guid agreementId, int epoch, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var secret = _secrets.GetOrAdd(peer.Fingerprint, _ =>
        {
            var own = identity.Require();
            using var mine = ECDiffieHellman.Create(own.Key.ExportParameters(includePrivateParameters: true));
            using var theirs = ECDiffieHellman.Create();
            theirs.ImportSubjectPublicKeyInfo(peer.PublicKey, out int _);
            return mine.DeriveRawSecretAgreement(theirs.PublicKey);
        });
        return HitKey.Derive(secret, agreementId, epoch, salt);
    }
}

/// <summary>Received filters read once per process (by row id: a newer filter is a new row).</summary>
public sealed class ReceivedFilterCache
{
    private readonly ConcurrentDictionary<Guid, HitFilter> _filters = new();

    public HitFilter? Find(Guid id) => _filters.GetValueOrDefault(id);

    public void Keep(Guid id, HitFilter filter, IReadOnlyCollection<Guid> live)
    {
        ArgumentNullException.ThrowIfNull(live);
        _filters[id] = filter;
        foreach (var stale in _filters.Keys.Where(k => !live.Contains(k)))
        {
            _filters.TryRemove(stale, out _);
        }
    }
}
