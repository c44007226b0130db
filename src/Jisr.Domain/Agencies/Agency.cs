using System.Text.RegularExpressions;

namespace Jisr.Domain.Agencies;

/// <summary>An organisation with its own node or tenant, known by a short code such as <c>MA-DGSN</c>.</summary>
public sealed partial class Agency
{
    public const int MaxNameLength = 300;

    private Agency()
    {
        Code = string.Empty;
        Name = string.Empty;
        Country = string.Empty;
    }

    public AgencyId Id { get; private set; }

    /// <summary>Upper-case code: letters, digits and hyphens, 2-32 characters (e.g. <c>FR-DGSI</c>).</summary>
    public string Code { get; private set; }

    public string Name { get; private set; }

    /// <summary>ISO 3166-1 alpha-2 country code, or <c>INT</c> for an international organisation.</summary>
    public string Country { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Agency Create(string? code, string? name, string? country, DateTimeOffset now) => new()
    {
        Id = AgencyId.New(now),
        Code = NormalizeCode(code),
        Name = Guard.Text(name, "name", MaxNameLength),
        Country = CountryCode.Parse(country, "country", allowInternational: true),
        CreatedAt = Instants.Normalize(now),
    };

    /// <summary>
    /// An agency hosted by a peer node, known here by the id, code, name and country that node gave it, so that an
    /// agreement or a release names the same agency on both nodes.
    /// </summary>
    public static Agency Remote(AgencyId id, string? code, string? name, string? country, DateTimeOffset now) => new()
    {
        Id = id,
        Code = NormalizeCode(code),
        Name = Guard.Text(name, "name", MaxNameLength),
        Country = CountryCode.Parse(country, "country", allowInternational: true),
        CreatedAt = Instants.Normalize(now),
    };

    public static string NormalizeCode(string? code, string field = "code")
    {
        var text = code?.Trim().ToUpperInvariant();
        Guard.That(text is not null && CodePattern().IsMatch(text), field, ValidationCodes.NotAnAgencyCode, $"'{code}' is not an agency code (2-32 letters, digits or hyphens, e.g. MA-DGSN)", code ?? string.Empty);
        return text!;
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
