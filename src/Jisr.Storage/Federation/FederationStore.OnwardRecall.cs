namespace Jisr.Storage.Federation;

/// <summary>What a recall reaching a copy must follow: the releases that were made from that copy.</summary>
public sealed partial class FederationStore
{
    /// <summary>
    /// The releases (tracked) made from <paramref name="record"/> by the agency holding it that are still open:
    /// released (a copy exists further on) or awaiting approval.
    /// </summary>
    public Task<List<Release>> OpenReleasesOfAsync(RecordId record, CancellationToken cancellationToken) =>
        db.Releases.Where(r => r.RecordId == record && (r.Status == ReleaseStatus.Released || r.Status == ReleaseStatus.AwaitingApproval))
            .OrderBy(r => r.RequestedAt).ToListAsync(cancellationToken);
}
