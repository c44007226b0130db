namespace Jisr.Domain.Common;

/// <summary>
/// Instants as the node stores them: UTC, to the microsecond (PostgreSQL's precision). Normalising before
/// anything is stored or hashed means a value reads back exactly as it was written, on every provider.
/// </summary>
public static class Instants
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.UtcTicks - (utc.UtcTicks % TicksPerMicrosecond), TimeSpan.Zero);
    }
}
