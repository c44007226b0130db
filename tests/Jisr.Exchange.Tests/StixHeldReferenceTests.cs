using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Exchange.Stix.Import;

namespace Jisr.Exchange.Tests;

/// <summary>
/// A bundle that refers to what the agency holds from earlier imports (a TAXII feed's later page naming the entities of
/// its earlier pages): the references are accepted, the report's record mentions the held entities, and each held id is
/// asked of the store once, not once to accept the reference and again to make the record.
/// </summary>
public sealed class StixHeldReferenceTests
{
    private const string HeldPerson = "identity--0f6a6c1e-2b7d-4e55-9d1a-5c3e8b2a7f01";
    private const string HeldGroup = "identity--1a7b7d2f-3c8e-4f66-8e2b-6d4f9c3b8a02";
    private const string HeldWithoutVersion = "identity--2b8c8e30-4d9f-4a77-9f3c-7e5a0d4c9b03";
    private const string NewPerson = "identity--3c9d9f41-5ea0-4b88-a04d-8f6b1e5d0c04";

    private static JsonObject Identity(string id, string name) => StixTestData.Identity(id, name, "individual");

    private static JsonObject Report(params string[] refs) => new()
    {
        ["type"] = "report",
        ["spec_version"] = "2.1",
        ["id"] = "report--4dae0a52-6fb1-4c99-b15e-9a7c2f6e1d05",
        ["created"] = "2024-01-02T00:00:00.000Z",
        ["modified"] = "2024-01-02T00:00:00.000Z",
        ["name"] = "Page two of a feed",
        ["published"] = "2024-01-02T00:00:00.000Z",
        ["object_refs"] = new JsonArray([.. refs.Select(r => (JsonNode)r)]),
    };

    [Fact]
    public async Task ReportNamingHeldEntities_MentionsThem_AskingTheStoreOnceForEachHeldId()
    {
        var person = EntityId.From(Guid.NewGuid());
        var group = EntityId.From(Guid.NewGuid());
        var sink = new MemorySink();
        sink.HeldVersions.Add(new HeldStixVersion(HeldPerson, "2024-01-01T00:00:00.000Z", null, person));
        sink.HeldVersions.Add(new HeldStixVersion(HeldGroup, "2024-01-01T00:00:00.000Z", null, group));
        sink.AlreadyHeld.Add(HeldWithoutVersion); // known to the store, but no version of it to map (a bundle's own row)

        var (result, _) = await MemorySink.ImportAsync(
            StixTestData.AsBundle(Report(HeldPerson, HeldGroup, HeldWithoutVersion, NewPerson), Identity(NewPerson, "Karim Benali")), sink: sink);

        Assert.True(result.Succeeded, string.Join("\n", result.Refusals));
        var record = Assert.Single(sink.Records);
        var mentioned = record.Mentions.Select(m => m.EntityId).ToHashSet();
        Assert.Contains(person, mentioned);
        Assert.Contains(group, mentioned);
        Assert.Contains(sink.Entities.Single().Id, mentioned);
        Assert.Equal(3, mentioned.Count);
        Assert.Equal(1, sink.Asked.Count(id => id == HeldPerson));
        Assert.Equal(1, sink.Asked.Count(id => id == HeldGroup));
    }

    [Fact]
    public async Task ReferenceNeitherInTheBundleNorHeld_IsStillRefused()
    {
        var sink = new MemorySink();
        sink.HeldVersions.Add(new HeldStixVersion(HeldPerson, null, null, EntityId.From(Guid.NewGuid())));

        var (result, _) = await MemorySink.ImportAsync(StixTestData.AsBundle(Report(HeldPerson, HeldGroup), Identity(NewPerson, "Karim Benali")), sink: sink);

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal("reference", refusal.Rule);
        Assert.Contains(HeldGroup, refusal.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Records);
    }
}
