namespace Jisr.Exchange.Stix;

/// <summary>
/// The TLP 2.0 marking definitions published by OASIS (cti-stix-common-objects), with their fixed ids, and the
/// extension that defines them.
/// </summary>
public static class TlpMarkings
{
    public const string ExtensionId = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

    private const string Created = "2022-10-01T00:00:00.000Z";

    public static string IdOf(Tlp tlp) => tlp switch
    {
        Tlp.Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        Tlp.Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        Tlp.Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        Tlp.AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        Tlp.Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    };

    public static JsonObject Definition(Tlp tlp) => new()
    {
        ["type"] = "marking-definition",
        ["spec_version"] = "2.1",
        ["id"] = IdOf(tlp),
        ["created"] = Created,
        ["name"] = "TLP:" + Marking.TlpNames[tlp],
        ["extensions"] = new JsonObject
        {
            [ExtensionId] = new JsonObject { ["extension_type"] = "property-extension", ["tlp_2_0"] = Marking.TlpNames[tlp].ToLowerInvariant() },
        },
    };
}
