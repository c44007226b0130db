namespace Jisr.Server.Contracts;

/// <summary>A reason for or against a match, with its weight in log-odds (positive for, negative against).</summary>
public sealed record EvidenceResponse(string Kind, string Detail, double Weight);

/// <summary>An agency's judgement on a pair of persons: which pair, the decision, who decided when, and its version (send it back to change it).</summary>
public sealed record JudgementResponse(Guid Id, Guid A, Guid B, string Decision, Guid JudgedBy, DateTimeOffset JudgedAt, string? Note, int Version);

/// <summary>A proposed match between two persons you may read: the score in [0,1], the evidence behind it, and your agency's judgement if there is one.</summary>
public sealed record ProposalResponse(EntityResponse A, EntityResponse B, double Score, string Explanation, IReadOnlyList<EvidenceResponse> Evidence, JudgementResponse? Judgement);

/// <summary>Proposed matches best first, and how many there were in all (<c>items</c> holds at most the limit).</summary>
public sealed record ProposalsResponse(IReadOnlyList<ProposalResponse> Items, int Total);

/// <summary>Confirm or reject that persons <c>a</c> and <c>b</c> are one person; <c>version</c>: the judgement's version you saw (0: none yet), to refuse a change made since.</summary>
public sealed record JudgementRequest(Guid A, Guid B, string? Decision, string? Note, int? Version);

/// <summary>Start a cross-reference: <c>against</c> is <c>partners</c> (default) or <c>all-own</c>; hits below <c>minScore</c> (default 0.5) are dropped.</summary>
public sealed record XrefRequest(string? Against, double? MinScore);

/// <summary>
/// A cross-reference job: <c>status</c> is <c>running</c>, <c>done</c> or <c>failed</c>; <c>done</c> of <c>total</c> probes;
/// when done, the hits best first (your agency's persons as <c>a</c>, what they were compared with as <c>b</c>), and
/// <c>compared</c>: how many probes this run compared (the others had nothing new since your agency's last run of the
/// same scope and threshold, and kept their hits). Jobs are stored: they outlive a restart of the node.
/// </summary>
public sealed record XrefJobResponse(Guid Id, string Status, string Against, int Done, int Total, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int? Probes, int? Targets, IReadOnlyList<ProposalResponse>? Hits, string? Error, int? Compared = null);

/// <summary>A person as your agency resolved them: every entity confirmed to be them (the one asked for first), each with the records behind it.</summary>
public sealed record ResolvedPersonResponse(EntityResponse Person, IReadOnlyList<ResolvedPartResponse> Parts);

/// <summary>One entity of a resolved person, the records you may read that mention it, and the judgement that joined it (none for the one asked for).</summary>
public sealed record ResolvedPartResponse(EntityResponse Entity, IReadOnlyList<RecordSummary> Records, JudgementResponse? JoinedBy);

/// <summary>An entity in a graph answer; <c>distance</c>: steps from the centre (neighbourhood) or position on the path.</summary>
public sealed record GraphNodeResponse(EntityResponse Entity, int? Distance);

/// <summary>An undirected link: how many record assertions it stands for and their kinds.</summary>
public sealed record GraphLinkResponse(Guid A, Guid B, int Weight, IReadOnlyList<string> Types);

/// <summary>Entities and the links among them; <c>omitted</c>: entities of the last ring left out at the size limit.</summary>
public sealed record GraphResponse(IReadOnlyList<GraphNodeResponse> Nodes, IReadOnlyList<GraphLinkResponse> Links, int Omitted);

/// <summary>Proposed cells (communities, largest first) and the partition's modularity.</summary>
public sealed record GraphCellsResponse(double Modularity, IReadOnlyList<GraphResponse> Cells);

/// <summary>
/// Connected components of the graph you may read: <c>total</c> in all, <c>matching</c> of the size asked, and the
/// largest of those, largest first.
/// </summary>
public sealed record GraphComponentsResponse(int Total, int Matching, IReadOnlyList<GraphComponentResponse> Components);

/// <summary>One connected component: <c>size</c> entities and <c>linkCount</c> links in all; <c>nodes</c> and <c>links</c> show at most 5,000 of its entities (the first by id; <c>omitted</c> counts the rest) and the links among them.</summary>
public sealed record GraphComponentResponse(int Size, int LinkCount, IReadOnlyList<GraphNodeResponse> Nodes, IReadOnlyList<GraphLinkResponse> Links, int Omitted);

/// <summary>An entity that lies on many shortest paths between others (a broker or courier), with its betweenness and number of links.</summary>
public sealed record GraphBrokerResponse(EntityResponse Entity, double Betweenness, int Degree);
