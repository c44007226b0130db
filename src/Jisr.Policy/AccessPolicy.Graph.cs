using Jisr.Domain.Records;

namespace Jisr.Policy;

/// <summary>
/// The link graph read a few rings at a time (a neighbourhood, a path): the rows reached are checked against the
/// records they come from, and those records against <see cref="RecordReadRule"/> in one query per ring
/// (<see cref="ReadableRecords"/>), instead of the record rule and the entity rule once per link and entity row.
/// </summary>
public static partial class AccessPolicy
{
    /// <summary>
    /// A link is readable when the record asserting it is (<paramref name="readableRecords"/>: ids the record rule
    /// admitted for this caller). Its two ends are then readable entities (<see cref="EntityReadRule"/>): a record
    /// mentions every entity its links join (<c>Record.SetAssertions</c> refuses any other link), so the link's own
    /// record is a readable record that mentions them. A reader that keeps the ends of readable links keeps readable
    /// entities only, with no second query per entity.
    /// </summary>
    public static bool CanReadLink(RecordId assertedBy, IReadOnlySet<RecordId> readableRecords)
    {
        ArgumentNullException.ThrowIfNull(readableRecords);
        return readableRecords.Contains(assertedBy);
    }

    /// <summary>
    /// The same rule where records are known by position (a reader holding many records in an array, searching many
    /// links per query): <paramref name="readableRecords"/> marks the positions of the records the record rule admitted.
    /// </summary>
    public static bool CanReadLink(int assertedBy, ReadOnlySpan<bool> readableRecords) => readableRecords[assertedBy];
}
