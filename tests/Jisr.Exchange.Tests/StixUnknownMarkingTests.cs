using System.Text.Json.Nodes;
using Jisr.Domain.Markings;

namespace Jisr.Exchange.Tests;

/// <summary>
/// Markings Jisr has no meaning for (a statement, a partner's own marking type carried by an extension) are kept as
/// received and never widen who may read: what they mark gets the default TLP (AMBER), as unmarked objects do. A marking
/// that is neither in the bundle nor held is a refused reference.
/// </summary>
public sealed class StixUnknownMarkingTests
{
    private const string Statement = "marking-definition--2f3c6c2f-9b5a-4b52-8f1e-6d1c2b3a4f51";
    private const string PartnerMarking = "marking-definition--8e1a4c6b-3d2f-4a9e-b7c5-1f0e9d8c7b62";
    private const string Subject = "identity--5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d";
    private const string PartnerExtension = "extension-definition--c4d5e6f7-1a2b-4c3d-8e9f-0a1b2c3d4e5f";

    private static JsonObject Report(params string[] markings) => new()
    {
        ["type"] = "report", ["spec_version"] = "2.1", ["id"] = $"report--{Guid.NewGuid():D}",
        ["created"] = "2024-01-01T00:00:00.000Z", ["modified"] = "2024-01-01T00:00:00.000Z", ["name"] = "marked report",
        ["published"] = "2024-01-01T00:00:00.000Z", ["object_refs"] = new JsonArray(Subject), ["object_marking_refs"] = new JsonArray([.. markings.Select(m => (JsonNode)m)]),
    };

    private static JsonObject Identity() => new()
    {
        ["type"] = "identity", ["spec_version"] = "2.1", ["id"] = Subject, ["created"] = "2024-01-01T00:00:00.000Z",
        ["modified"] = "2024-01-01T00:00:00.000Z", ["name"] = "ACME", ["identity_class"] = "organization",
    };

    private static JsonObject StatementMarking() => new()
    {
        ["type"] = "marking-definition", ["spec_version"] = "2.1", ["id"] = Statement, ["created"] = "2024-01-01T00:00:00.000Z",
        ["definition_type"] = "statement", ["definition"] = new JsonObject { ["statement"] = "Copyright 2024, Partner Agency" },
    };

    private static JsonObject PartnerOwnMarking() => new()
    {
        ["type"] = "marking-definition", ["spec_version"] = "2.1", ["id"] = PartnerMarking, ["created"] = "2024-01-01T00:00:00.000Z",
        ["name"] = "PARTNER EYES ONLY",
        ["extensions"] = new JsonObject { [PartnerExtension] = new JsonObject { ["extension_type"] = "property-extension", ["caveat"] = "eyes only" } },
    };

    [Fact]
    public async Task UnknownMarkings_AreKeptAsReceived_AndWhatTheyMarkGetsTheDefaultTlp_NeverClear()
    {
        var statement = StatementMarking();
        var partner = PartnerOwnMarking();
        var (result, sink) = await MemorySink.ImportAsync(StixTestData.AsBundle(Identity(), statement, partner, Report(Statement, PartnerMarking)));

        Assert.True(result.Succeeded, string.Join("\n", result.Refusals));
        Assert.Equal(Tlp.Amber, Assert.Single(sink.Records).Marking.Tlp);
        Assert.True(JsonNode.DeepEquals(partner, JsonNode.Parse(sink.Objects.Single(o => o.StixId == PartnerMarking).Json)));
        Assert.True(JsonNode.DeepEquals(statement, JsonNode.Parse(sink.Objects.Single(o => o.StixId == Statement).Json)));
    }

    [Fact]
    public async Task AnUnknownMarkingBesideTlpRed_KeepsRed()
    {
        var (result, sink) = await MemorySink.ImportAsync(StixTestData.AsBundle(Identity(), StatementMarking(), PartnerOwnMarking(), Report(PartnerMarking, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1")));

        Assert.True(result.Succeeded, string.Join("\n", result.Refusals));
        Assert.Equal(Tlp.Red, Assert.Single(sink.Records).Marking.Tlp);
    }

    [Fact]
    public async Task AMarkingNeitherInTheBundleNorHeld_IsARefusedReference()
    {
        var (result, _) = await MemorySink.ImportAsync(StixTestData.AsBundle(Identity(), StatementMarking(), Report(Statement, PartnerMarking)));

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal("reference", refusal.Rule);
        Assert.Contains($"object_marking_refs refers to {PartnerMarking}", refusal.Message, StringComparison.Ordinal);
    }
}
