using Jisr.Domain.Common;
using Jisr.Storage.Fusion;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

/// <summary>
/// A cross-reference's state is kept in parts of <see cref="XrefJobStore.PartBytes"/>, written as the stream gives them
/// and read back in order (<see cref="XrefJobStore.SaveWatermarkAsync"/>, <see cref="XrefJobStore.WatermarkAsync"/>):
/// what is read is exactly the last state saved whole, of that agency and scope, whatever its size against the parts.
/// </summary>
public sealed class XrefWatermarkTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_state_reads_back_as_saved_across_parts_and_a_smaller_one_replaces_it_whole(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var random = new Random(5);
        var (agency, other) = (world.Police.Id, world.Intelligence.Id);

        // Sizes around the part's: two parts and a half, exactly one, one byte over, none at all, then a small one.
        foreach (var size in new[] { (2 * XrefJobStore.PartBytes) + 12_345, XrefJobStore.PartBytes, XrefJobStore.PartBytes + 1, 0, 700 })
        {
            var state = Bytes(random, size);
            await SaveAsync(world, agency, "all;0.5", new MemoryStream(state));

            Assert.Equal(state, await ReadAsync(world, agency, "all;0.5"));
            Assert.Equal(Math.Max(1, (size + XrefJobStore.PartBytes - 1) / XrefJobStore.PartBytes), await PartsAsync(world));
        }

        // Another scope and another agency keep their own.
        var partners = Bytes(random, XrefJobStore.PartBytes + 10);
        var theirs = Bytes(random, 99);
        await SaveAsync(world, agency, "partners;0.5", new MemoryStream(partners));
        await SaveAsync(world, other, "all;0.5", new MemoryStream(theirs));
        Assert.Equal(partners, await ReadAsync(world, agency, "partners;0.5"));
        Assert.Equal(theirs, await ReadAsync(world, other, "all;0.5"));
        Assert.Equal(700, (await ReadAsync(world, agency, "all;0.5")).Length);
        Assert.Empty(await ReadAsync(world, agency, "all;0.9"));
    }

    /// <summary>A state whose stream fails part-way (the core's writer threw) leaves the last one saved whole.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_state_cut_short_leaves_the_last_one_whole(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        var agency = world.Police.Id;
        var kept = Bytes(new Random(6), (3 * XrefJobStore.PartBytes) / 2);
        await SaveAsync(world, agency, "all;0.5", new MemoryStream(kept));

        var failure = await Assert.ThrowsAsync<IOException>(() => SaveAsync(world, agency, "all;0.5", new FailingStream(Bytes(new Random(7), 3 * XrefJobStore.PartBytes), failAfter: (5 * XrefJobStore.PartBytes) / 2)));

        Assert.Equal("the writer failed", failure.Message);
        Assert.Equal(kept, await ReadAsync(world, agency, "all;0.5"));
        Assert.Equal(2, await PartsAsync(world));
    }

    /// <summary>The parts are read in their order, whatever order the rows were stored in.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Parts_read_in_their_order_not_the_rows_order(string provider)
    {
        await using var world = await StorageWorld.CreateAsync(provider);
        await using (var db = world.Database.Open())
        {
            foreach (var part in new[] { 2, 0, 3, 1 })
            {
                db.XrefWatermarks.Add(new XrefWatermark { AgencyId = world.Police.Id, Scope = "all;0.5", Part = part, State = [(byte)part, (byte)part], UpdatedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync();
            }
        }

        Assert.Equal(new byte[] { 0, 0, 1, 1, 2, 2, 3, 3 }, await ReadAsync(world, world.Police.Id, "all;0.5"));
    }

    private static byte[] Bytes(Random random, int size)
    {
        var bytes = new byte[size];
        random.NextBytes(bytes);
        return bytes;
    }

    private static async Task SaveAsync(StorageWorld world, AgencyId agency, string scope, Stream state)
    {
        await using var db = world.Database.Open();
        await new XrefJobStore(db, world.Audit, TimeProvider.System).SaveWatermarkAsync(agency, scope, state, CancellationToken.None);
    }

    private static async Task<byte[]> ReadAsync(StorageWorld world, AgencyId agency, string scope)
    {
        await using var db = world.Database.Open();
        var all = new MemoryStream();
        await foreach (var part in new XrefJobStore(db, world.Audit, TimeProvider.System).WatermarkAsync(agency, scope))
        {
            Assert.InRange(part.Length, 0, XrefJobStore.PartBytes);
            all.Write(part);
        }

        return all.ToArray();
    }

    private static async Task<int> PartsAsync(StorageWorld world)
    {
        await using var db = world.Database.Open();
        return await db.XrefWatermarks.CountAsync(w => w.Scope == "all;0.5" && w.AgencyId == world.Police.Id);
    }

    /// <summary>Gives its bytes in odd-sized reads, then fails after <paramref name="failAfter"/> of them.</summary>
    private sealed class FailingStream(byte[] bytes, int failAfter) : Stream
    {
        private int _at;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _at;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_at >= failAfter)
            {
                throw new IOException("the writer failed");
            }

            var take = Math.Min(Math.Min(count, 77_777), bytes.Length - _at);
            bytes.AsSpan(_at, take).CopyTo(buffer.AsSpan(offset));
            _at += take;
            return take;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
