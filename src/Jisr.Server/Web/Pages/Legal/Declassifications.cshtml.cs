using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Legal;

/// <summary>
/// Changes that lower a record's marking (or widen its TLP:RED recipients), held for a legal reviewer: each shows the
/// marking now and the one proposed, and is approved (the change is applied) or refused with a reason, through
/// <see cref="DeclassificationService"/>, where the policy decides who may (a legal reviewer who did not ask for it).
/// </summary>
public sealed class DeclassificationsModel(DeclassificationService declassifications, IStringLocalizer<SharedResource> texts)
    : SecondPersonPageModel<Declassification>(texts, "/declassifications", "Declassifications.Approved", "Declassifications.RefusedDone")
{
    public IReadOnlyList<Declassification> Pending { get; private set; } = [];

    public IReadOnlyList<Declassification> Decided { get; private set; } = [];

    /// <summary>The title the change proposes (the record's own is read on its page, with its own audit entry).</summary>
    public static string ProposedTitle(Declassification declassification) => DeclassificationService.Proposed(declassification).Title ?? string.Empty;

    protected override Task<Outcome<Declassification>> DecideItemAsync(Guid id, bool approve, string? reason, CancellationToken cancellationToken) =>
        declassifications.DecideAsync(Caller, id, approve, reason, cancellationToken);

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var all = await declassifications.ListAsync(Caller, null, null, cancellationToken);
        Pending = [.. all.Where(d => d.Status == DeclassificationStatus.Pending).OrderBy(d => d.RequestedAt)];
        Decided = [.. all.Where(d => d.Status != DeclassificationStatus.Pending).OrderByDescending(d => d.DecidedAt).Take(50)];
    }
}
