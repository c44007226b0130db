using System.Buffers;
using System.IO.Pipelines;
using Jisr.Fusion.Resolution;

namespace Jisr.Server.Application.Fusion;

/// <summary>
/// Moves a cross-reference's state between the core, which writes and reads it as one synchronous stream, and the store,
/// which keeps it in parts through asynchronous calls, through a small pipe: never whole in memory (140 MB at a million
/// persons, held three times over as one value, was the peak of the run), and compression runs beside the database's
/// writes.
/// </summary>
internal static class XrefStateTransfer
{
    // What the pipe holds before the side that fills it waits.
    private static readonly PipeOptions Bounded = new(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20, useSynchronizationContext: false);

    /// <summary>Has <paramref name="save"/> keep the bytes of <paramref name="state"/> as they are written.</summary>
    public static async Task SaveAsync(XrefState state, Func<Stream, Task> save)
    {
        var pipe = new Pipe(Bounded);
        var writing = Task.Run(() =>
        {
            try
            {
                state.WriteTo(new Feed(pipe.Writer));
                pipe.Writer.Complete();
            }
            catch (Exception failed)
            {
                // The reading side fails with it, so a state cut short is never kept as if whole.
                pipe.Writer.Complete(failed);
                throw;
            }
        });

        try
        {
            await using var bytes = pipe.Reader.AsStream();
            await save(bytes);
        }
        catch
        {
            // The save failed (or was cancelled) and reads no more: the writer stops at its next write (Feed) instead of
            // compressing the rest of the state into a pipe nobody reads. Its own failure is this one seen from its
            // side: the save's is the one thrown.
            await pipe.Reader.CompleteAsync();
            await writing.ContinueWith(static written => _ = written.Exception, TaskScheduler.Default);
            throw;
        }

        // The save read the state to its end, so the writer has ended; a failure of its own was the save's too.
        await writing;
    }

    /// <summary>The state in <paramref name="parts"/> (null: none, or not one this build reads), read as they arrive.</summary>
    public static async Task<XrefState?> ReadAsync(IAsyncEnumerable<byte[]> parts, IReadOnlyList<PersonRecord> scored, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(Bounded);
        var reading = Task.Run(() =>
        {
            // Disposing the stream completes the reader: a state refused early (another version) stops the parts' read
            // (on PostgreSQL the driver still reads the rest of the rows it was sent as it closes the query).
            using var bytes = pipe.Reader.AsStream();
            return XrefState.ReadFrom(bytes, scored);
        }, CancellationToken.None);

        try
        {
            await foreach (var part in parts.WithCancellation(cancellationToken))
            {
                if ((await pipe.Writer.WriteAsync(part, cancellationToken)).IsCompleted)
                {
                    break;
                }
            }

            await pipe.Writer.CompleteAsync();
        }
        catch (Exception failed)
        {
            // The parser fails with the same error (or ends first, on bytes that are no state): the read's is thrown.
            await pipe.Writer.CompleteAsync(failed);
            await reading.ContinueWith(static read => _ = read.Exception, TaskScheduler.Default);
            throw;
        }

        return await reading;
    }

    /// <summary>
    /// The writer's side of the pipe as a stream that stops the writer once nobody reads (the pipe's own stream takes
    /// every write after that and drops it, so a failed save waited for the whole state to be compressed).
    /// </summary>
    private sealed class Feed(PipeWriter pipe) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            pipe.Write(buffer);

            // Waits while the pipe is full (the writer runs on a thread of its own, see SaveAsync).
            if (pipe.FlushAsync().AsTask().GetAwaiter().GetResult().IsCompleted)
            {
                throw new OperationCanceledException("the state's bytes are no longer read (the save stopped)");
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
