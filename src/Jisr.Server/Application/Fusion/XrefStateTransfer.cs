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
                state.WriteTo(pipe.Writer.AsStream(leaveOpen: true));
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
        finally
        {
            // A save that failed stops reading: completing the reader lets the writer run out instead of waiting.
            await pipe.Reader.CompleteAsync();
            await writing;
        }
    }

    /// <summary>The state in <paramref name="parts"/> (null: none, or not one this build reads), read as they arrive.</summary>
    public static async Task<XrefState?> ReadAsync(IAsyncEnumerable<byte[]> parts, IReadOnlyList<PersonRecord> scored, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(Bounded);
        var reading = Task.Run(() =>
        {
            // Disposing the stream completes the reader: a state refused early (another version) stops the parts' read.
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
            await pipe.Writer.CompleteAsync(failed);
            await Task.WhenAny(reading);
            throw;
        }

        return await reading;
    }
}
