namespace Jisr.Storage.Records;

/// <summary>
/// One row of a raw full-text match on SQLite: the FTS row id of a matching record, which is the record's insertion
/// sequence (the triggers that keep the index write it so). Policy is applied afterwards, in the same query.
/// </summary>
public sealed class SearchHit
{
    public long Sequence { get; set; }
}
