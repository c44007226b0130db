namespace Jisr.Server.Contracts;

/// <summary>The link graph one step out from an entity (<c>GET /api/v1/entities/{id}/neighbours</c>).</summary>
public sealed record NeighboursResponse(EntityResponse Entity, IReadOnlyList<Neighbour> Items);

/// <summary>A linked entity: the link's direction seen from the entity asked about ("out": it is the link's source), and the link with its record.</summary>
public sealed record Neighbour(EntityResponse Entity, string Direction, LinkResponse Link);
