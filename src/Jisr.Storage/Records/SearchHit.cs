using Jisr.Domain.Common;

namespace Jisr.Storage.Records;

/// <summary>One row of a raw full-text match: the id of a matching record (policy is applied afterwards, in the same query).</summary>
public sealed class SearchHit
{
    public RecordId RecordId { get; set; }
}
