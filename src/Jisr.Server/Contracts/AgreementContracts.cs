namespace Jisr.Server.Contracts;

public sealed record AgreementRequest(string? Partner, IReadOnlyList<string>? ThreatDomains, string? HighestClassification, IReadOnlyList<string>? HandlingCodes, DateOnly? ValidFrom, DateOnly? ValidUntil);

public sealed record StatusChangeRequest(string? Reason);

public sealed record AgreementResponse(
    Guid Id,
    AgencyRef Proposer,
    AgencyRef Partner,
    string Status,
    IReadOnlyList<string> ThreatDomains,
    string HighestClassification,
    IReadOnlyList<string> HandlingCodes,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    DateTimeOffset ProposedAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? StatusChangedAt,
    string? StatusReason);
