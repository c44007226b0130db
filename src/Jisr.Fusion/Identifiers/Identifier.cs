namespace Jisr.Fusion.Identifiers;

/// <summary>The kinds of identifier fusion knows how to normalise and check.</summary>
public enum IdentifierKind
{
    Phone,
    Email,
    Iban,
    Passport,
    IdentityCard,
    VehiclePlate,
    VesselImo,
    VesselMmsi,
    Imei,
    Bitcoin,
    Ethereum,
    SocialHandle,
    Url,
}

/// <summary>
/// An identifier as written and, when it checks out, its normalised form. An invalid identifier keeps
/// <see cref="Written"/> exactly as given, has no <see cref="Normalised"/> form and says why in <see cref="Problem"/>:
/// it is flagged, never "fixed". <see cref="Country"/> is the issuing country (documents, plates) or the phone's region.
/// </summary>
public sealed record Identifier(IdentifierKind Kind, string Written, string? Normalised, string? Country, string? Problem)
{
    public bool IsValid => Problem is null;

    /// <summary>
    /// The blocking key: two identifiers with the same key are the same thing. Only valid identifiers have one, so a
    /// mistyped number never joins two people by accident; documents and plates carry their issuing country.
    /// </summary>
    public string? Key => Normalised is null
        ? null
        : Kind is IdentifierKind.Passport or IdentifierKind.IdentityCard or IdentifierKind.VehiclePlate
            ? $"{Wire(Kind)}:{Country ?? "??"}:{Normalised}"
            : $"{Wire(Kind)}:{Normalised}";

    public static string Wire(IdentifierKind kind) => kind switch
    {
        IdentifierKind.Phone => "phone",
        IdentifierKind.Email => "email",
        IdentifierKind.Iban => "iban",
        IdentifierKind.Passport => "passport",
        IdentifierKind.IdentityCard => "identity-card",
        IdentifierKind.VehiclePlate => "vehicle-plate",
        IdentifierKind.VesselImo => "imo",
        IdentifierKind.VesselMmsi => "mmsi",
        IdentifierKind.Imei => "imei",
        IdentifierKind.Bitcoin => "bitcoin",
        IdentifierKind.Ethereum => "ethereum",
        IdentifierKind.SocialHandle => "social-handle",
        IdentifierKind.Url => "url",
    };

    /// <summary>Reads a wire name, and the kinds records commonly use for a person's identifiers ("national-id"...).</summary>
    public static IdentifierKind? ParseKind(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "phone" or "telephone" or "mobile" => IdentifierKind.Phone,
        "email" or "e-mail" => IdentifierKind.Email,
        "iban" or "bank-account" => IdentifierKind.Iban,
        "passport" => IdentifierKind.Passport,
        "identity-card" or "id-card" or "national-id" or "cin" or "dni" or "nie" => IdentifierKind.IdentityCard,
        "vehicle-plate" or "plate" or "licence-plate" or "license-plate" => IdentifierKind.VehiclePlate,
        "imo" => IdentifierKind.VesselImo,
        "mmsi" => IdentifierKind.VesselMmsi,
        "imei" => IdentifierKind.Imei,
        "bitcoin" or "btc" => IdentifierKind.Bitcoin,
        "ethereum" or "eth" => IdentifierKind.Ethereum,
        "social-handle" or "handle" => IdentifierKind.SocialHandle,
        "url" => IdentifierKind.Url,
        _ => null,
    };
}
