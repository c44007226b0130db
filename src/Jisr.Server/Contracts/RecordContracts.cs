namespace Jisr.Server.Contracts;

/// <summary>Marking as sent and returned: <c>{"classification":"RESTRICTED","tlp":"AMBER","handling":"H1"}</c>.</summary>
public sealed record MarkingDto(string? Classification, string? Tlp, string? Handling, string? HandlingNote = null);

/// <summary>A record to create or the full new state of one to replace (PUT).</summary>
public sealed record RecordRequest
{
    public string? Kind { get; init; }

    public string? Title { get; init; }

    public string? Body { get; init; }

    public string? Language { get; init; }

    public string? LegalBasis { get; init; }

    public string? Purpose { get; init; }

    public DateTimeOffset? RetentionUntil { get; init; }

    public DateOnly? ReviewDate { get; init; }

    public MarkingDto? Marking { get; init; }

    public string? SourceGrading { get; init; }

    public IReadOnlyList<string>? ThreatDomains { get; init; }

    /// <summary>Entities the record asserts: new ones (with <c>type</c> and attributes) or existing ones (with <c>id</c>).</summary>
    public IReadOnlyList<EntityRequest>? Entities { get; init; }

    /// <summary>Links between the record's entities, referring to them by <c>ref</c> or <c>id</c>.</summary>
    public IReadOnlyList<LinkRequest>? Links { get; init; }

    /// <summary>For a TLP:RED record: the user names, in your agency, who may see it besides you.</summary>
    public IReadOnlyList<string>? Recipients { get; init; }
}

/// <summary>
/// An entity in a record request. Either <see cref="Id"/> (an existing entity of your agency) or
/// <see cref="Type"/> with the attributes of that type. <see cref="Ref"/> is a name local to the request for links.
/// </summary>
public sealed record EntityRequest : EntityAttributes
{
    public string? Ref { get; init; }

    public Guid? Id { get; init; }

    public string? Type { get; init; }

    // person
    public IReadOnlyList<string>? Names { get; init; }

    // organisation, location, vessel, event
    public string? Name { get; init; }

    // email, crypto wallet
    public string? Address { get; init; }

    // vehicle
    public string? Registration { get; init; }

    // bank account
    public string? Iban { get; init; }
}

/// <summary>
/// The attributes an entity of each type may have, the same in a request and in a response (absent ones are omitted).
/// </summary>
public abstract record EntityAttributes
{
    // person
    public string? DateOfBirth { get; init; }

    public string? PlaceOfBirth { get; init; }

    public string? Gender { get; init; }

    public IReadOnlyList<string>? Nationalities { get; init; }

    public IReadOnlyList<IdentifierDto>? Identifiers { get; init; }

    // organisation, location, vessel
    public IReadOnlyList<string>? Aliases { get; init; }

    public string? Country { get; init; }

    public double? Latitude { get; init; }

    public double? Longitude { get; init; }

    // phone, document
    public string? Number { get; init; }

    // online account
    public string? Platform { get; init; }

    public string? Handle { get; init; }

    public string? Url { get; init; }

    // document
    public string? DocumentKind { get; init; }

    public string? IssuingCountry { get; init; }

    public DateOnly? ExpiresOn { get; init; }

    // vehicle
    public string? Make { get; init; }

    public string? Model { get; init; }

    public string? Colour { get; init; }

    // vessel
    public string? Imo { get; init; }

    public string? Mmsi { get; init; }

    public string? Flag { get; init; }

    // bank account
    public string? Bic { get; init; }

    public string? Holder { get; init; }

    // crypto wallet
    public string? Currency { get; init; }

    // event
    public string? OccurredOn { get; init; }

    public string? Place { get; init; }
}

public sealed record IdentifierDto(string? Kind, string? Value, string? Country = null);

/// <summary>A link: <c>from</c> and <c>to</c> are an entity's <c>ref</c> in this request or an existing entity id.</summary>
public sealed record LinkRequest(string? From, string? To, string? Type, string? ValidFrom = null, string? ValidTo = null);

/// <summary>A reviewer's decision: <c>extend</c> (with the next <c>reviewDate</c>, optionally a new <c>retentionUntil</c>) or <c>delete</c>; always with a <c>reason</c>.</summary>
public sealed record ReviewRequest(string? Decision, string? Reason, DateOnly? ReviewDate, DateTimeOffset? RetentionUntil);

public sealed record AgencyRef(Guid Id, string Code);

/// <summary>A record's originator and, for a release copy, its provenance.</summary>
public sealed record RecordOrigin(AgencyRef Originator, ProvenanceResponse? Provenance);

/// <summary>
/// Where a release copy came from: the release, the agency and user that released it and when, the agreement it
/// came under, the originator's own record and the record it was copied from (differs when passed on by a partner).
/// </summary>
public sealed record ProvenanceResponse(Guid Release, AgencyRef ReleasedBy, Guid ReleasedByUser, DateTimeOffset ReleasedAt, Guid? Agreement, Guid OriginalRecord, Guid SourceRecord);

/// <summary>A record in a list: enough to choose which to open.</summary>
public sealed record RecordSummary(
    Guid Id,
    string Kind,
    string Title,
    string Language,
    AgencyRef Originator,
    ProvenanceResponse? Provenance,
    DateTimeOffset CreatedAt,
    MarkingResponse Marking,
    string SourceGrading,
    IReadOnlyList<string> ThreatDomains,
    DateOnly ReviewDate);

public sealed record MarkingResponse(string Classification, string Tlp, string Handling, string? HandlingNote, bool NotForJudicialUseWithoutConsent);

public sealed record RecordResponse(
    Guid Id,
    string Kind,
    string Title,
    string Body,
    string Language,
    AgencyRef Originator,
    ProvenanceResponse? Provenance,
    Guid Author,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string LegalBasis,
    string Purpose,
    DateTimeOffset RetentionUntil,
    DateOnly ReviewDate,
    MarkingResponse Marking,
    string SourceGrading,
    IReadOnlyList<string> ThreatDomains,
    IReadOnlyList<EntityResponse> Entities,
    IReadOnlyList<LinkResponse> Links,
    IReadOnlyList<Guid> Recipients);

/// <summary>A link and the record that asserts it.</summary>
public sealed record LinkResponse(Guid Id, Guid Record, Guid From, Guid To, string Type, string? ValidFrom, string? ValidTo);

/// <summary>An entity with the attributes of its type (absent attributes are omitted).</summary>
public sealed record EntityResponse : EntityAttributes
{
    public required Guid Id { get; init; }

    public required string Type { get; init; }

    public required string Label { get; init; }

    public string? Key { get; init; }

    public IReadOnlyList<NameResponse>? Names { get; init; }
}

public sealed record NameResponse(string Text, string Script);

/// <summary>A page of a list; <c>next</c> is always present, null on the last page.</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? Next);
