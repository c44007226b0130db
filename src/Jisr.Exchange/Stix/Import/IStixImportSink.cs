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

    /// <summary>
    /// The versions of these STIX ids the agency already holds, with the record or entity each became (for a re-import
    /// or a re-pull: see <see cref="StixImporter"/>). A sink that keeps nothing between imports holds none.
    /// </summary>
    Task<IReadOnlyList<HeldStixVersion>> HeldVersionsAsync(IReadOnlyCollection<string> stixIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HeldStixVersion>>([]);
}

/// <summary>A version of a STIX object the agency already holds: its <c>modified</c> (null for an object without one) and what it became.</summary>
public sealed record HeldStixVersion(string StixId, string? Modified, Jisr.Domain.Common.RecordId? RecordId, Jisr.Domain.Common.EntityId? EntityId);
