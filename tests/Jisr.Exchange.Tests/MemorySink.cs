using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Exchange;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Users;
using Jisr.Exchange.Stix.Import;
using Jisr.Policy;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Exchange.Tests;

/// <summary>An import sink that keeps everything in memory, as an uncommitted transaction would, for mapping tests without a database.</summary>
internal sealed class MemorySink : IStixImportSink
{
    public List<Entity> Entities { get; } = [];

    public List<ReceivedStixObject> Objects { get; } = [];

    public List<Record> Records { get; } = [];

    public HashSet<string> AlreadyHeld { get; } = new(StringComparer.Ordinal);

    /// <summary>Versions held from earlier imports (with what each became), answered by <see cref="HeldVersionsAsync"/>.</summary>
    public List<HeldStixVersion> HeldVersions { get; } = [];

    /// <summary>Every id the importer asked the sink about (held versions or known ids), once per time it asked.</summary>
    public List<string> Asked { get; } = [];

    public ValueTask AddEntityAsync(Entity entity, CancellationToken cancellationToken)
    {
        Entities.Add(entity);
        return ValueTask.CompletedTask;
    }

    public ValueTask AddObjectAsync(ReceivedStixObject received, CancellationToken cancellationToken)
    {
        Objects.Add(received);
        return ValueTask.CompletedTask;
    }

    public ValueTask AddRecordAsync(Record record, IReadOnlyList<string> entityTexts, CancellationToken cancellationToken)
    {
        Records.Add(record);
        return ValueTask.CompletedTask;
    }

    public Task<IReadOnlySet<string>> KnownIdsAsync(IReadOnlyCollection<string> stixIds, CancellationToken cancellationToken)
    {
        Asked.AddRange(stixIds);
        return Task.FromResult<IReadOnlySet<string>>(stixIds.Where(id => AlreadyHeld.Contains(id) || HeldVersions.Any(h => h.StixId == id)).ToHashSet(StringComparer.Ordinal));
    }

    public Task<IReadOnlyList<HeldStixVersion>> HeldVersionsAsync(IReadOnlyCollection<string> stixIds, CancellationToken cancellationToken)
    {
        Asked.AddRange(stixIds);
        return Task.FromResult<IReadOnlyList<HeldStixVersion>>([.. HeldVersions.Where(h => stixIds.Contains(h.StixId))]);
    }

    public static Principal Writer(AgencyId agency, Classification clearance = Classification.Secret) =>
        new(UserId.From(Guid.NewGuid()), "writer", agency, "XX-TEST", new HashSet<Role> { Role.Analyst }, clearance);

    /// <summary>Imports a bundle (JSON text) for a new agency; the sink holds what would have been written.</summary>
    public static async Task<(StixImportResult Result, MemorySink Sink)> ImportAsync(string bundle, StixImportOptions? options = null, Principal? principal = null, MemorySink? sink = null)
    {
        sink ??= new MemorySink();
        var importer = new StixImporter(principal ?? Writer(AgencyId.From(Guid.NewGuid())), sink, options ?? new StixImportOptions(), new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(bundle));
        return (await importer.ImportAsync(stream, CancellationToken.None), sink);
    }
}
