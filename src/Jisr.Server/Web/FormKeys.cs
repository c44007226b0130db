using System.Security.Cryptography;

namespace Jisr.Server.Web;

/// <summary>
/// The one-time key a form carries, turned into the id of what the form creates: the same form sent twice (a double
/// click, a reload after a slow answer, a retry that reaches another node, or the same node after a restart) names the
/// same record, which the database holds once. Nothing is kept in a process's memory for it to work.
/// </summary>
public static class FormKeys
{
    private static readonly byte[] Purpose = "jisr.web.new-record\n"u8.ToArray();

    /// <summary>
    /// A version-8 (RFC 9562) id hashed from the user and the form's key: another user's form, or another form of the
    /// same user, never gives the same id, and no one can aim at an existing record without its author's key.
    /// </summary>
    public static Guid RecordIdFor(UserId user, Guid formKey)
    {
        Span<byte> input = stackalloc byte[Purpose.Length + 32];
        Purpose.CopyTo(input);
        user.Value.TryWriteBytes(input.Slice(Purpose.Length, 16), bigEndian: true, out _);
        formKey.TryWriteBytes(input.Slice(Purpose.Length + 16, 16), bigEndian: true, out _);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
