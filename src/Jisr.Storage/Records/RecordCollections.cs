using System.Runtime.CompilerServices;

namespace Jisr.Storage.Records;

/// <summary>
/// Sets a read record's link and mention lists when they are read by statements of their own
/// (<see cref="CompiledReads.RecordByIdInSteps"/>): the same backing fields EF Core fills for an <c>Include</c>
/// (<c>RecordConfiguration</c> maps the navigations to them), so the record is the one an <c>Include</c> would give.
/// </summary>
internal static class RecordCollections
{
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_links")]
    public static extern ref List<Link> Links(Record record);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_mentions")]
    public static extern ref List<RecordMention> Mentions(Record record);
}
