namespace Jisr.Testing;

/// <summary>A clock a test moves forward, to see what a node does once dates have passed (retention, agreement validity).</summary>
public sealed class AdjustableClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
