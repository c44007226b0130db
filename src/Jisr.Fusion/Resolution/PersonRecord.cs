using Jisr.Domain.Entities;
using Jisr.Fusion.Identifiers;

namespace Jisr.Fusion.Resolution;

/// <summary>
/// One record's view of a person, as resolution reads it: the names as written, the date of birth as precise as the
/// record knew it, nationalities and identifiers. <see cref="Id"/> is the caller's (an entity id); <see cref="Agency"/>
/// is the agency whose holding it is. Built by the caller from what the requesting user may see, and nothing else.
/// </summary>
public sealed record PersonRecord(
    string Id,
    string Agency,
    IReadOnlyList<string> Names,
    PartialDate? DateOfBirth,
    IReadOnlyList<string> Nationalities,
    IReadOnlyList<Identifier> Identifiers,
    Gender Gender = Gender.Unknown);

/// <summary>A link between two entities as a record asserts it (undirected for analytics).</summary>
public sealed record EntityLink(string From, string To, string Type);
