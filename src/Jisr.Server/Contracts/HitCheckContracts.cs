namespace Jisr.Server.Contracts;

/// <summary>What to check: a name (any script) or an identifier <c>KIND:VALUE</c> (documents <c>passport:CC:NUMBER</c>), one of the two.</summary>
public sealed record HitCheckRequest(string? Name, string? Identifier);

/// <summary>
/// <c>hit</c>, <c>possible-hit</c> (no partner holds a name with two parts of the query, but one holds a longer name
/// carrying one of its parts: a short alias of that person, or as often another person) or <c>no-hit</c>; the query's
/// kind, how many partners' filters were checked, and the partners to ask, each with its own strength.
/// </summary>
public sealed record HitCheckResponse(string Result, string Kind, int FiltersChecked, IReadOnlyList<HitResponse> Hits);

/// <summary>
/// A partner agency whose filter holds the query, the agreement to ask under, the parts of the query that hit (never
/// the partner's data) and how strongly: <c>hit</c>, or <c>possible</c> (one part of a name found in a longer held name only).
/// </summary>
public sealed record HitResponse(Guid AgencyId, string AgencyCode, string AgencyName, Guid AgreementId, IReadOnlyList<string> Parts, string Strength);

/// <summary>How many filters were rebuilt and sent to partners.</summary>
public sealed record HitFilterPublishResponse(int Published);
