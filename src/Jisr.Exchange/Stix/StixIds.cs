namespace Jisr.Exchange.Stix;

/// <summary>
/// STIX identifiers. The STIX 2.1 schemas accept UUID versions 1-5 only (Jisr's own ids are version 7), so STIX ids
/// are name-based UUIDv5 derived from the Jisr id: the same record, entity or link always gets the same STIX id,
/// which lets a partner recognise an update of something it already has. Cyber-observables use the deterministic
/// ids of STIX 2.1 section 2.9 (UUIDv5 over their id-contributing properties in the STIX namespace).
/// </summary>
public static class StixIds
{
    /// <summary>Jisr's own UUIDv5 namespace (a fixed random value; never change it: every exported id depends on it).</summary>
    private static readonly Guid JisrNamespace = new("2f8e5c1a-93b4-4d7e-a6c0-5b1d8e4f7a92");

    /// <summary>The namespace STIX 2.1 assigns to deterministic cyber-observable ids.</summary>
    private static readonly Guid ObservableNamespace = new("00abedb4-aa42-466c-9c01-fed23315a9b7");

    public static string For(string type, Guid jisrId) => $"{type}--{UuidV5(JisrNamespace, $"{type}:{jisrId:D}")}";

    /// <summary>An id for something Jisr names by text (a marking statement).</summary>
    public static string ForName(string type, string name) => $"{type}--{UuidV5(JisrNamespace, $"{type}:{name}")}";

    /// <summary>A cyber-observable's deterministic id from its id-contributing properties, already in canonical JSON.</summary>
    public static string ForObservable(string type, string canonicalContributingProperties) =>
        $"{type}--{UuidV5(ObservableNamespace, canonicalContributingProperties)}";

    /// <summary>RFC 9562 name-based UUID, version 5 (SHA-1).</summary>
    public static Guid UuidV5(Guid nameSpace, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        nameSpace.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what UUIDv5 is defined with; it is an identifier, not a security measure.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
