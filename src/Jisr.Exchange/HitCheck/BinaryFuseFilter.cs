namespace Jisr.Exchange.HitCheck;

/// <summary>
/// A binary fuse filter (Graf and Lemire, "Binary Fuse Filters: Fast and Smaller Than Xor Filters", 2022) over 64-bit
/// keys with 24-bit fingerprints: a key that was added is always found; any other key is found with probability
/// 2^-24 (about 6.0e-8). About 1.13 slots of 3 bytes per key for large sets (3.4 bytes per key). Immutable once built;
/// queries are three array reads and are safe from any number of threads.
/// </summary>
public sealed class BinaryFuseFilter
{
    public const int FingerprintBits = 24;

    /// <summary>The chance that a key never added is found: 2^-24.</summary>
    public static readonly double FalsePositiveRate = Math.Pow(2, -FingerprintBits);

    private const uint FingerprintMask = (1u << FingerprintBits) - 1;

    /// <summary>The largest segment the construction uses (beyond it, longer segments stop helping).</summary>
    public const int MaxSegmentLength = 1 << 18;

    /// <summary>The most slots a filter may have (48 MiB of fingerprints): a bound on what a peer can make this node allocate.</summary>
    public const int MaxSlots = 1 << 24;

    private readonly byte[] _fingerprints;

    private BinaryFuseFilter(ulong seed, int segmentLength, int segmentCount, int keyCount, byte[] fingerprints)
    {
        Seed = seed;
        SegmentLength = segmentLength;
        SegmentCount = segmentCount;
        KeyCount = keyCount;
        _fingerprints = fingerprints;
    }

    public ulong Seed { get; }

    public int SegmentLength { get; }

    public int SegmentCount { get; }

    /// <summary>How many distinct keys it was built from.</summary>
    public int KeyCount { get; }

    public int SlotCount => (SegmentCount + 2) * SegmentLength;

    /// <summary>The fingerprints, 3 bytes (little-endian) per slot.</summary>
    public ReadOnlySpan<byte> Fingerprints => _fingerprints;

    /// <summary>Builds a filter holding <paramref name="keys"/> (duplicates allowed). <paramref name="random"/> draws the seeds (a fresh one per failed attempt).</summary>
    public static BinaryFuseFilter Build(IEnumerable<ulong> keys, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var distinct = keys.ToArray();
        Array.Sort(distinct);
        var size = 0;
        for (var i = 0; i < distinct.Length; i++)
        {
            if (i == 0 || distinct[i] != distinct[i - 1])
            {
                distinct[size++] = distinct[i];
            }
        }

        random ??= Random.Shared;
        var (segmentLength, segmentCount) = Layout(size, extra: 0);
        for (var attempt = 0; ; attempt++)
        {
            // A construction fails with small probability (more often for tiny sets): retry with a new seed, and after
            // a few failures with a little more room.
            if (attempt > 0 && attempt % 8 == 0)
            {
                (segmentLength, segmentCount) = Layout(size, extra: attempt / 8);
            }

            if ((long)(segmentCount + 2) * segmentLength > MaxSlots)
            {
                throw new ArgumentException($"too many keys for one filter ({size}); at most about {MaxSlots / 113 * 100} keys fit");
            }

            var seed = (ulong)random.NextInt64() ^ ((ulong)random.NextInt64() << 32);
            var fingerprints = TryBuild(distinct.AsSpan(0, size), seed, segmentLength, segmentCount);
            if (fingerprints is not null)
            {
                return new BinaryFuseFilter(seed, segmentLength, segmentCount, size, fingerprints);
            }

            if (attempt > 100)
            {
                throw new InvalidOperationException("the filter could not be built after 100 attempts (are the keys random?)");
            }
        }
    }

    /// <summary>A filter from its parts as read from the wire; <see cref="HitFilterFormat"/> has checked the sizes.</summary>
    internal static BinaryFuseFilter FromParts(ulong seed, int segmentLength, int segmentCount, int keyCount, byte[] fingerprints) =>
        new(seed, segmentLength, segmentCount, keyCount, fingerprints);

    /// <summary>Whether <paramref name="key"/> may have been added: always true for one that was; for any other, true with probability <see cref="FalsePositiveRate"/>.</summary>
    public bool Contains(ulong key)
    {
        if (KeyCount == 0)
        {
            return false;
        }

        var hash = Murmur(key, Seed);
        var (h0, h1, h2) = Slots(hash);
        return Fingerprint(hash) == (Read(_fingerprints, h0) ^ Read(_fingerprints, h1) ^ Read(_fingerprints, h2));
    }

    /// <summary>Segment length and count for <paramref name="size"/> keys, as in the paper's reference code (3-wise).</summary>
    internal static (int SegmentLength, int SegmentCount) Layout(int size, int extra)
    {
        var segmentLength = size <= 1 ? 4 : 1 << (int)Math.Floor((Math.Log(size) / Math.Log(3.33)) + 2.25);
        segmentLength = Math.Min(segmentLength, MaxSegmentLength);
        var sizeFactor = size <= 1 ? 0 : Math.Max(1.125, 0.875 + (0.25 * Math.Log(1_000_000) / Math.Log(size)));
        sizeFactor *= 1 + (0.05 * extra);
        var capacity = (long)Math.Round(size * sizeFactor);
        var segmentCount = (int)Math.Max(1, ((capacity + segmentLength - 1) / segmentLength) - 2);
        return (segmentLength, segmentCount);
    }

    private (int H0, int H1, int H2) Slots(ulong hash) => Slots(hash, SegmentLength, SegmentCount);

    private static (int H0, int H1, int H2) Slots(ulong hash, int segmentLength, int segmentCount)
    {
        unchecked
        {
            var h0 = (uint)Math.BigMul(hash, (ulong)segmentCount * (ulong)segmentLength, out _);
            var mask = (uint)segmentLength - 1;
            var h1 = (h0 + (uint)segmentLength) ^ ((uint)(hash >> 18) & mask);
            var h2 = (h0 + (2 * (uint)segmentLength)) ^ ((uint)hash & mask);
            return ((int)h0, (int)h1, (int)h2);
        }
    }

    private static uint Fingerprint(ulong hash) => unchecked((uint)(hash ^ (hash >> 32)) & FingerprintMask);

    // Hash arithmetic wraps by design (the project checks overflow elsewhere).
    private static ulong Murmur(ulong key, ulong seed)
    {
        unchecked
        {
            var h = key + seed;
            h ^= h >> 33;
            h *= 0xff51afd7ed558ccdUL;
            h ^= h >> 33;
            h *= 0xc4ceb9fe1a85ec53UL;
            h ^= h >> 33;
            return h;
        }
    }

    private static uint Read(byte[] fingerprints, int slot)
    {
        var at = slot * 3;
        return fingerprints[at] | ((uint)fingerprints[at + 1] << 8) | ((uint)fingerprints[at + 2] << 16);
    }

    /// <summary>
    /// One attempt: every key marks its three slots (a count and the XOR of the hashes there), then slots holding one
    /// key are peeled off one by one; if every key peels, the fingerprints are assigned in reverse peeling order so
    /// that the three slots of each key XOR to its fingerprint. Null when the keys do not all peel (a cycle).
    /// </summary>
    private static byte[]? TryBuild(ReadOnlySpan<ulong> keys, ulong seed, int segmentLength, int segmentCount)
    {
        var slots = (segmentCount + 2) * segmentLength;
        var fingerprints = new byte[slots * 3];
        if (keys.Length == 0)
        {
            return fingerprints;
        }

        // count << 2 | XOR of the key's position (0, 1, 2) among its slots: a slot left with one key knows which of its slots it is.
        var counts = new uint[slots];
        var xors = new ulong[slots];
        for (var i = 0; i < keys.Length; i++)
        {
            var hash = Murmur(keys[i], seed);
            var (h0, h1, h2) = Slots(hash, segmentLength, segmentCount);
            counts[h0] += 4;
            xors[h0] ^= hash;
            counts[h1] = (counts[h1] + 4) ^ 1;
            xors[h1] ^= hash;
            counts[h2] = (counts[h2] + 4) ^ 2;
            xors[h2] ^= hash;
        }

        var queue = new int[slots];
        var queued = 0;
        for (var i = 0; i < slots; i++)
        {
            if (counts[i] >> 2 == 1)
            {
                queue[queued++] = i;
            }
        }

        var order = new ulong[keys.Length];
        var found = new byte[keys.Length];
        var peeled = 0;
        Span<int> h = stackalloc int[5];
        while (queued > 0)
        {
            var slot = queue[--queued];
            if (counts[slot] >> 2 != 1)
            {
                continue;
            }

            var hash = xors[slot];
            var position = (int)(counts[slot] & 3);
            found[peeled] = (byte)position;
            order[peeled++] = hash;
            (h[0], h[1], h[2]) = Slots(hash, segmentLength, segmentCount);
            h[3] = h[0];
            h[4] = h[1];
            for (var k = 1; k <= 2; k++)
            {
                var other = h[position + k];
                counts[other] = (counts[other] - 4) ^ (uint)((position + k) % 3);
                xors[other] ^= hash;
                if (counts[other] >> 2 == 1)
                {
                    queue[queued++] = other;
                }
            }
        }

        if (peeled != keys.Length)
        {
            return null;
        }

        var values = new uint[slots];
        for (var i = peeled - 1; i >= 0; i--)
        {
            var hash = order[i];
            (h[0], h[1], h[2]) = Slots(hash, segmentLength, segmentCount);
            h[3] = h[0];
            h[4] = h[1];
            var position = found[i];
            values[h[position]] = Fingerprint(hash) ^ values[h[position + 1]] ^ values[h[position + 2]];
        }

        for (var i = 0; i < slots; i++)
        {
            var at = i * 3;
            fingerprints[at] = unchecked((byte)values[i]);
            fingerprints[at + 1] = unchecked((byte)(values[i] >> 8));
            fingerprints[at + 2] = unchecked((byte)(values[i] >> 16));
        }

        return fingerprints;
    }
}
