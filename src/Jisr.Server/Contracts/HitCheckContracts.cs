namespace Jisr.Server.Contracts;

/// <summary>What to check: a name (any script) or an identifier <c>KIND:VALUE</c> (documents <c>passport:CC:NUMBER</c>), one of the two.</summary>
public sealed record HitCheckRequest(string? Name, string? Identifier);

/// <summary><c>hit</c> or <c>no-hit</c>, the query's kind, how many partners' filters were checked, and the partners to ask.</summary>
public sealed record HitCheckResponse(string Result, string Kind, int FiltersChecked, IReadOnlyList<HitResponse> Hits);

/// <summary>A partner agency whose filter holds the query, the agreement to ask under, and the parts of the query that hit (never the partner's data).</summary>
public sealed record HitResponse(Guid AgencyId, string AgencyCode, string AgencyName, Guid AgreementId, IReadOnlyList<string> Parts);

/// <summary>How many filters were rebuilt and sent to partners.</summary>
public sealed record HitFilterPublishResponse(int Published);
