using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Exchange.Federation;
using Jisr.Server.Federation;
using Jisr.Storage;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Federation.Tests;

/// <summary>
/// Rotating a node's key (<c>jisr node rotate-key</c>, node stopped): the partner gets the new key signed under the
/// old one, takes messages under the new key from then on, refuses the old one, and what it had waiting for the
/// rotated node is signed again for the new key and delivered.
/// </summary>
public sealed class KeyRotationTests : IAsyncLifetime
{
    private AgencyNode _morocco = null!;
    private AgencyNode _spain = null!;
    private HttpClient _moroccoAdmin = null!;

    public async Task InitializeAsync()
    {
        _morocco = await AgencyNode.StartAsync("MA-DGST", "MA");
        _spain = await AgencyNode.StartAsync("ES-CNP", "ES");
        await _morocco.PeerWithAsync(_spain);
        await _spain.PeerWithAsync(_morocco);
        _moroccoAdmin = _morocco.Administrator.Client;
    }

    public async Task DisposeAsync()
    {
        await _morocco.Node.DisposeAsync();
        await _spain.Node.DisposeAsync();
    }

    [Fact]
    public async Task ARotatedKey_ReachesThePartner_WhichThenTakesOnlyTheNewKey()
    {
        var first = await ProposeAsync();
        await Eventually.HoldsAsync(async () => await _spain.AgreementAsync(first) is not null, "the proposal reaches ES-CNP");
        Assert.Equal(HttpStatusCode.OK, (await _spain.Administrator.Client.PostAsync($"/api/v1/agreements/{first}/accept", null)).StatusCode);
        await Eventually.HoldsAsync(async () => (await _morocco.AgreementAsync(first))!["status"]!.GetValue<string>() == "in-force", "the acceptance reaches MA-DGST");
        var oldFingerprint = _morocco.Node.Fingerprint!;

        // MA-DGST stops and rotates its key; meanwhile ES-CNP suspends the agreement (a message waiting for the old key).
        await _morocco.Node.StopAsync();
        var options = _morocco.Node.Options!;
        NodeKeyRotation.Rotated rotated;
        await using (var services = new ServiceCollection().AddLogging().AddJisrStorage(options.Database, options.Audit, options.NodeKey).BuildServiceProvider())
        await using (var scope = services.CreateAsyncScope())
        {
            rotated = await NodeKeyRotation.RotateAsync(
                scope.ServiceProvider.GetRequiredService<FederationStore>(), services.GetRequiredService<NodeIdentity>().Require(), options.NodeKey.Passphrase!, TimeProvider.System,
                new AuditEvent("", ActorName: "test"), CancellationToken.None);
        }

        Assert.Equal(oldFingerprint, rotated.OldFingerprint);
        Assert.Equal(1, rotated.Peers);
        Assert.Equal(HttpStatusCode.OK, (await _spain.Administrator.Client.PostAsJsonAsync($"/api/v1/agreements/{first}/suspend", new { reason = "review" })).StatusCode);

        await _morocco.Node.StartAgainAsync();
        Assert.Equal(rotated.NewFingerprint, _morocco.Node.Fingerprint);

        // The node now serves TLS with the new key: clients pinned to the old one cannot connect.
        await Assert.ThrowsAsync<HttpRequestException>(() => _morocco.Administrator.Client.GetAsync("/api/v1/agreements"));
        _moroccoAdmin = _morocco.Node.CreateClient(_morocco.Administrator.Token);

        // ES-CNP pins the new key, and its waiting suspension is signed again for it and delivered.
        await Eventually.HoldsAsync(
            async () =>
            {
                await using var db = _spain.Node.Database.Open();
                return await db.Set<FederationPeer>().AnyAsync(p => p.Fingerprint == rotated.NewFingerprint);
            },
            "ES-CNP pins MA-DGST's new key",
            seconds: 60);
        await Eventually.HoldsAsync(async () => (await MoroccoStatusAsync(first)) == "suspended", "the waiting suspension reaches MA-DGST under its new key", seconds: 60);

        // New messages from MA-DGST, signed with the new key, are taken.
        var second = await ProposeAsync();
        await Eventually.HoldsAsync(async () => await _spain.AgreementAsync(second) is not null, "a proposal under the new key reaches ES-CNP");

        // A message signed with the old key, even a well-formed next one, is refused now.
        using var retired = NodeKey.LoadOrCreate($"{options.NodeKey.KeyPath}.retired-{oldFingerprint[..16]}", options.NodeKey.Passphrase!);
        Assert.Equal(oldFingerprint, retired.Fingerprint);
        long next;
        await using (var moroccoDb = _morocco.Node.Database.Open())
        {
            next = await moroccoDb.Set<OutboxMessage>().MaxAsync(m => m.Sequence) + 1;
        }

        var forged = FederationEnvelope.Create(retired.Key, Guid.NewGuid(), FederationMessageTypes.AgreementChange, _spain.Node.Fingerprint!, next, DateTimeOffset.UtcNow, EnvelopeCheck.Lifetime,
            FederationJson.Write(new AgreementChangeMessage(second, "end", _morocco.Agency.Id.Value, _morocco.Administrator.Id, "forged", DateTimeOffset.UtcNow)));
        using var toSpain = _spain.Node.CreateClient();
        using var content = new StringContent(FederationJson.Write(forged), System.Text.Encoding.UTF8, "application/json");
        var refused = await toSpain.PostAsync("/federation/v1/messages", content);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("proposed", (await _spain.AgreementAsync(second))!["status"]!.GetValue<string>());

        // Both nodes audited the rotation; both chains verify.
        await using var spainDb = _spain.Node.Database.Open();
        Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.PeerKeyRotate && e.TargetId == rotated.NewFingerprint));
        Assert.True((await AuditVerifier.VerifyAsync(spainDb)).IsIntact);
        await using var db2 = _morocco.Node.Database.Open();
        Assert.True(await db2.AuditLog.AnyAsync(e => e.Action == AuditActions.NodeKeyRotate && e.TargetId == rotated.NewFingerprint));
        Assert.True((await AuditVerifier.VerifyAsync(db2)).IsIntact);
    }

    private async Task<string> MoroccoStatusAsync(Guid id) =>
        (await _moroccoAdmin.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}"))!["status"]!.GetValue<string>();

    private async Task<Guid> ProposeAsync()
    {
        var proposed = await _moroccoAdmin.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = "ES-CNP",
            threatDomains = new[] { "terrorism" },
            highestClassification = "CONFIDENTIAL",
            handlingCodes = new[] { "H1" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1),
        });
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        return (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }
}
