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

    /// <summary>
    /// A record the agency holds, with its mentions, links and recipients, for a newer version of the STIX object it
    /// came as to revise (null when it is gone). A sink that keeps nothing between imports holds none.
    /// </summary>
    Task<Record?> HeldRecordAsync(RecordId recordId, CancellationToken cancellationToken) => Task.FromResult<Record?>(null);

    /// <summary>Saves a record from <see cref="HeldRecordAsync"/> that the import changed, with its audit entry (<paramref name="detail"/>).</summary>
    ValueTask UpdateRecordAsync(Record record, string detail, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this sink holds no records to revise");

    /// <summary>
    /// Gives an entity of the agency (held, or written earlier in this import) the content of <paramref name="newer"/>,
    /// a new entity of the same type made from a newer version of its STIX object; the entity keeps its id, agency and
    /// creation time. False when it cannot: the entity is gone or of another type (it then stays as it was).
    /// </summary>
    Task<bool> ReviseEntityAsync(EntityId entityId, Entity newer, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>
    /// The exact text of each version of a STIX object the agency held before this import (what a newer version
    /// replaces: the object_refs it withdraws, the link a relationship made). A sink that keeps nothing holds none.
    /// </summary>
    Task<IReadOnlyList<HeldStixText>> HeldTextsAsync(string stixId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HeldStixText>>([]);

    /// <summary>The agency's records that assert a link of this type between these two entities (a relationship's newer version revises it).</summary>
    Task<IReadOnlyList<RecordId>> RecordsWithLinkAsync(EntityId from, EntityId to, LinkType type, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RecordId>>([]);
}

/// <summary>A held version's <c>modified</c> (null when it has none) and exact JSON text.</summary>
public sealed record HeldStixText(string? Modified, string Json);

/// <summary>A version of a STIX object the agency already holds: its <c>modified</c> (null for an object without one) and what it became.</summary>
public sealed record HeldStixVersion(string StixId, string? Modified, Jisr.Domain.Common.RecordId? RecordId, Jisr.Domain.Common.EntityId? EntityId);
