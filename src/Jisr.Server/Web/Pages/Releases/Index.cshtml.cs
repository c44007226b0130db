using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Releases;

/// <summary>
/// The agency's releases, those awaiting a second person's approval first, with approve and refuse: the four-eyes
/// rule itself (not the author, a legal reviewer cleared for the record) is <c>AccessPolicy.CanDecideRelease</c>'s.
/// </summary>
public sealed class IndexModel(ReleaseService releases, RecordService records, AgencyDirectory agencies, IStringLocalizer<SharedResource> texts)
    : SecondPersonPageModel<Release>(texts, "/releases", "Release.Approved", "Release.Refused")
{
    public IReadOnlyList<ReleaseRow> Rows { get; private set; } = [];

    protected override Task<Outcome<Release>> DecideItemAsync(Guid id, bool approve, string? reason, CancellationToken cancellationToken) =>
        releases.DecideAsync(Caller, id, approve, reason, cancellationToken);

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var caller = Caller;
        var all = await releases.ListAsync(caller, null, null, cancellationToken);
        var rows = new List<ReleaseRow>();
        foreach (var release in all.OrderBy(r => r.Status == ReleaseStatus.AwaitingApproval ? 0 : 1).ThenByDescending(r => r.RequestedAt))
        {
            // The store shows releases of records the caller may read; the title comes from the same audited read as the record page.
            var record = (await records.ReadAsync(caller, release.RecordId.Value, cancellationToken)).Value?.Record;
            rows.Add(new ReleaseRow(release, record, (await agencies.GetAsync(release.RecipientAgencyId, cancellationToken)).Code));
        }

        Rows = rows;
    }
}

public sealed record ReleaseRow(Release Release, Record? Record, string Recipient);
