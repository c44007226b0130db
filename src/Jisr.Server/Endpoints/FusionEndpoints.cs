using Jisr.Fusion.Resolution;
using Jisr.Server.Application.Fusion;

namespace Jisr.Server.Endpoints;

/// <summary>
/// <c>/api/v1/fusion</c>: proposed matches between persons, analysts' judgements on them, persons shown as one, and
/// cross-reference jobs, all over what the caller may read (see <see cref="FusionService"/>).
/// </summary>
public static class FusionEndpoints
{
    public static RouteGroupBuilder MapFusionEndpoints(this RouteGroupBuilder api)
    {
        var fusion = api.MapGroup("/fusion").WithTags("Fusion");
        fusion.MapGet("/proposals", ProposalsAsync).WithName("ListMatchProposals").RequirePurpose()
            .ListsItems<ProposalsResponse>("Propose persons that are one person", "Entity resolution over the persons you may read (your agency's and what partners released to you): pairs likely to be one person, best first, each with a score in [0,1] and the evidence for and against (names in any script, dates of birth, nationality, identifiers, shared links). Pairs your agency confirmed are always listed (score 1), rejected ones never. Analysts and liaison officers.")
            .QueryParameter("minScore", "Drop proposals below this score (0 to 1, exclusive; default 0.5).")
            .QueryParameter("limit", $"At most this many proposals (default {FusionService.DefaultLimit}, at most {FusionService.MaxLimit}).")
            .Problems(StatusCodes.Status403Forbidden);
        fusion.MapGet("/judgements", JudgementsAsync).WithName("ListMatchJudgements")
            .ListsItems<List<JudgementResponse>>("List your agency's judgements on proposed matches", "Those on two persons you may both read, oldest first.");
        fusion.MapPost("/judgements", JudgeAsync).WithName("JudgeMatch")
            .Describe("Confirm or reject a proposed match", "An analyst says that two persons are one person (`confirmed`) or two (`rejected`). One judgement per agency and pair: judging again changes it. Send the `version` you saw (0 for a pair not yet judged) and a judgement changed since is refused with 409 instead of overwritten. Later proposals and cross-references respect it; a confirmed pair is shown as one person.")
            .Produces<JudgementResponse>()
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge);
        fusion.MapGet("/persons/{id:guid}", PersonAsync).WithName("GetResolvedPerson")
            .ReadsItem<ResolvedPersonResponse>("Show a person as one", "The person, every person entity your agency confirmed to be them (directly or through others) that you may read, and the records behind each.");
        fusion.MapPost("/xref", StartXrefAsync).WithName("StartCrossReference").RequirePurpose()
            .Describe("Start a cross-reference of your agency's persons", "Your agency's own persons against what partners released to you (`partners`, the default) or against everything you may read (`all-own`). Runs in the background: answers 202 with the job, whose address (`Location`) gives its progress, then the hits. One running job per user (409). Analysts and liaison officers.")
            .Produces<XrefJobResponse>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge);
        fusion.MapGet("/xref/{id:guid}", XrefJobAsync).WithName("GetCrossReference")
            .ReadsItem<XrefJobResponse>("Follow a cross-reference job", "Its progress, then the hits best first. Only the user who started it sees it; a hit on a person you may no longer read is left out.");
        return api;
    }

    private static async Task<IResult> ProposalsAsync(
        HttpContext context, Principal caller, FusionService service, AgencyDirectory agencies, double? minScore, int? limit, CancellationToken cancellationToken) =>
        await service.ProposalsAsync(caller, minScore, limit, Purpose.Of(context), cancellationToken)
            .OkAsync(found => Task.FromResult(new ProposalsResponse([.. found.Items.Select(ToResponse)], found.Total)));

    private static async Task<List<JudgementResponse>> JudgementsAsync(Principal caller, FusionService service, CancellationToken cancellationToken) =>
        [.. (await service.JudgementsAsync(caller, cancellationToken)).Select(ToResponse)];

    private static Task<IResult> JudgeAsync(JudgementRequest request, Principal caller, FusionService service, CancellationToken cancellationToken) =>
        service.JudgeAsync(caller, request.A, request.B, request.Decision, request.Note, request.Version, cancellationToken)
            .OkAsync(judgement => Task.FromResult(ToResponse(judgement)));

    private static Task<IResult> PersonAsync(Guid id, Principal caller, FusionService service, AgencyDirectory agencies, CancellationToken cancellationToken) =>
        service.PersonAsync(caller, id, cancellationToken).OkAsync(async person =>
        {
            var parts = new List<ResolvedPartResponse>();
            foreach (var part in person.Parts)
            {
                var records = new List<RecordSummary>();
                foreach (var record in part.Records)
                {
                    records.Add(RecordMapping.ToSummary(record, await agencies.OriginOfAsync(record, cancellationToken)));
                }

                parts.Add(new ResolvedPartResponse(EntityMapping.ToResponse(part.Person), records, part.JoinedBy is null ? null : ToResponse(part.JoinedBy)));
            }

            return new ResolvedPersonResponse(EntityMapping.ToResponse(person.Person), parts);
        });

    private static async Task<IResult> StartXrefAsync(HttpContext context, XrefRequest? request, Principal caller, XrefJobs jobs, CancellationToken cancellationToken)
    {
        var outcome = await jobs.StartAsync(caller, request?.Against, request?.MinScore, Purpose.Of(context), cancellationToken);
        return outcome.Refusal is { } refused
            ? refused.ToProblem()
            : Results.Accepted($"/api/v1/fusion/xref/{outcome.Value!.Id}", ToResponse(new XrefJobView(outcome.Value, null)));
    }

    private static Task<IResult> XrefJobAsync(Guid id, Principal caller, FusionService service, CancellationToken cancellationToken) =>
        service.XrefJobAsync(caller, id, cancellationToken).OkAsync(view => Task.FromResult(ToResponse(view)));

    public static XrefJobResponse ToResponse(XrefJobView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var job = view.Job;
        return new(
            job.Id, job.Status, job.Against, job.Progress, job.Total, job.StartedAt, job.FinishedAt, job.Probes, job.Targets,
            view.Hits is null ? null : [.. view.Hits.Select(ToResponse)], job.Error, job.Compared);
    }

    public static ProposalResponse ToResponse(FusionProposal proposal) => new(
        EntityMapping.ToResponse(proposal.A),
        EntityMapping.ToResponse(proposal.B),
        proposal.Score,
        new MatchProposal(proposal.A.Id.ToString(), proposal.B.Id.ToString(), proposal.Score, proposal.Evidence).Explanation,
        [.. proposal.Evidence.Select(e => new EvidenceResponse(e.Kind, e.Detail, Math.Round(e.Weight, 2)))],
        proposal.Judgement is null ? null : ToResponse(proposal.Judgement));

    public static JudgementResponse ToResponse(MatchJudgement judgement) => new(
        judgement.Id, judgement.FirstEntityId.Value, judgement.SecondEntityId.Value, judgement.Decision.ToString().ToLowerInvariant(),
        judgement.JudgedBy.Value, judgement.JudgedAt, judgement.Note, judgement.Version);
}
