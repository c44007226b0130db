using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Exchange.Stix.Import;

namespace Jisr.Exchange.Tests;

/// <summary>Bad bundles are refused with a clear reason per object (or for the bundle), and nothing of them counts as imported.</summary>
public sealed class StixBadInputTests
{
    private static JsonObject Identity(string id, string name = "ACME") => StixTestData.Identity(id, name);

    private const string IdA = "identity--6b0b7a2e-5d8a-4b8c-9c1e-3f2a1d0e9b11";
    private const string IdB = "identity--7c1c8b3f-6e9b-4c9d-8d2f-4a3b2e1f0c22";

    private static string ValidBundle() => StixTestData.AsBundle(Identity(IdA), Identity(IdB, "Other"));

    [Fact]
    public async Task TruncatedJson_IsRefused_AsTheBundle()
    {
        var text = ValidBundle();
        var (result, _) = await MemorySink.ImportAsync(text[..(text.Length / 2)]);

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal("bundle", refusal.Rule);
        Assert.Contains("truncated", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotJson_AndNotABundle_AreRefused()
    {
        Assert.Contains("not valid JSON", Assert.Single((await MemorySink.ImportAsync("{\"type\": \"bundle\", \"objects\": [ {\"a\": }]}")).Result.Refusals).Message, StringComparison.Ordinal);
        Assert.Contains("not \"bundle\"", Assert.Single((await MemorySink.ImportAsync(Identity(IdA).ToJsonString())).Result.Refusals).Message, StringComparison.Ordinal);
        Assert.Contains("no objects", Assert.Single((await MemorySink.ImportAsync("{\"type\": \"bundle\", \"id\": \"bundle--6ba7b810-9dad-41d1-80b4-00c04fd430c8\", \"objects\": []}")).Result.Refusals).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateIdWithDifferentContent_IsRefused_ButTheSameObjectTwiceIsKeptOnce()
    {
        var (result, _) = await MemorySink.ImportAsync(StixTestData.AsBundle(Identity(IdA), Identity(IdA, "Changed")));
        var refusal = Assert.Single(result.Refusals);
        Assert.Equal((IdA, "duplicate-id"), (refusal.ObjectId, refusal.Rule));

        var (same, sink) = await MemorySink.ImportAsync(StixTestData.AsBundle(Identity(IdA), Identity(IdA)));
        Assert.True(same.Succeeded);
        Assert.Single(sink.Objects, o => o.StixId == IdA);
    }

    [Fact]
    public async Task ReferenceToAnIdThatDoesNotExist_IsRefused_NamingReferrerAndTarget()
    {
        var relationship = new JsonObject
        {
            ["type"] = "relationship",
            ["spec_version"] = "2.1",
            ["id"] = "relationship--1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
            ["created"] = "2024-01-01T00:00:00.000Z",
            ["modified"] = "2024-01-01T00:00:00.000Z",
            ["relationship_type"] = "associate-of",
            ["source_ref"] = IdA,
            ["target_ref"] = IdB,
        };
        var (result, _) = await MemorySink.ImportAsync(StixTestData.AsBundle(relationship, Identity(IdA)));

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal(("relationship--1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "reference"), (refusal.ObjectId, refusal.Rule));
        Assert.Contains(IdB, refusal.Message, StringComparison.Ordinal);

        // What the agency already holds (an earlier bundle) may be referred to.
        var held = new MemorySink();
        held.AlreadyHeld.Add(IdB);
        Assert.True((await MemorySink.ImportAsync(StixTestData.AsBundle(relationship, Identity(IdA)), sink: held)).Result.Succeeded);
    }

    [Fact]
    public async Task WrongSpecVersion_IsRefused_OnTheObjectAndOnTheBundle()
    {
        var old = Identity(IdA);
        old["spec_version"] = "2.0";
        var (result, _) = await MemorySink.ImportAsync(StixTestData.AsBundle(old));
        Assert.Contains(result.Refusals, r => r.ObjectId == IdA && r.Rule == "spec-version");

        var bundle = JsonNode.Parse(ValidBundle())!.AsObject();
        bundle["spec_version"] = "2.0";
        Assert.Contains("spec_version '2.0'", Assert.Single((await MemorySink.ImportAsync(bundle.ToJsonString())).Result.Refusals).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BundleOverTheSizeLimit_IsRefusedBeforeReading_WithTheLimitAndHowToRaiseIt()
    {
        var (result, sink) = await MemorySink.ImportAsync(ValidBundle(), new StixImportOptions { MaxBundleBytes = 100 });

        var refusal = Assert.Single(result.Refusals);
        Assert.Contains("over the limit of 100", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("--max-bytes", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Objects);
    }

    [Fact]
    public async Task UnknownTypesAndCustomProperties_AreKeptExactly()
    {
        var custom = new JsonObject
        {
            ["type"] = "x-acme-case-file",
            ["spec_version"] = "2.1",
            ["id"] = "x-acme-case-file--2f3e4d5c-6b7a-4891-a0b1-c2d3e4f5a6b7",
            ["created"] = "2024-01-01T00:00:00.000Z",
            ["modified"] = "2024-01-01T00:00:00.000Z",
            ["x_acme_priority"] = 3,
            ["x_acme_notes"] = new JsonArray("كتابة", "écriture"),
        };
        var identity = Identity(IdA);
        identity["x_acme_source"] = "field team 7";
        var (result, sink) = await MemorySink.ImportAsync(StixTestData.AsBundle(custom, identity));

        Assert.True(result.Succeeded, string.Join("\n", result.Refusals));
        Assert.True(JsonNode.DeepEquals(custom, JsonNode.Parse(sink.Objects.Single(o => o.Type == "x-acme-case-file").Json)));
        Assert.True(JsonNode.DeepEquals(identity, JsonNode.Parse(sink.Objects.Single(o => o.StixId == IdA).Json)));
    }

    [Fact]
    public async Task ReportClassifiedAboveTheWritersClearance_IsRefusedByThePolicy()
    {
        var report = new JsonObject
        {
            ["type"] = "report",
            ["spec_version"] = "2.1",
            ["id"] = "report--3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d",
            ["created"] = "2024-01-01T00:00:00.000Z",
            ["modified"] = "2024-01-01T00:00:00.000Z",
            ["name"] = "Secret",
            ["published"] = "2024-01-01T00:00:00.000Z",
            ["object_refs"] = new JsonArray(IdA),
            ["extensions"] = Stix.Mapping.JisrExtension.Wrap(new JsonObject
            {
                ["record"] = new JsonObject
                {
                    ["kind"] = "intelligence-report",
                    ["language"] = "en",
                    ["classification"] = "SECRET",
                    ["tlp"] = "RED",
                    ["handling"] = "H2",
                    ["legal_basis"] = "law",
                    ["purpose"] = "purpose",
                    ["retention_until"] = "2031-01-01T00:00:00.000Z",
                    ["review_date"] = "2027-01-01",
                    ["source_grading"] = "A1",
                    ["threat_domains"] = new JsonArray("terrorism"),
                },
            }),
        };
        var writer = MemorySink.Writer(AgencyId.From(Guid.NewGuid()), Classification.Restricted);
        var (result, _) = await MemorySink.ImportAsync(StixTestData.AsBundle(report, Identity(IdA)), principal: writer);

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal(("report--3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d", "policy"), (refusal.ObjectId, refusal.Rule));
    }
}
