using Jisr.Domain.Records;
using Jisr.Domain.Sharing;

namespace Jisr.Policy;

/// <summary>
/// The inputs of <see cref="AccessPolicy.RecordReadRule"/>, bound by name: the agreements release copies are checked
/// against (the store's set in a query, the copy's own agreement in memory), the caller's agency, clearance and user,
/// the instant retention ends are compared with, and the calendar day agreements' validity dates are compared with.
/// </summary>
public sealed record ReadContext(IEnumerable<SharingAgreement> Agreements, AgencyId Agency, Classification Clearance, UserId User, DateTimeOffset Now, DateOnly Today)
{
    /// <summary>The context of <paramref name="principal"/> reading at <paramref name="now"/>.</summary>
    public static ReadContext For(Principal principal, DateTimeOffset now, IEnumerable<SharingAgreement> agreements)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new(agreements, principal.AgencyId, principal.Clearance, principal.UserId, now, AccessPolicy.Today(now));
    }
}

/// <summary>The inputs of <see cref="AccessPolicy.NoticeVisibleRule"/>: the store's agreements, the caller's agency, today.</summary>
public sealed record NoticeContext(IEnumerable<SharingAgreement> Agreements, AgencyId Agency, DateOnly Today);

/// <summary>The inputs of <see cref="AccessPolicy.EntityReadRule"/>: the record mentions, and the records the caller may read.</summary>
public sealed record EntityReadContext(IQueryable<RecordMention> Mentions, IQueryable<Record> ReadableRecords);

/// <summary>The inputs of <see cref="AccessPolicy.ReleaseShownRule"/>: the caller's agency, and the records the caller may read.</summary>
public sealed record ReleaseShownContext(AgencyId Agency, IQueryable<Record> ReadableRecords);

/// <summary>The inputs of <see cref="AccessPolicy.DeclassificationShownRule"/>: the caller's agency and clearance, and the records they may read.</summary>
public sealed record DeclassificationShownContext(AgencyId Agency, Classification Clearance, IQueryable<Record> ReadableRecords);

/// <summary>The inputs of <see cref="AccessPolicy.ConsentShownRule"/>: the caller's agency, and the records the caller may read.</summary>
public sealed record ConsentShownContext(AgencyId Agency, IQueryable<Record> ReadableRecords);

/// <summary>The inputs of <see cref="AccessPolicy.JudgementShownRule"/>: the caller's agency, and the entities the caller may read.</summary>
public sealed record JudgementShownContext(AgencyId Agency, IQueryable<Jisr.Domain.Entities.Entity> ReadableEntities);
