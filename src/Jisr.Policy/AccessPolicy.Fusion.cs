using System.Linq.Expressions;
using Jisr.Domain.Entities;

namespace Jisr.Policy;

/// <summary>
/// Fusion: who may run entity resolution and cross-reference, judge a proposed match, and analyse or export the link
/// graph. What any of them works on is never decided here a second time: it is what the caller may read
/// (<see cref="ReadableEntities"/>, <see cref="ReadableRecords"/>), so a proposal, an xref hit, a path or a cell can only
/// hold entities the caller may see, and a judgement is shown only with both its persons.
/// </summary>
public static partial class AccessPolicy
{
    /// <summary>
    /// A judgement is its agency's: shown to that agency's users who may read both persons (a judgement on a person the
    /// caller may not see would say that the person exists). Inputs (<see cref="JudgementShownContext"/>).
    /// </summary>
    public static readonly Expression<Func<MatchJudgement, JudgementShownContext, bool>> JudgementShownRule =
        (judgement, context) => judgement.AgencyId == context.Agency
                                && context.ReadableEntities.Any(e => e.Id == judgement.FirstEntityId)
                                && context.ReadableEntities.Any(e => e.Id == judgement.SecondEntityId);

    /// <summary>The judgements <paramref name="principal"/> is shown, as a filter over the store's judgements.</summary>
    public static Expression<Func<MatchJudgement, bool>> ShownJudgements(Principal principal, IQueryable<Entity> readableEntities)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return PolicyExpressions.Bind(JudgementShownRule, new JudgementShownContext(principal.AgencyId, readableEntities));
    }

    /// <summary>
    /// Entity resolution and cross-reference compare everything the caller may read: analysts' and liaison officers'
    /// work (the liaison officer checks what partners sent against the agency's own holdings).
    /// </summary>
    public static PolicyDecision CanResolveEntities(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Only(
            principal.Has(Role.Analyst) || principal.Has(Role.LiaisonOfficer),
            "entity resolution and cross-reference are for analysts and liaison officers");
    }

    /// <summary>
    /// Confirming or rejecting a proposed match: an analyst, about two persons they may read (null: not readable, or
    /// not there; either is "not found"). The judgement binds the analyst's agency only.
    /// </summary>
    public static PolicyDecision CanJudgeMatch(Principal principal, Entity? a, Entity? b)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (a is null || b is null)
        {
            return PolicyDecision.NotVisible;
        }

        if (a is not Person || b is not Person)
        {
            return PolicyDecision.Deny("only persons are judged as one person or two; one of these entities is not a person");
        }

        return Only(principal.Has(Role.Analyst), "only analysts confirm or reject a proposed match");
    }

    /// <summary>
    /// Exporting the link graph (GraphML or JSON, the whole of what the caller may read): analysts only, as it takes
    /// the network out of the node in one file. The export and its purpose are audited.
    /// </summary>
    public static PolicyDecision CanExportGraph(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Only(principal.Has(Role.Analyst), "only analysts export the link graph");
    }
}
