using System.Runtime.InteropServices;
using Jisr.Domain.Entities;
using Jisr.Fusion.Identifiers;

namespace Jisr.Fusion.Resolution;

/// <summary>
/// The cheap first look at a candidate pair. A million probes meet tens of candidates each, and most are namesakes of
/// another year or country: reading their record objects (names, date, nationalities, identifiers: a cache miss each)
/// to reject them cost most of a cross-reference. <see cref="Facts"/> holds what that rejection needs as primitives in
/// one flat array, and <see cref="UpperBound"/> gives a log-odds no lower than the exact one, summed in the same order
/// (floating-point addition is monotonic), so a pair it rejects the exact check would have rejected too: the hits do
/// not change, only the work.
/// </summary>
public static partial class EntityResolver
{
    [StructLayout(LayoutKind.Auto)]
    private readonly struct Facts
    {
        /// <summary>Ordinal hash of the record id: equal ids are compared as strings only when these agree.</summary>
        public readonly int IdHash;

        /// <summary>Date of birth, 0 where unknown (valid years, months and days are never 0).</summary>
        public readonly short Year;
        public readonly byte Month;
        public readonly byte Day;
        public readonly Gender Gender;
        public readonly bool HasNationality;

        /// <summary>One bit per neighbour (its id or an identifier it holds): no common bit, no shared neighbour.</summary>
        public readonly ulong Neighbours;

        /// <summary>How many valid documents, phones and IBANs the record holds (each pair of them adds at most +3); 255: that many or more, no bound.</summary>
        public readonly byte Compared;

        /// <summary>One bit per nationality (case-insensitive hash): no common bit, no common nationality.</summary>
        public readonly ulong Nationalities;

        /// <summary>One bit per identifier key: no common bit, no shared identifier.</summary>
        public readonly ulong Keys;

        /// <summary>One bit per (kind, country) of the valid documents, phones and IBANs compared for typos.</summary>
        public readonly ulong Documents;

        /// <summary>
        /// Two bits per document, phone or IBAN compared for typos: its kind, country and length with its first half,
        /// and with its second. Two numbers of one length one character apart agree in one half, so no common bit
        /// means no typo between the two records' identifiers (most share a kind and country, few a half).
        /// </summary>
        public readonly ulong TypoHalves;

        public Facts(PersonRecord record, string[] keys, string[] neighbours)
        {
            IdHash = StringComparer.Ordinal.GetHashCode(record.Id);
            if (record.DateOfBirth is { } date)
            {
                Year = (short)date.Year;
                Month = (byte)(date.Month ?? 0);
                Day = (byte)(date.Day ?? 0);
            }

            Gender = record.Gender;
            HasNationality = record.Nationalities.Count > 0;
            foreach (var neighbour in neighbours)
            {
                Neighbours |= Bit(StringComparer.Ordinal.GetHashCode(neighbour));
            }

            foreach (var nationality in record.Nationalities)
            {
                Nationalities |= Bit(StringComparer.OrdinalIgnoreCase.GetHashCode(nationality));
            }

            foreach (var key in keys)
            {
                Keys |= Bit(StringComparer.Ordinal.GetHashCode(key));
            }

            foreach (var identifier in record.Identifiers)
            {
                if (identifier.Normalised is not null && ComparedForTypos(identifier.Kind))
                {
                    Documents |= Bit(DocumentHash(identifier.Kind, identifier.Country));
                    var number = identifier.Normalised.AsSpan();
                    var half = number.Length / 2;
                    TypoHalves |= Bit(HashCode.Combine(DocumentHash(identifier.Kind, identifier.Country), number.Length, 1, string.GetHashCode(number[..half], StringComparison.Ordinal)))
                        | Bit(HashCode.Combine(DocumentHash(identifier.Kind, identifier.Country), number.Length, 2, string.GetHashCode(number[half..], StringComparison.Ordinal)));
                    Compared = (byte)Math.Min(byte.MaxValue, Compared + 1);
                }
            }
        }

        private static ulong Bit(int hash) => 1UL << (hash & 63);
    }

    /// <summary>The kinds <see cref="IdentifierEvidence"/> compares character by character when they differ.</summary>
    private static bool ComparedForTypos(IdentifierKind kind) =>
        kind is IdentifierKind.Passport or IdentifierKind.IdentityCard or IdentifierKind.Phone or IdentifierKind.Iban;

    private static int DocumentHash(IdentifierKind kind, string? country) =>
        ((int)kind * 397) ^ (country is null ? 0 : StringComparer.Ordinal.GetHashCode(country));

    /// <summary>
    /// At least <see cref="Logit"/> without the name parts and with a perfect name score (the first check of every
    /// candidate), from the facts alone where they decide and from the records only where two identifiers may meet.
    /// </summary>
    private static double UpperBound(double prior, in Facts a, in Facts b, PreparedRecord ra, PreparedRecord rb)
    {
        // The terms in Logit's order: prior, name (0 for a perfect score), name parts (not counted), date, nationality,
        // gender, identifiers, neighbours.
        var date = a.Year == 0 || b.Year == 0 ? 0 : DateWeight(a.Year, a.Month, a.Day, b.Year, b.Month, b.Day).Weight;
        var nationality = !a.HasNationality || !b.HasNationality ? 0 : (a.Nationalities & b.Nationalities) != 0 ? 0.5 : -1.5;
        var gender = a.Gender == Gender.Unknown || b.Gender == Gender.Unknown ? 0 : a.Gender == b.Gender ? 0.3 : -5.0;
        // Without a shared key, identifiers add at most +3 per pair of one kind and country one character apart (and
        // nothing without a common half); neighbours at most +3, and nothing without a common neighbour bit.
        var identifiers = (a.Keys & b.Keys) != 0 ? IdentifierEvidence(ra, rb, null)
            : (a.TypoHalves & b.TypoHalves) != 0 ? (a.Compared == byte.MaxValue || b.Compared == byte.MaxValue ? double.PositiveInfinity : 3.0 * a.Compared * b.Compared)
            : 0;
        var neighbours = (a.Neighbours & b.Neighbours) != 0 ? 3.0 : 0;
        return prior + 0.0 + 0 + date + nationality + gender + identifiers + neighbours;
    }

    /// <summary>
    /// A record's <see cref="Facts"/> folded into 12 bytes for the first look at a name candidate: a million targets'
    /// screens (12 MB) stay in the processor's cache where their facts (56 MB) do not, and most of a probe's namesakes
    /// (nine in ten at a million: another day of birth, another gender) are turned away on the screen alone, before
    /// their facts or their record are read. The masks are folded (a bit set where any of its bits
    /// was), so a common bit of the folds is implied by a common bit of the masks, never the other way round.
    /// </summary>
    [StructLayout(LayoutKind.Auto)]
    private readonly struct Screen
    {
        public readonly short Year;
        public readonly byte Month;
        public readonly byte Day;
        public readonly byte Gender; // a Gender, in one byte
        public readonly bool HasNationality;
        public readonly byte Compared;
        public readonly byte Nationalities;
        public readonly byte Neighbours;
        public readonly byte TypoHalves;
        public readonly ushort Keys;

        public Screen(in Facts facts)
        {
            Year = facts.Year;
            Month = facts.Month;
            Day = facts.Day;
            Gender = (byte)facts.Gender;
            HasNationality = facts.HasNationality;
            Compared = facts.Compared;
            Nationalities = Fold8(facts.Nationalities);
            Neighbours = Fold8(facts.Neighbours);
            TypoHalves = Fold8(facts.TypoHalves);
            Keys = Fold16(facts.Keys);
        }

        private static byte Fold8(ulong mask)
        {
            var folded = Fold16(mask);
            return unchecked((byte)(folded | (folded >> 8)));
        }

        private static ushort Fold16(ulong mask)
        {
            mask |= mask >> 32;
            mask |= mask >> 16;
            return unchecked((ushort)mask);
        }
    }

    /// <summary>
    /// At least <see cref="UpperBound"/> for the same pair, from the two screens alone: each term is the same or
    /// larger (a common bit of the folded masks counts as a shared nationality, a shared key is unbounded), summed in
    /// the same order, so a candidate the screen turns away the upper bound would have turned away: the hits are the
    /// same, only the memory read for them is less.
    /// </summary>
    private static double ScreenBound(double prior, in Screen a, in Screen b)
    {
        var date = a.Year == 0 || b.Year == 0 ? 0 : DateWeight(a.Year, a.Month, a.Day, b.Year, b.Month, b.Day).Weight;
        var nationality = !a.HasNationality || !b.HasNationality ? 0 : (a.Nationalities & b.Nationalities) != 0 ? 0.5 : -1.5;
        var gender = a.Gender == (byte)Gender.Unknown || b.Gender == (byte)Gender.Unknown ? 0 : a.Gender == b.Gender ? 0.3 : -5.0;
        var identifiers = (a.Keys & b.Keys) != 0 ? double.PositiveInfinity
            : (a.TypoHalves & b.TypoHalves) != 0 ? (a.Compared == byte.MaxValue || b.Compared == byte.MaxValue ? double.PositiveInfinity : 3.0 * a.Compared * b.Compared)
            : 0;
        var neighbours = (a.Neighbours & b.Neighbours) != 0 ? 3.0 : 0;
        return prior + 0.0 + 0 + date + nationality + gender + identifiers + neighbours;
    }

    /// <summary>
    /// False when <see cref="IdentifierEvidence"/> of the two records is exactly 0: no key in common (no common bit) and
    /// no two documents, phones or IBANs of one kind and country to compare for a typo. It read every identifier object
    /// of every candidate (7 % of a million-person cross-reference's CPU) to find nothing for most of them.
    /// </summary>
    private static bool IdentifiersMayMeet(in Facts a, in Facts b) => (a.Keys & b.Keys) != 0 || (a.Documents & b.Documents) != 0;

    /// <summary>
    /// False when <see cref="IdentifierEvidence"/> of the two records is at most 0: no key in common and no two
    /// numbers one character apart (no common half). A bound for the checks that only turn candidates away; the score
    /// itself reads the identifiers whenever <see cref="IdentifiersMayMeet"/> (a renewed passport counts against).
    /// </summary>
    private static bool IdentifiersMayGain(in Facts a, in Facts b) => (a.Keys & b.Keys) != 0 || (a.TypoHalves & b.TypoHalves) != 0;

    /// <summary>
    /// For tests: per pair, the log-odds the first checks of a candidate read (the screen, the upper bound, and the
    /// pruning log-odds without name parts), and the exact one they must never fall below, for a perfect name score
    /// and a name borne by no other record.
    /// </summary>
    internal static IEnumerable<(double Screen, double Upper, double Pruning, double Exact)> CandidateBounds(
        IReadOnlyList<PersonRecord> records, IReadOnlyList<EntityLink>? links, IEnumerable<(int A, int B)> pairs)
    {
        var prepared = Prepare(records, links);
        var prior = Math.Log(RecordsPerPerson / 1);
        foreach (var (a, b) in pairs)
        {
            ref readonly var fa = ref prepared.Facts[a];
            ref readonly var fb = ref prepared.Facts[b];
            var (ra, rb) = (prepared.Items[a], prepared.Items[b]);
            var exact = Logit(ra, rb, 1.0, 1, withNameParts: false);
            if (!IdentifiersMayMeet(fa, fb) && IdentifierEvidence(ra, rb, null) != 0)
            {
                throw new InvalidOperationException($"{ra.Record.Id} and {rb.Record.Id}: identifiers said not to meet weigh {IdentifierEvidence(ra, rb, null)}");
            }

            yield return (ScreenBound(prior, new Screen(fa), new Screen(fb)), UpperBound(prior, fa, fb, ra, rb),
                Logit(ra, rb, 1.0, 1, withNameParts: false, IdentifiersMayGain(fa, fb)), exact);
        }
    }

    /// <summary>One matching thread's reused buffers and the proposals it found.</summary>
    private sealed class MatchWorker(int targets)
    {
        private int _stamp;

        public List<MatchProposal> Found { get; } = [];

        /// <summary>Per target, the stamp of the last probe that took it as a candidate.</summary>
        public int[] Seen { get; } = new int[targets];

        public List<int> Candidates { get; } = new(256);

        public List<int> Named { get; } = new(256);

        public int NextStamp() => ++_stamp;
    }

    /// <summary>
    /// An incremental run's narrowing: for a probe with <see cref="OnlyTargets"/> set only those targets (its previous
    /// hits) and the <see cref="DirtyTargets"/> are scored; every other candidate was a non-hit before and, with
    /// nothing changed but a prior that fell, still is.
    /// </summary>
    private sealed record IncrementalScope(bool[] DirtyTargets, HashSet<int>?[] OnlyTargets);
}
