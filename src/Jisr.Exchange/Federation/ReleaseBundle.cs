using Jisr.Exchange.Stix.Import;
using Jisr.Policy;

namespace Jisr.Exchange.Federation;

/// <summary>
/// Reads a released record's STIX bundle on the recipient's node with the same importer, validation and policy check
/// as any STIX import (as the recipient agency, cleared no higher than the agreement allows), into memory: the one
/// record it holds and the entities it mentions, which the caller turns into the release copy.
/// </summary>
public static class ReleaseBundle
{
    public static async Task<(Record Record, IReadOnlyList<Entity> Entities)> ReadAsync(ReleaseDelivery delivery, Principal recipient, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var sink = new Capture();
        var importer = new StixImporter(recipient, sink, new StixImportOptions { SourceKind = "federation" }, now);
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(delivery.Bundle.ToJsonString()));
        var result = await importer.ImportAsync(stream, cancellationToken);
        if (!result.Succeeded)
        {
            throw new FormatException("the released bundle is refused: " + string.Join("; ", result.Refusals.Take(5).Select(r => r.ToString())));
        }

        if (sink.Records.Count != 1)
        {
            throw new FormatException($"a released bundle holds one record, not {sink.Records.Count}");
        }

        return (sink.Records[0], sink.Entities);
    }

    /// <summary>Keeps what the importer makes; the bundle is self-contained, so it refers to nothing held before.</summary>
    private sealed class Capture : IStixImportSink
    {
        public List<Entity> Entities { get; } = [];

        public List<Record> Records { get; } = [];

        public ValueTask AddEntityAsync(Entity entity, CancellationToken cancellationToken)
        {
            Entities.Add(entity);
            return ValueTask.CompletedTask;
        }

        public ValueTask AddObjectAsync(ReceivedStixObject received, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask AddRecordAsync(Record record, IReadOnlyList<string> entityTexts, CancellationToken cancellationToken)
        {
            Records.Add(record);
            return ValueTask.CompletedTask;
        }

        public Task<IReadOnlySet<string>> KnownIdsAsync(IReadOnlyCollection<string> stixIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlySet<string>>(new HashSet<string>());
    }
}
