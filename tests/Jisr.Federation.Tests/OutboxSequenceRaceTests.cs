using System.Security.Cryptography;
using Jisr.Exchange.Federation;
using Jisr.Storage;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Federation.Tests;

/// <summary>
/// Two transactions staging a message to the same peer from the same loaded counter (the hit-filter refresh in the
/// background and a user's release, say): both must commit, numbered one after the other, each envelope signed for
/// the sequence it is stored under, each audit entry naming the message and sequence that committed.
/// </summary>
public sealed class OutboxSequenceRaceTests : IDisposable
{
    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("jisr-outbox-race-");
    private readonly ECDsa _peerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly NodeIdentity _identity;

    public OutboxSequenceRaceTests() =>
        _identity = new NodeIdentity(NodeKey.LoadOrCreate(Path.Combine(_keys.FullName, "node" + NodeKey.FileSuffix), "outbox race test passphrase"));

    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    public void Dispose()
    {
        _identity.Dispose();
        _peerKey.Dispose();
        _keys.Delete(recursive: true);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TwoStagersLoadedBeforeEitherSaves_BothCommitWithTheNextTwoSequences(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var audit = new AuditLog(JisrDatabase.PooledFactory(database.Location), TimeProvider.System);
        var peerId = await AddPeerAsync(database, audit);
        await StageAndSaveAsync(database, audit, peerId, "first"); // the counter is at 1, not 0

        // Both load the peer (counter 1) and stage sequence 2 before either saves.
        await using var a = database.Open();
        await using var b = database.Open();
        var storeA = new FederationStore(a, audit, _identity, TimeProvider.System);
        var storeB = new FederationStore(b, audit, _identity, TimeProvider.System);
        var peerA = (await storeA.FindPeerAsync(peerId, CancellationToken.None))!;
        var peerB = (await storeB.FindPeerAsync(peerId, CancellationToken.None))!;
        var sentA = storeA.Stage(peerA, "test.a", new AuditEvent("", ActorName: "a"), Seal(peerA, "payload a"));
        var sentB = storeB.Stage(peerB, "test.b", new AuditEvent("", ActorName: "b"), Seal(peerB, "payload b"));
        Assert.Contains("sequence=2 ", sentB.Detail, StringComparison.Ordinal);

        // One save of each kind: a single unit, and units saved together.
        await audit.SaveWithAuditAsync(a, sentA);
        var units = new Queue<IReadOnlyList<AuditEvent>>([[sentB]]);
        await audit.SaveEachWithAuditAsync(b, _ => Task.FromResult(units.TryDequeue(out var unit) ? unit : null));

        var rows = await AssertOutboxIsConsistentAsync(database, peerId, expectedCount: 3);
        Assert.Equal(["first", "payload a", "payload b"], rows.Select(r => FederationJson.Read<FederationEnvelope>(r.Envelope).Payload));
        Assert.Equal(3, peerB.LastSequenceOut);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ManyStagersAtOnce_AllCommitWithConsecutiveSequences(string provider)
    {
        const int stagers = 6;
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var audit = new AuditLog(JisrDatabase.PooledFactory(database.Location), TimeProvider.System);
        var peerId = await AddPeerAsync(database, audit);

        // Every stager loads the peer before any of them stages and saves.
        var loaded = new CountdownEvent(stagers);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, stagers).Select(i => Task.Run(async () =>
        {
            await using var db = database.Open();
            var store = new FederationStore(db, audit, _identity, TimeProvider.System);
            var peer = (await store.FindPeerAsync(peerId, CancellationToken.None))!;
            loaded.Signal();
            await go.Task;
            await audit.SaveWithAuditAsync(db, store.Stage(peer, "test.many", new AuditEvent("", ActorName: $"stager {i}"), Seal(peer, $"payload {i}")));
        })).ToList();
        Assert.True(loaded.Wait(TimeSpan.FromMinutes(1)));
        go.SetResult();
        await Task.WhenAll(tasks);

        var rows = await AssertOutboxIsConsistentAsync(database, peerId, expectedCount: stagers);
        Assert.Equal(stagers, rows.Select(r => FederationJson.Read<FederationEnvelope>(r.Envelope).Payload).Distinct().Count());
    }

    /// <summary>Sequences 1..n, each envelope signed by this node for its row's sequence and id, each audit entry matching its row; the chain intact.</summary>
    private async Task<List<OutboxMessage>> AssertOutboxIsConsistentAsync(TestDatabase database, Guid peerId, int expectedCount)
    {
        await using var check = database.Open();
        var rows = await check.Set<OutboxMessage>().AsNoTracking().Where(m => m.PeerId == peerId).OrderBy(m => m.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, expectedCount).Select(i => (long)i), rows.Select(r => r.Sequence));
        var peer = await check.Set<FederationPeer>().AsNoTracking().SingleAsync(p => p.Id == peerId);
        Assert.Equal(expectedCount, peer.LastSequenceOut);
        var sends = await check.AuditLog.AsNoTracking().Where(e => e.Action == AuditActions.FederationSend).ToListAsync();
        Assert.Equal(expectedCount, sends.Count);
        foreach (var row in rows)
        {
            var envelope = FederationJson.Read<FederationEnvelope>(row.Envelope);
            Assert.Equal(row.Sequence, envelope.Sequence);
            Assert.Equal(row.Id, envelope.Id);
            Assert.Equal(row.PayloadDigest, envelope.PayloadDigest);
            Assert.True(envelope.IsSignedBy(_identity.Require().Key));
            var send = Assert.Single(sends, e => e.TargetId == row.Id.ToString("D"));
            Assert.Contains($"sequence={row.Sequence} sha256={row.PayloadDigest}", send.Detail, StringComparison.Ordinal);
        }

        var chain = await AuditVerifier.VerifyAsync(check);
        Assert.True(chain.IsIntact, chain.Reason);
        return rows;
    }

    private async Task<Guid> AddPeerAsync(TestDatabase database, AuditLog audit)
    {
        await using var db = database.Open();
        var peer = new FederationPeer
        {
            Id = Guid.CreateVersion7(),
            Url = "https://peer.example/",
            Fingerprint = NodeFingerprint.Of(_peerKey),
            PublicKey = _peerKey.ExportSubjectPublicKeyInfo(),
            AddedAt = DateTimeOffset.UtcNow,
        };
        db.Add(peer);
        await audit.SaveWithAuditAsync(db, new AuditEvent(AuditActions.PeerAdd, ActorName: "test"));
        return peer.Id;
    }

    private async Task StageAndSaveAsync(TestDatabase database, AuditLog audit, Guid peerId, string payload)
    {
        await using var db = database.Open();
        var store = new FederationStore(db, audit, _identity, TimeProvider.System);
        var peer = (await store.FindPeerAsync(peerId, CancellationToken.None))!;
        await audit.SaveWithAuditAsync(db, store.Stage(peer, "test.one", new AuditEvent("", ActorName: "test"), Seal(peer, payload)));
    }

    /// <summary>Seals as the node's outbox does: a fresh envelope for the sequence, signed with the node's key.</summary>
    private Func<long, DateTimeOffset, SealedMessage> Seal(FederationPeer peer, string payload) => (sequence, now) =>
    {
        var envelope = FederationEnvelope.Create(_identity.Require().Key, Guid.CreateVersion7(now), "test.message", peer.Fingerprint, sequence, now, EnvelopeCheck.Lifetime, payload);
        return new SealedMessage(envelope.Id, FederationJson.Write(envelope), envelope.PayloadDigest);
    };
}
