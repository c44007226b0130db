namespace Jisr.Server.Contracts;

/// <summary>What an agency holds on one person, for a data-subject access request (<c>GET /api/v1/persons/{id}/subject-access</c>).</summary>
public sealed record SubjectAccessExport(
    DateTimeOffset GeneratedAt,
    string Agency,
    EntityResponse Person,
    IReadOnlyList<RecordSummary> Records,
    IReadOnlyList<LinkResponse> Links,
    IReadOnlyList<SubjectAccessRelease> Releases,
    IReadOnlyList<SubjectAccessNotice> Notices,
    IReadOnlyList<AuditEntryResponse> AuditEntries);

/// <summary>A notice about the person that the agency issued or received.</summary>
public sealed record SubjectAccessNotice(Guid Id, string Issuer, string Color, string Title, string Offence, string Status, DateTimeOffset CreatedAt);

/// <summary>A release to a partner of one of the records about the person.</summary>
public sealed record SubjectAccessRelease(Guid Id, Guid Record, string Recipient, string Status, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt);
