namespace Jisr.Server.Contracts;

/// <summary>
/// A change that lowers a record's marking (or widens a TLP:RED record's recipients), held for a legal reviewer:
/// <c>proposed</c> is the record's full new state as the requester sent it; <c>recordVersion</c> the version it was
/// proposed against (approval answers 409 once the record has changed).
/// </summary>
public sealed record DeclassificationResponse(
    Guid Id,
    Guid Record,
    int RecordVersion,
    string Status,
    MarkingResponse CurrentMarking,
    MarkingResponse ProposedMarking,
    bool WidensRecipients,
    Guid RequestedBy,
    DateTimeOffset RequestedAt,
    Guid? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionReason,
    RecordRequest Proposed);
