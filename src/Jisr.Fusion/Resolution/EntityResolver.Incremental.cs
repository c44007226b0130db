using System.Security.Cryptography;
using System.Text;

namespace Jisr.Fusion.Resolution;

/// <summary>
/// Incremental cross-reference: a run remembers, for every probe and target, a fingerprint of everything scoring
/// reads of it (names, date of birth, nationalities, identifiers, gender, its neighbours as the resolver sees them,
/// and for a probe the judgements on its pairs) and, for a target, the keys it is filed under (a probe's keys follow
/// from what its fingerprint covers, so the next run reads its own). The next run compares only the
/// probes whose hits could differ: the new or changed probes, those that had a hit on a target that changed or went,
/// those that read a name or identifier block such a target is or was filed in (their candidates or a block's size may
/// differ), and those whose name became more or less common among the targets (their prior). Every other probe keeps
/// its hits. The answer is exactly what a full run would give (a property test checks it), whatever run the
/// state came from: a probe is kept only when nothing its hits depend on differs.
/// </summary>
public static partial class EntityResolver
{
    /// <summary>
    /// <see cref="CrossReference"/> that reuses <paramref name="previous"/> (null: a full run). The hits come in the
    /// same order as <see cref="CrossReference"/>'s; the returned state is the base of the next run.
    /// </summary>
    public static XrefRun CrossReferenceIncremental(
        IReadOnlyList<PersonRecord> probes,
        IReadOnlyList<PersonRecord> targets,
        IReadOnlyList<EntityLink>? links,
        IReadOnlyDictionary<RecordPair, Judgement>? judgements,
        ResolutionOptions? options,
        XrefState? previous,
        IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(targets);
        options ??= new ResolutionOptions();
        var preparedTargets = Prepare(targets, links);
        var preparedProbes = Prepare(probes, links);
        var judged = JudgementsById(judgements);
        preparedTargets.Blocks ??= NameBlocks.Build([.. preparedTargets.Items.Select(r => r.Names)], [.. preparedTargets.Items.Select(r => r.Record.DateOfBirth)]);
        var settings = SettingsOf(options);
        var full = previous is null || previous.Settings != settings;
        // A probe's keys are compared with what changed since the previous run: a full run has no use for them.
        var probeMarks = Marks(preparedProbes, judged, preparedTargets.Blocks, withKeys: !full);
        var targetMarks = Marks(preparedTargets, null, null, withKeys: true);

        if (full || previous is null)
        {
            var all = Match(preparedProbes, preparedTargets, sameSet: false, judgements, options, progress);
            return new XrefRun(all, new XrefState(settings, probeMarks, targetMarks, all), probes.Count, probes.Count);
        }

        // Targets that came, changed or went, and every key their old and new versions are blocked under.
        // Keys a target left (it went, or is no longer filed there) are blocks that shrank: a probe reading one may
        // gain candidates it never scored, so it is compared in full.
        var dirtyTargets = new HashSet<string>(StringComparer.Ordinal);
        var dirtyKeys = new HashSet<ulong>();
        var shrunkKeys = new HashSet<ulong>();
        foreach (var (id, mark) in targetMarks)
        {
            var known = previous.Targets.TryGetValue(id, out var old);
            if (!known || old.Fingerprint != mark.Fingerprint)
            {
                dirtyTargets.Add(id);
                dirtyKeys.UnionWith(mark.Keys);
                if (known)
                {
                    dirtyKeys.UnionWith(old.Keys);
                    shrunkKeys.UnionWith(old.Keys.Except(mark.Keys));
                }
            }
        }

        foreach (var (id, old) in previous.Targets)
        {
            if (!targetMarks.ContainsKey(id))
            {
                dirtyTargets.Add(id);
                dirtyKeys.UnionWith(old.Keys);
                shrunkKeys.UnionWith(old.Keys);
            }
        }

        var hitOnDirty = previous.Hits.Where(h => dirtyTargets.Contains(h.B)).Select(h => h.A).ToHashSet(StringComparer.Ordinal);
        // A probe is compared in full when it is new or changed, when its name became rarer (a higher prior may lift a
        // pair it passed over) or when a block it reads shrank. A probe that only read a block a changed target is or
        // was filed in, had a hit on one, or whose name became more common, scores just those targets and its
        // previous hits: every other candidate is a pair it scored before, below the threshold, and a lower or equal
        // prior keeps it there (growing blocks can only drop candidates, never add an unchanged one).
        var affected = new List<int>();
        var only = new List<HashSet<int>?>();
        var oldHits = previous.Hits;
        var previousHits = oldHits.ToLookup(h => h.A, StringComparer.Ordinal);
        for (var i = 0; i < preparedProbes.Items.Length; i++)
        {
            var id = preparedProbes.Items[i].Record.Id;
            var mark = probeMarks[id];
            if (!previous.Probes.TryGetValue(id, out var old) || old.Fingerprint != mark.Fingerprint || mark.Namesakes < old.Namesakes
                || mark.Keys.Any(shrunkKeys.Contains))
            {
                affected.Add(i);
                only.Add(null);
            }
            else if (old.Namesakes != mark.Namesakes || hitOnDirty.Contains(id) || mark.Keys.Any(dirtyKeys.Contains))
            {
                affected.Add(i);
                var hitTargets = new HashSet<int>();
                foreach (var hit in previousHits[id])
                {
                    if (preparedTargets.ById.TryGetValue(hit.B, out var t))
                    {
                        hitTargets.Add(t);
                    }
                }

                only.Add(hitTargets);
            }
        }

        // The previous run's marks are not read past this point: let them go before matching (at a million persons
        // they weigh hundreds of megabytes); its hits are merged at the end.
        previous = null;

        var dirty = new bool[preparedTargets.Items.Length];
        for (var t = 0; t < dirty.Length; t++)
        {
            dirty[t] = dirtyTargets.Contains(preparedTargets.Items[t].Record.Id);
        }

        var subset = new Prepared
        {
            Items = [.. affected.Select(i => preparedProbes.Items[i])],
            Facts = [.. affected.Select(i => preparedProbes.Facts[i])],
            ById = affected.Select((i, at) => (preparedProbes.Items[i].Record.Id, at)).GroupBy(x => x.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().at, StringComparer.Ordinal),
        };
        var fresh = Match(subset, preparedTargets, sameSet: false, judgements, options, progress, new IncrementalScope(dirty, [.. only]));
        var scored = only.Count(o => o is null);

        var recomputed = subset.ById.Keys.ToHashSet(StringComparer.Ordinal);
        var merged = oldHits.Where(h => probeMarks.ContainsKey(h.A) && !recomputed.Contains(h.A)).Concat(fresh).ToList();
        merged.Sort(HitOrder);
        return new XrefRun(merged, new XrefState(settings, probeMarks, targetMarks, merged), affected.Count, scored);
    }

    /// <summary>The order of <see cref="CrossReference"/>'s hits: by probe, best first, then by target.</summary>
    private static int HitOrder(MatchProposal x, MatchProposal y) =>
        string.CompareOrdinal(x.A, y.A) is var c and not 0 ? c : y.Score.CompareTo(x.Score) is var s and not 0 ? s : string.CompareOrdinal(x.B, y.B);

    /// <summary>The options that decide hits: a state made under others is not reused.</summary>
    private static string SettingsOf(ResolutionOptions options) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"v1;{options.Threshold:R};{options.MaxNameBlock};{Jisr.Matching.Names.NameMatcher.MatchThreshold:R};{options.MaxIdentifierBlock}");

    private static Dictionary<string, List<string>> JudgementsById(IReadOnlyDictionary<RecordPair, Judgement>? judgements)
    {
        var byId = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (pair, judgement) in judgements ?? new Dictionary<RecordPair, Judgement>())
        {
            var text = $"{pair.First}\u001f{pair.Second}\u001f{judgement}";
            Add(pair.First, text);
            Add(pair.Second, text);
        }

        foreach (var list in byId.Values)
        {
            list.Sort(StringComparer.Ordinal);
        }

        return byId;

        void Add(string id, string text)
        {
            if (!byId.TryGetValue(id, out var list))
            {
                byId[id] = list = [];
            }

            list.Add(text);
        }
    }

    /// <summary>
    /// Probes (<paramref name="targets"/> given): the blocks they read and how common their name is among the targets;
    /// targets: the blocks they are filed in. Identifier keys on both sides. Without <paramref name="withKeys"/>, no keys.
    /// </summary>
    private static Dictionary<string, XrefMark> Marks(Prepared prepared, Dictionary<string, List<string>>? judged, NameBlocks? targets, bool withKeys)
    {
        var marks = new XrefMark[prepared.Items.Length];
        Parallel.For(0, prepared.Items.Length, i =>
        {
            var item = prepared.Items[i];
            ulong[] keys = [];
            if (withKeys)
            {
                var date = item.Record.DateOfBirth;
                var set = new HashSet<ulong>(targets is null ? NameBlocks.FiledKeys(item.Names, date) : NameBlocks.ReadKeys(item.Names, date));
                foreach (var key in item.Keys)
                {
                    set.Add(StableHash(key));
                }

                keys = [.. set.Order()];
            }

            marks[i] = new XrefMark(Fingerprint(item, judged?.GetValueOrDefault(item.Record.Id)), keys, targets?.Namesakes(item.Names) ?? 0);
        });

        var byId = new Dictionary<string, XrefMark>(prepared.Items.Length, StringComparer.Ordinal);
        for (var i = 0; i < marks.Length; i++)
        {
            byId.TryAdd(prepared.Items[i].Record.Id, marks[i]);
        }

        return byId;
    }

    /// <summary>
    /// SHA-256 (first 8 bytes) of everything scoring reads of a record: a change there changes the fingerprint. The text
    /// is built in buffers each thread keeps: a fresh builder, its string and its bytes per record were 1.9 KB of garbage
    /// for each of a million persons.
    /// </summary>
    private static ulong Fingerprint(PreparedRecord item, List<string>? judgements)
    {
        var r = item.Record;
        var text = _fingerprintText is { } kept && kept.Capacity <= KeptFingerprintChars ? kept : _fingerprintText = new StringBuilder(512);
        text.Clear();
        void End() => text.Append('\u001e');
        void Joined(IEnumerable<string> values)
        {
            var first = true;
            foreach (var value in values)
            {
                (first ? text : text.Append('\u001f')).Append(value);
                first = false;
            }

            End();
        }

        text.Append(r.Id);
        End();
        text.Append(r.Agency);
        End();
        Joined(r.Names);
        text.Append(r.DateOfBirth?.ToString());
        End();
        Joined(r.Nationalities);
        for (var i = 0; i < r.Identifiers.Count; i++)
        {
            var x = r.Identifiers[i];
            (i == 0 ? text : text.Append('\u001f')).Append(x.Kind.ToString()).Append('\u001d').Append(x.Written).Append('\u001d')
                .Append(x.Normalised).Append('\u001d').Append(x.Country).Append('\u001d').Append(x.Problem);
        }

        End();
        text.Append(r.Gender.ToString());
        End();
        Joined(item.Neighbours);
        if (judgements is null)
        {
            End();
        }
        else
        {
            Joined(judgements);
        }

        // A thread keeps buffers of an ordinary record's size; a hub's thousands of neighbours get buffers of their own.
        var keep = text.Length <= KeptFingerprintChars;
        var chars = _fingerprintChars is { } c && c.Length >= text.Length ? c : new char[keep ? KeptFingerprintChars : text.Length];
        text.CopyTo(0, chars, text.Length);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        var bytes = _fingerprintBytes is { } b && b.Length >= maxBytes ? b : new byte[keep ? Encoding.UTF8.GetMaxByteCount(KeptFingerprintChars) : maxBytes];
        if (keep)
        {
            (_fingerprintChars, _fingerprintBytes) = (chars, bytes);
        }

        var length = Encoding.UTF8.GetBytes(chars.AsSpan(0, text.Length), bytes);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes.AsSpan(0, length), hash);
        return BitConverter.ToUInt64(hash);
    }

    private const int KeptFingerprintChars = 8 * 1024;

    [ThreadStatic]
    private static StringBuilder? _fingerprintText;

    [ThreadStatic]
    private static char[]? _fingerprintChars;

    [ThreadStatic]
    private static byte[]? _fingerprintBytes;

    /// <summary>FNV-1a: the same in every process (string.GetHashCode is not); a collision only costs a recomputation.</summary>
    private static ulong StableHash(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h = unchecked((h ^ c) * 1099511628211UL);
        }

        return h;
    }
}

/// <summary>The hits of a run, the state the next run starts from, and how many probes this one compared.</summary>
/// <remarks><see cref="ComparedInFull"/>: of those, how many against every candidate (the others only against the targets that changed and their previous hits).</remarks>
public sealed record XrefRun(IReadOnlyList<MatchProposal> Hits, XrefState State, int Compared, int ComparedInFull = -1);

/// <summary>
/// What a run saw of one record: the fingerprint of what scoring reads, the blocks it reads (a probe, in an incremental
/// run only: none are kept in a state) or is filed in (a target), and for a probe how many targets bore a like name
/// (its prior). A value, held in its dictionary's entries: a run and the state it reads hold four million at a million
/// persons, each an object to allocate and for every full collection to mark.
/// </summary>
public readonly record struct XrefMark(ulong Fingerprint, ulong[] Keys, int Namesakes = 0);
