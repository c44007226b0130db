using Jisr.Domain.Entities;
using Jisr.Domain.Exchange;
using Jisr.Domain.Records;

namespace Jisr.Exchange.Stix.Import;

/// <summary>
/// Where an import writes (a store's open transaction in practice): entities and received objects as they stream in,
/// records at the end. Nothing is durable until the caller commits, which it does only when the import has no refusal.
/// </summary>
public interface IStixImportSink
{
    ValueTask AddEntityAsync(Entity entity, CancellationToken cancellationToken);

    ValueTask AddObjectAsync(ReceivedStixObject received, CancellationToken cancellationToken);

    /// <summary>A record with the entities it mentions, by their search texts (labels and names).</summary>
    ValueTask AddRecordAsync(Record record, IReadOnlyList<string> entityTexts, CancellationToken cancellationToken);

    /// <summary>Which of these STIX ids the agency already holds (a bundle may refer to what an earlier one brought).</summary>
    Task<IReadOnlySet<string>> KnownIdsAsync(IReadOnlyCollection<string> stixIds, CancellationToken cancellationToken);
}
