namespace Jisr.Server.Contracts;

/// <summary>
/// A release: <c>agency</c> is the partner's code; <c>agreement</c> is optional (default: an agreement in force that
/// covers the record); <c>recipients</c> (user names of the partner) only and always for TLP:RED records.
/// </summary>
public sealed record ReleaseRequest(string? Agency, Guid? Agreement = null, IReadOnlyList<string?>? Recipients = null, string? Note = null);

public sealed record ReleaseResponse(
    Guid Id,
    Guid Record,
    AgencyRef ReleasingAgency,
    AgencyRef Recipient,
    Guid Agreement,
    string Status,
    bool RequiresApproval,
    Guid RequestedBy,
    DateTimeOffset RequestedAt,
    string? Note,
    Guid? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionReason,
    Guid? Copy,
    IReadOnlyList<Guid> Recipients);

/// <summary>A consent request: <c>agency</c> is the third agency the record would be passed on to.</summary>
public sealed record ConsentRequestBody(string? Agency, string? Note = null);

public sealed record ConsentResponse(
    Guid Id,
    Guid Record,
    Guid OriginalRecord,
    AgencyRef Originator,
    AgencyRef Requester,
    AgencyRef Target,
    string Status,
    Guid RequestedBy,
    DateTimeOffset RequestedAt,
    string? Note,
    Guid? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionReason);
