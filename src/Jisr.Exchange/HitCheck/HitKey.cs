using Jisr.Fusion.Identifiers;
using Jisr.Matching.Names;

namespace Jisr.Exchange.HitCheck;

/// <summary>
/// The secret of one agreement's filters for one key epoch (32 bytes): what turns a normalised identifier or a
/// name-matching key into a filter key (HMAC-SHA256, first 8 bytes). Without it the filter's keys are random 64-bit
/// numbers: the filter bytes say nothing about any name or identifier.
/// </summary>
public sealed class HitKey
{
    public const int Length = 32;

    private static readonly byte[] CheckLabel = Encoding.ASCII.GetBytes("jisr hit filter key check v1");

    private readonly byte[] _secret;

    public HitKey(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != Length)
        {
            throw new ArgumentException($"a hit-check key has {Length} bytes, not {secret.Length}", nameof(secret));
        }

        _secret = secret.ToArray();
        Check = BitConverter.ToUInt64(HMACSHA256.HashData(_secret, CheckLabel), 0);
    }

    /// <summary>
    /// A value that shows which key built a filter without revealing the key (the HMAC of a fixed label): a filter
    /// whose check differs from the key the receiver derives for its epoch was built with another (e.g. rotated-out) key.
    /// </summary>
    public ulong Check { get; }

    /// <summary>
    /// The key of one filter: HKDF-SHA256 of the two nodes' ECDH secret, salted with the agreement id, with the epoch
    /// and the filter's own random salt (sent with it) in the info. Both nodes derive it from their own private key and
    /// the other's public key; it never travels. A fresh salt per published filter means every rebuild has a key of
    /// its own: bytes of an older filter say nothing about a newer one.
    /// </summary>
    public static HitKey Derive(ReadOnlySpan<byte> sharedSecret, Guid agreementId, int epoch, ReadOnlySpan<byte> salt)
    {
        var info = Encoding.ASCII.GetBytes($"jisr hit-check filter key v1 epoch {epoch.ToString(CultureInfo.InvariantCulture)} salt {Convert.ToHexStringLower(salt)}");
        Span<byte> key = stackalloc byte[Length];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, key, agreementId.ToByteArray(), info);
        return new HitKey(key);
    }

    /// <summary>A hasher for many keys (not thread-safe: one per thread).</summary>
    public Hasher CreateHasher() => new(_secret);

    /// <summary>Keys <see cref="NameMatchKey"/>s and identifier keys; reuses one HMAC instance.</summary>
    public sealed class Hasher : IDisposable
    {
        private readonly HMACSHA256 _hmac;
        private readonly byte[] _buffer = new byte[1 + (IdentifierNormaliser.MaxLength * 4) + 64];
        private readonly byte[] _hash = new byte[32];

        internal Hasher(byte[] secret) => _hmac = new HMACSHA256(secret);

        /// <summary>The filter key of a name-matching key (domain-separated from identifiers by its first byte).</summary>
        public ulong Name(ulong matchKey)
        {
            _buffer[0] = (byte)'n';
            BitConverter.TryWriteBytes(_buffer.AsSpan(1, 8), matchKey);
            return Finish(9);
        }

        /// <summary>The filter key of an identifier's normalised key (<see cref="Identifier.Key"/>: kind, country where it matters, normalised value).</summary>
        public ulong Identifier(string identifierKey)
        {
            ArgumentNullException.ThrowIfNull(identifierKey);
            _buffer[0] = (byte)'i';
            var length = Encoding.UTF8.GetBytes(identifierKey, 0, Math.Min(identifierKey.Length, IdentifierNormaliser.MaxLength + 32), _buffer, 1);
            return Finish(1 + length);
        }

        private ulong Finish(int length)
        {
            _hmac.TryComputeHash(_buffer.AsSpan(0, length), _hash, out _);
            return BitConverter.ToUInt64(_hash, 0);
        }

        public void Dispose() => _hmac.Dispose();
    }
}
