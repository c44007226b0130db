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
        public readonly bool HasNeighbours;

        /// <summary>How many valid documents, phones and IBANs the record holds (each pair of them adds at most +3); 255: that many or more, no bound.</summary>
        public readonly byte Compared;

        /// <summary>One bit per nationality (case-insensitive hash): no common bit, no common nationality.</summary>
        public readonly ulong Nationalities;

        /// <summary>One bit per identifier key: no common bit, no shared identifier.</summary>
        public readonly ulong Keys;

        /// <summary>One bit per (kind, country) of the valid documents, phones and IBANs compared for typos.</summary>
        public readonly ulong Documents;

        public Facts(PersonRecord record, string[] keys, bool hasNeighbours)
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
            HasNeighbours = hasNeighbours;
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
        // Without a shared key, identifiers add at most +3 per pair of one kind and country (one character apart).
        var identifiers = (a.Keys & b.Keys) != 0 ? IdentifierEvidence(ra, rb, null)
            : (a.Documents & b.Documents) != 0 ? (a.Compared == byte.MaxValue || b.Compared == byte.MaxValue ? double.PositiveInfinity : 3.0 * a.Compared * b.Compared)
            : 0;
        var neighbours = a.HasNeighbours && b.HasNeighbours ? 3.0 : 0;
        return prior + 0.0 + 0 + date + nationality + gender + identifiers + neighbours;
    }

    /// <summary>
    /// False when <see cref="IdentifierEvidence"/> of the two records is exactly 0: no key in common (no common bit) and
    /// no two documents, phones or IBANs of one kind and country to compare for a typo. It read every identifier object
    /// of every candidate (7 % of a million-person cross-reference's CPU) to find nothing for most of them.
    /// </summary>
    private static bool IdentifiersMayMeet(in Facts a, in Facts b) => (a.Keys & b.Keys) != 0 || (a.Documents & b.Documents) != 0;

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
