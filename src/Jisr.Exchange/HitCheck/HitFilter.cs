using System.Buffers.Binary;
using Jisr.Fusion.Identifiers;
using Jisr.Matching.Names;

namespace Jisr.Exchange.HitCheck;

/// <summary>
/// What one node holds within one agreement, as a binary fuse filter of keyed hashes (<see cref="HitKey"/>) of the
/// normalised identifiers and name-matching keys of its records: a partner can test a name or an identifier against
/// it (yes, or no), and learns nothing else. Checks are per key: <see cref="BinaryFuseFilter.FalsePositiveRate"/>
/// (6.0e-8) each, so a name query (15 keys on average on un-dev with its possible-hit keys, at most 48: key scheme 3)
/// has a filter error of about 9e-7 on average, 2.9e-6 at worst.
/// </summary>
public sealed class HitFilter
{
    /// <summary>The wire format's version; a filter of another version is refused, never guessed at.</summary>
    public const byte FormatVersion = 1;

    /// <summary>
    /// How keys are made (<see cref="NameMatchKeys"/> and <see cref="HitFilter.IdentifierKey"/>, keyed by <see cref="HitKey.Hasher"/>):
    /// both nodes must make them alike. 3: short parts joined, Abd- forms, kunya, tribe and titled aliases (scheme 2's
    /// filters lack those keys: a node refuses a filter of another scheme on receipt and skips one it stored before).
    /// </summary>
    public const byte KeyScheme = 3;

    /// <summary>Magic "JHF" + version, flags, agreement, epoch, key check, seed, segment length and count, key count.</summary>
    public const int HeaderLength = 4 + 4 + 16 + 4 + 8 + 8 + 4 + 4 + 4;

    private static readonly byte[] Magic = "JHF"u8.ToArray();

    public HitFilter(Guid agreementId, int epoch, ulong keyCheck, BinaryFuseFilter filter)
    {
        AgreementId = agreementId;
        Epoch = epoch;
        KeyCheck = keyCheck;
        Filter = filter ?? throw new ArgumentNullException(nameof(filter));
    }

    public Guid AgreementId { get; }

    /// <summary>The key epoch the filter was built in (the key is derived per agreement and epoch).</summary>
    public int Epoch { get; }

    /// <summary><see cref="HitKey.Check"/> of the key that built it.</summary>
    public ulong KeyCheck { get; }

    public BinaryFuseFilter Filter { get; }

    /// <summary>The size of the encoded filter in bytes.</summary>
    public int ByteLength => HeaderLength + (Filter.SlotCount * 3);

    /// <summary>
    /// The key an identifier is filed under: its kind and normalised value (documents without their issuing country,
    /// which a query rarely knows); null for an identifier that does not check out (never filed, never checked).
    /// </summary>
    public static string? IdentifierKey(Identifier identifier) =>
        identifier?.Normalised is { } normalised ? $"{Identifier.Wire(identifier.Kind)}:{normalised}" : null;

    /// <summary>
    /// Builds the filter of <paramref name="names"/> (persons' and organisations' names, any script) and
    /// <paramref name="identifierKeys"/> (<see cref="IdentifierKey"/>) under <paramref name="key"/>, on all cores.
    /// </summary>
    public static HitFilter Build(HitKey key, Guid agreementId, int epoch, IReadOnlyList<string> names, IReadOnlyList<string> identifierKeys, Random? random = null) =>
        BuildFromKeys(key, agreementId, epoch, NameKeys(names), identifierKeys, random);

    /// <summary>
    /// Builds the filter of name keys made once by <see cref="NameKeys"/> (a node digests and builds from the same
    /// keys) and <paramref name="identifierKeys"/> under <paramref name="key"/>, on all cores.
    /// </summary>
    public static HitFilter BuildFromKeys(HitKey key, Guid agreementId, int epoch, IReadOnlyList<ulong> nameKeys, IReadOnlyList<string> identifierKeys, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(nameKeys);
        ArgumentNullException.ThrowIfNull(identifierKeys);
        var total = nameKeys.Count + identifierKeys.Count;
        var keys = new ulong[total];
        var workers = Math.Max(1, Environment.ProcessorCount);
        var chunk = Math.Max(1, (total + workers - 1) / workers);
        Parallel.For(0, workers, worker =>
        {
            using var hasher = key.CreateHasher();
            for (var i = worker * chunk; i < Math.Min(total, (worker + 1) * chunk); i++)
            {
                keys[i] = i < nameKeys.Count ? hasher.Name(nameKeys[i]) : hasher.Identifier(identifierKeys[i - nameKeys.Count]);
            }
        });
        return new HitFilter(agreementId, epoch, key.Check, BinaryFuseFilter.Build(keys, random));
    }

    /// <summary>
    /// The name-matching keys (<see cref="NameMatchKeys.ForFiling(string?)"/>, not yet keyed) of <paramref name="names"/>,
    /// distinct and in ascending order, on all cores: what a filter of these names holds, and what its digest covers.
    /// </summary>
    public static ulong[] NameKeys(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var all = new List<ulong>[Math.Max(1, Environment.ProcessorCount)];
        var chunk = Math.Max(1, (names.Count + all.Length - 1) / all.Length);
        Parallel.For(0, all.Length, worker =>
        {
            var mine = new List<ulong>(chunk * 8);
            for (var i = worker * chunk; i < Math.Min(names.Count, (worker + 1) * chunk); i++)
            {
                foreach (var matchKey in NameMatchKeys.ForFiling(names[i]).Keys)
                {
                    mine.Add(matchKey.Key);
                }
            }

            all[worker] = mine;
        });
        var keys = new ulong[all.Sum(l => l.Count)];
        var at = 0;
        foreach (var list in all)
        {
            list.CopyTo(keys, at);
            at += list.Count;
        }

        Array.Sort(keys);
        var size = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (i == 0 || keys[i] != keys[i - 1])
            {
                keys[size++] = keys[i];
            }
        }

        return size == keys.Length ? keys : keys[..size];
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        span[3] = FormatVersion;
        span[4] = BinaryFuseFilter.FingerprintBits;
        span[5] = KeyScheme;
        AgreementId.TryWriteBytes(span.Slice(8, 16));
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], Epoch);
        BinaryPrimitives.WriteUInt64LittleEndian(span[28..], KeyCheck);
        BinaryPrimitives.WriteUInt64LittleEndian(span[36..], Filter.Seed);
        BinaryPrimitives.WriteInt32LittleEndian(span[44..], Filter.SegmentLength);
        BinaryPrimitives.WriteInt32LittleEndian(span[48..], Filter.SegmentCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[52..], Filter.KeyCount);
        Filter.Fingerprints.CopyTo(span[HeaderLength..]);
        return bytes;
    }

    /// <summary>The key scheme encoded filter <paramref name="bytes"/> were built with (0 when too short to say).</summary>
    public static byte SchemeOf(ReadOnlySpan<byte> bytes) => bytes.Length > 5 ? bytes[5] : (byte)0;

    /// <summary>Reads a filter, checking every field and the exact length; a <see cref="FormatException"/> says what is wrong.</summary>
    public static HitFilter Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
        {
            throw new FormatException($"a hit filter has at least {HeaderLength} bytes; this one has {bytes.Length}");
        }

        if (!bytes[..3].SequenceEqual(Magic))
        {
            throw new FormatException("not a Jisr hit filter (it does not start with 'JHF')");
        }

        if (bytes[3] != FormatVersion)
        {
            throw new FormatException($"hit filter format version {bytes[3]} is not supported (this node reads version {FormatVersion})");
        }

        if (bytes[4] != BinaryFuseFilter.FingerprintBits || bytes[5] != KeyScheme || bytes[6] != 0 || bytes[7] != 0)
        {
            throw new FormatException($"hit filter with {bytes[4]}-bit fingerprints and key scheme {bytes[5]}: this node reads {BinaryFuseFilter.FingerprintBits}-bit fingerprints and key scheme {KeyScheme}");
        }

        var agreementId = new Guid(bytes.Slice(8, 16));
        var epoch = BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]);
        var keyCheck = BinaryPrimitives.ReadUInt64LittleEndian(bytes[28..]);
        var seed = BinaryPrimitives.ReadUInt64LittleEndian(bytes[36..]);
        var segmentLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[44..]);
        var segmentCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[48..]);
        var keyCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[52..]);
        if (epoch < 0)
        {
            throw new FormatException($"hit filter epoch {epoch} is negative");
        }

        if (segmentLength < 4 || segmentLength > BinaryFuseFilter.MaxSegmentLength || (segmentLength & (segmentLength - 1)) != 0)
        {
            throw new FormatException($"hit filter segment length {segmentLength} is not a power of two between 4 and {BinaryFuseFilter.MaxSegmentLength}");
        }

        if (segmentCount < 1 || ((long)segmentCount + 2) * segmentLength > BinaryFuseFilter.MaxSlots)
        {
            throw new FormatException($"hit filter segment count {segmentCount} is out of range (at most {BinaryFuseFilter.MaxSlots} slots)");
        }

        var slots = (segmentCount + 2) * segmentLength;
        if (keyCount < 0 || keyCount > slots)
        {
            throw new FormatException($"hit filter key count {keyCount} does not fit its {slots} slots");
        }

        var expected = HeaderLength + ((long)slots * 3);
        if (bytes.Length != expected)
        {
            throw new FormatException($"hit filter length {bytes.Length} bytes does not match its header ({expected} bytes for {slots} slots): truncated or padded");
        }

        var filter = BinaryFuseFilter.FromParts(seed, segmentLength, segmentCount, keyCount, bytes[HeaderLength..].ToArray());
        return new HitFilter(agreementId, epoch, keyCheck, filter);
    }
}
