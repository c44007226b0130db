using System.Buffers;
using System.Buffers.Binary;

namespace Jisr.Storage.Audit;

/// <summary>
/// Canonical content and hash of an audit entry: every field in a fixed order, each written as a
/// 4-byte length and its UTF-8 bytes (a null field has length -1), so no two different entries share a form.
/// </summary>
public static class AuditHasher
{
    public const int HashLength = 32;

    /// <summary>The hash the first entry chains from.</summary>
    public static readonly byte[] GenesisHash = new byte[HashLength];

    public static byte[] ComputeHash(AuditEntry entry, ReadOnlySpan<byte> previousHash)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(previousHash);
        WriteInt64(buffer, entry.Sequence);
        WriteInt64(buffer, entry.At.UtcTicks);
        WriteString(buffer, entry.ActorUserId?.ToString());
        WriteString(buffer, entry.ActorName);
        WriteString(buffer, entry.AgencyId?.ToString());
        WriteString(buffer, entry.Action);
        WriteString(buffer, entry.TargetType);
        WriteString(buffer, entry.TargetId);
        WriteString(buffer, entry.Purpose);
        WriteString(buffer, entry.Outcome);
        WriteString(buffer, entry.Detail);
        return SHA256.HashData(buffer.WrittenSpan);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> buffer, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), -1);
            buffer.Advance(4);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), length);
        buffer.Advance(4);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }
}
