namespace Jisr.Server.Contracts;

/// <summary>A notice: <c>recipients</c> lists agency codes, and/or <c>allPartners</c> sends it to every agency with an agreement in force.</summary>
public sealed record NoticeRequest(string? Color, Guid? Subject, string? Title, string? Summary, string? Offence, string? ThreatDomain, IReadOnlyList<string?>? Recipients, bool? AllPartners = null);

public sealed record NoticeResponse(
    Guid Id,
    AgencyRef Issuer,
    string Color,
    Guid Subject,
    string Title,
    string Summary,
    string Offence,
    string ThreatDomain,
    string Status,
    IReadOnlyList<string>? ScreeningFlags,
    IReadOnlyList<string>? Recipients,
    string? DecisionReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
