using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace Jisr.Fusion.Resolution;

/// <summary>
/// What an incremental cross-reference starts from: the options it ran under, a mark for every probe and target it
/// saw (a probe's without the keys it read: the next run reads only the keys of its own probes; they were a quarter of
/// the bytes), and its hits. Written as bytes (versioned, compressed) for the caller to keep between runs; bytes that are not
/// a state of this version read as null (a full run follows), never as a wrong state.
/// </summary>
public sealed class XrefState(string settings, IReadOnlyDictionary<string, XrefMark> probes, IReadOnlyDictionary<string, XrefMark> targets, IReadOnlyList<MatchProposal> hits)
{
    private const string Magic = "JXS3";

    public string Settings { get; } = settings;

    public IReadOnlyDictionary<string, XrefMark> Probes { get; } = probes;

    public IReadOnlyDictionary<string, XrefMark> Targets { get; } = targets;

    public IReadOnlyList<MatchProposal> Hits { get; } = hits;

    /// <summary>The state as bytes, in memory (<see cref="WriteTo"/> writes them where they are kept).</summary>
    public byte[] ToBytes()
    {
        using var bytes = new MemoryStream();
        WriteTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>
    /// Writes the state to <paramref name="destination"/> as it is compressed, never whole in memory (140 MB at a
    /// million persons); the stream is left open.
    /// </summary>
    public void WriteTo(Stream destination)
    {
        // Buffered: the writer's small writes each went to the encoder (most of a first run's time went there).
        using var zip = new BrotliStream(destination, CompressionLevel.Fastest, leaveOpen: true);
        using var buffered = new BufferedStream(zip, 1 << 16);
        using var w = new BinaryWriter(buffered, Encoding.UTF8);
        w.Write(Magic);
        w.Write(Settings);
        WriteMarks(w, Probes, withKeys: false);
        WriteMarks(w, Targets, withKeys: true);
        w.Write(Hits.Count);
        foreach (var hit in Hits)
        {
            w.Write(hit.A);
            w.Write(hit.B);
            w.Write(hit.Score);
            w.Write(hit.Evidence.Count);
            foreach (var e in hit.Evidence)
            {
                w.Write(e.Kind);
                w.Write(e.Detail);
                w.Write(e.Weight);
            }
        }
    }

    /// <summary>The state in <paramref name="bytes"/>, or null, as <see cref="ReadFrom"/> reads it.</summary>
    public static XrefState? FromBytes(byte[]? bytes, IReadOnlyList<PersonRecord>? scored = null) =>
        bytes is null ? null : ReadFrom(new MemoryStream(bytes), scored);

    /// <summary>
    /// The state <see cref="WriteTo"/> wrote to <paramref name="source"/>, or null when it holds none (empty, another
    /// version, cut short, damaged). With <paramref name="scored"/> (the records the next run scores), an id the state
    /// holds is read into that record's id string rather than a copy of it.
    /// </summary>
    public static XrefState? ReadFrom(Stream source, IReadOnlyList<PersonRecord>? scored = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            using var zip = new BrotliStream(source, CompressionMode.Decompress, leaveOpen: true);
            using var r = new BinaryReader(new BufferedStream(zip, 1 << 16), Encoding.UTF8);
            if (r.ReadString() != Magic)
            {
                return null;
            }

            var settings = r.ReadString();

            // One string per distinct text: a hit's ids are marks' ids, and its evidence's kinds and details repeat ("both
            // male", "both MA": a million persons' 590,000 hits give 3 million details, 900,000 of them distinct).
            var texts = new Dictionary<string, string>(scored?.Count ?? 0, StringComparer.Ordinal);
            foreach (var record in scored ?? [])
            {
                texts.TryAdd(record.Id, record.Id);
            }

            string Text()
            {
                var text = r.ReadString();
                ref var shared = ref CollectionsMarshal.GetValueRefOrAddDefault(texts, text, out _);
                return shared ??= text;
            }

            var probes = ReadMarks(r, withKeys: false, Text);
            var targets = ReadMarks(r, withKeys: true, Text);
            var hits = new MatchProposal[Count(r)];
            for (var i = 0; i < hits.Length; i++)
            {
                var (a, b, score) = (Text(), Text(), r.ReadDouble());
                var evidence = new Evidence[Count(r)];
                for (var e = 0; e < evidence.Length; e++)
                {
                    evidence[e] = new Evidence(Text(), Text(), r.ReadDouble());
                }

                hits[i] = new MatchProposal(a, b, score, evidence);
            }

            return new XrefState(settings, probes, targets, hits);
        }
        // Brotli's decoder throws InvalidOperationException on bytes that are no Brotli stream at all.
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static void WriteMarks(BinaryWriter w, IReadOnlyDictionary<string, XrefMark> marks, bool withKeys)
    {
        w.Write(marks.Count);
        foreach (var (id, mark) in marks)
        {
            w.Write(id);
            w.Write(mark.Fingerprint);
            w.Write(mark.Namesakes);
            if (!withKeys)
            {
                continue;
            }

            w.Write(mark.Keys.Length);
            foreach (var key in mark.Keys)
            {
                w.Write(key);
            }
        }
    }

    private static Dictionary<string, XrefMark> ReadMarks(BinaryReader r, bool withKeys, Func<string> id)
    {
        var count = Count(r);
        var marks = new Dictionary<string, XrefMark>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = id();
            var fingerprint = r.ReadUInt64();
            var namesakes = r.ReadInt32();
            var keys = withKeys ? new ulong[Count(r)] : [];
            for (var k = 0; k < keys.Length; k++)
            {
                keys[k] = r.ReadUInt64();
            }

            marks[key] = new XrefMark(fingerprint, keys, namesakes);
        }

        return marks;
    }

    /// <summary>A count as written; a negative or absurd one is damage, not a reason to allocate gigabytes.</summary>
    private static int Count(BinaryReader r)
    {
        var count = r.ReadInt32();
        return count is >= 0 and <= 100_000_000 ? count : throw new InvalidDataException("bad count");
    }
}
