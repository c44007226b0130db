using System.Runtime.CompilerServices;
using Jisr.Fusion.Resolution;
using Jisr.Server.Application.Fusion;

namespace Jisr.Server.Tests;

/// <summary>
/// A cross-reference's state goes to the store and back through a bounded pipe, never whole in memory
/// (<see cref="XrefStateTransfer"/>): what comes back is the state saved, to the byte; a save or a read that fails
/// part-way fails the call instead of hanging or passing off a part as the whole; bytes that are no state read as none,
/// and are not read to their end.
/// </summary>
public sealed class XrefStateTransferTests
{
    private const int PartBytes = 1 << 20;

    [Fact]
    public async Task A_state_saved_in_parts_reads_back_the_same_to_the_byte()
    {
        var state = RandomState(new Random(3), marks: 150_000, hits: 20_000);
        List<byte[]> parts = [];

        await XrefStateTransfer.SaveAsync(state, stream => KeepInPartsAsync(stream, parts));
        var read = await XrefStateTransfer.ReadAsync(Parts(parts), [], CancellationToken.None);

        Assert.True(parts.Count > 4, $"{parts.Count} parts: the state must be larger than the pipe holds");
        Assert.Equal(state.ToBytes(), parts.SelectMany(p => p).ToArray());
        Assert.NotNull(read);
        Assert.Equal(state.ToBytes(), read.ToBytes());
        Assert.Equal(state.Targets.Count, read.Targets.Count);
    }

    [Fact]
    public async Task A_save_that_fails_part_way_fails_the_call_and_lets_the_writer_end()
    {
        var state = RandomState(new Random(4), marks: 150_000, hits: 0);

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => XrefStateTransfer.SaveAsync(state, async stream =>
        {
            await stream.ReadAtLeastAsync(new byte[2 * PartBytes], 2 * PartBytes);
            throw new InvalidOperationException("the database went away");
        })).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("the database went away", failed.Message);
    }

    /// <summary>The core's writer failing half-way (here a hit with no detail) reaches the store as a failed read: never a state's end.</summary>
    [Fact]
    public async Task A_state_the_writer_fails_on_is_never_read_to_an_end()
    {
        var whole = RandomState(new Random(5), marks: 150_000, hits: 10);
        var broken = new XrefState(whole.Settings, whole.Probes, whole.Targets, [.. whole.Hits, new MatchProposal("a", "b", 0.9, [new Evidence("name", null!, 1)])]);
        var ended = false;

        await Assert.ThrowsAsync<ArgumentNullException>(() => XrefStateTransfer.SaveAsync(broken, async stream =>
        {
            var buffer = new byte[PartBytes];
            while (await stream.ReadAtLeastAsync(buffer, PartBytes, throwOnEndOfStream: false) == PartBytes)
            {
            }

            ended = true;
        })).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.False(ended);
    }

    [Fact]
    public async Task Bytes_that_are_no_state_read_as_none_without_reading_them_all()
    {
        var random = new Random(6);
        var given = 0;
        async IAsyncEnumerable<byte[]> Noise()
        {
            for (var i = 0; i < 50; i++)
            {
                await Task.Yield();
                given++;
                var part = new byte[PartBytes];
                random.NextBytes(part);
                yield return part;
            }
        }

        Assert.Null(await XrefStateTransfer.ReadAsync(Noise(), [], CancellationToken.None));
        Assert.InRange(given, 1, 10);
        Assert.Null(await XrefStateTransfer.ReadAsync(Parts([]), [], CancellationToken.None));
    }

    [Fact]
    public async Task A_read_whose_parts_fail_part_way_fails_the_call()
    {
        var state = RandomState(new Random(7), marks: 150_000, hits: 0);
        List<byte[]> parts = [];
        await XrefStateTransfer.SaveAsync(state, stream => KeepInPartsAsync(stream, parts));

        async IAsyncEnumerable<byte[]> Failing()
        {
            yield return parts[0];
            await Task.Yield();
            throw new InvalidOperationException("the connection dropped");
        }

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => XrefStateTransfer.ReadAsync(Failing(), [], CancellationToken.None)).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("the connection dropped", failed.Message);
    }

    private static async Task KeepInPartsAsync(Stream stream, List<byte[]> parts)
    {
        while (true)
        {
            var part = new byte[PartBytes];
            var read = await stream.ReadAtLeastAsync(part, PartBytes, throwOnEndOfStream: false);
            parts.Add(part[..read]);
            if (read < PartBytes)
            {
                return;
            }
        }
    }

    private static async IAsyncEnumerable<byte[]> Parts(List<byte[]> parts, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var part in parts)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return part;
        }
    }

    /// <summary>Random ids, fingerprints and keys: they compress badly, so a few hundred thousand marks make megabytes.</summary>
    private static XrefState RandomState(Random random, int marks, int hits)
    {
        string Id() => Guid.NewGuid().ToString();
        ulong Bits() => (ulong)random.NextInt64();
        var probes = Enumerable.Range(0, marks / 2).ToDictionary(_ => Id(), _ => new XrefMark(Bits(), [], random.Next(100)));
        var targets = Enumerable.Range(0, marks / 2).ToDictionary(_ => Id(), _ => new XrefMark(Bits(), [Bits(), Bits()], random.Next(100)));
        var found = Enumerable.Range(0, hits).Select(_ => new MatchProposal(Id(), Id(), random.NextDouble(), [new Evidence("name", $"similar {random.Next()}", 1.5)])).ToArray();
        return new XrefState("all;0.5", probes, targets, found);
    }
}
