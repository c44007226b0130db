namespace Jisr.Server.Web.Pages;

/// <summary>
/// What waits for the caller (releases to approve, consents to decide, notices held, records due for review, access
/// grants and declassifications for a second person to decide) and the
/// latest records: their agency's own and copies received from partners. Each list comes from the service the API
/// uses, so it holds only what the policy lets the caller see.
/// </summary>
public sealed class IndexModel(
    RecordService records, ReleaseService releases, ConsentService consents, NoticeService notices, ReviewService reviews, AgencyDirectory agencies,
    AccountAdministration administration, DeclassificationService declassifications, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    private const int Recent = 10;

    public IReadOnlyList<Release> ReleasesWaiting { get; private set; } = [];

    public IReadOnlyList<ConsentRequest> ConsentsWaiting { get; private set; } = [];

    public IReadOnlyList<Notice> NoticesHeld { get; private set; } = [];

    /// <summary>Null when the caller does not review records (the queue is the legal reviewers').</summary>
    public IReadOnlyList<Record>? DueForReview { get; private set; }

    /// <summary>Null when the caller administers no users (grants are decided by a second administrator).</summary>
    public int? GrantsWaiting { get; private set; }

    /// <summary>Null when the caller is not a legal reviewer (declassifications are theirs to decide).</summary>
    public int? DeclassificationsWaiting { get; private set; }

    public IReadOnlyList<RecordRow> OwnRecords { get; private set; } = [];

    public IReadOnlyList<RecordRow> PartnerCopies { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var caller = Caller;
        ReleasesWaiting = await releases.ListAsync(caller, Release.StatusNames[ReleaseStatus.AwaitingApproval], null, cancellationToken);
        ConsentsWaiting = [.. (await consents.ListAsync(caller, cancellationToken)).Where(c => c.Status == ConsentStatus.Pending && c.OriginatorAgencyId == caller.AgencyId)];
        NoticesHeld = [.. (await notices.ListAsync(caller, cancellationToken)).Where(n => n.Status == NoticeStatus.HeldForReview)];
        var queue = await reviews.QueueAsync(caller, null, Recent, cancellationToken);
        DueForReview = queue.Value?.Items;

        // Counted with the policy's own rules over the lists the grants and declassifications pages show.
        var grants = await administration.ListGrantsAsync(caller, cancellationToken);
        GrantsWaiting = grants.Value?.Count(g => AccessPolicy.WaitsForDecision(caller, g));
        if (caller.Has(Role.LegalReviewer))
        {
            var pending = await declassifications.ListAsync(caller, Declassification.Statuses[DeclassificationStatus.Pending], null, cancellationToken);
            DeclassificationsWaiting = pending.Count(d => AccessPolicy.WaitsForDecision(caller, d));
        }

        var latest = await records.ListAsync(caller, null, 50, cancellationToken);
        var rows = await RecordRow.ForAsync(latest.Items, agencies, cancellationToken);
        OwnRecords = [.. rows.Where(r => r.Record.Provenance is null).Take(Recent)];
        PartnerCopies = [.. rows.Where(r => r.Record.Provenance is not null).Take(Recent)];
    }
}
