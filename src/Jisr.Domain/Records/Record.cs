using Jisr.Domain.Entities;
using Jisr.Domain.Sharing;

namespace Jisr.Domain.Records;

/// <summary>
/// One unit of information an agency holds (intelligence report, field report, notice, request, reply),
/// with the legal frame it is held under, its marking and source grading, and the entities and links it asserts.
/// </summary>
public sealed class Record
{
    public const int MaxTitleLength = 500;
    public const int MaxBodyLength = 200_000;
    public const int MaxMentions = 500;
    public const int MaxLinks = 1000;

    private IReadOnlyList<ThreatDomain> _threatDomains = [];
    private List<RecordMention> _mentions = [];
    private List<Link> _links = [];
    private List<RecordRecipient> _recipients = [];

    private Record()
    {
        Title = string.Empty;
        Body = string.Empty;
        Language = string.Empty;
        LegalBasis = string.Empty;
        Purpose = string.Empty;
        // Set by the factories, or by EF Core from the row: no placeholder marking or grade that could pass for a real one.
        Marking = null!;
        SourceGrading = null!;
    }

    public RecordId Id { get; private set; }

    public RecordKind Kind { get; private set; }

    /// <summary>The agency whose information this is: the author's agency, also on the copies partners receive.</summary>
    public AgencyId OriginatorAgencyId { get; private set; }

    /// <summary>The agency that holds this record: the originator for its own records, the recipient for a release copy.</summary>
    public AgencyId HolderAgencyId { get; private set; }

    /// <summary>For a release copy: where it came from, who released it and when; null for the holder's own records.</summary>
    public ReleaseProvenance? Provenance { get; private set; }

    /// <summary>For a release copy: the sharing agreement it was released under; the copy is visible only while it is in force.</summary>
    public AgreementId? ReleasedUnderAgreementId { get; private set; }

    public SharingAgreement? ReleasedUnder { get; private set; }

    public UserId AuthorUserId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public string Title { get; private set; }

    public string Body { get; private set; }

    /// <summary>BCP 47 primary language of the text: "ar", "fr", "en"...</summary>
    public string Language { get; private set; }

    public string LegalBasis { get; private set; }

    public string Purpose { get; private set; }

    public DateTimeOffset RetentionUntil { get; private set; }

    public DateOnly ReviewDate { get; private set; }

    public Marking Marking { get; private set; }

    public SourceGrading SourceGrading { get; private set; }

    /// <summary>
    /// Bumped by every change (content, marking, recipients, assertions, review): an approval binds to the version its
    /// reviewer saw, and a store saves a change only over the version it read (a concurrency token).
    /// </summary>
    public int Version { get; private set; }

    /// <summary>
    /// The most sensitive classification the record has had since it last went out in a release (four-eyes is
    /// judged on it, so lowering the marking for a moment does not skip the second person).
    /// </summary>
    public Classification PeakClassification { get; private set; }

    /// <summary>The most restrictive TLP the record has had since it last went out in a release (see <see cref="PeakClassification"/>).</summary>
    public Tlp PeakTlp { get; private set; }

    public IReadOnlyList<ThreatDomain> ThreatDomains => _threatDomains;

    public IReadOnlyList<RecordMention> Mentions => _mentions;

    public IReadOnlyList<Link> Links => _links;

    /// <summary>For a TLP:RED record, the users (besides the author) who may see it; empty otherwise.</summary>
    public IReadOnlyList<RecordRecipient> Recipients => _recipients;

    /// <summary>A new record; <paramref name="id"/> is given where the caller must know it beforehand (a form sent once, whichever node gets it).</summary>
    public static Record Create(AgencyId originatorAgencyId, UserId authorUserId, RecordContent content, DateTimeOffset now, RecordId? id = null)
    {
        var record = new Record
        {
            Id = id ?? RecordId.New(now),
            OriginatorAgencyId = originatorAgencyId,
            HolderAgencyId = originatorAgencyId,
            AuthorUserId = authorUserId,
            CreatedAt = Instants.Normalize(now),
        };
        record.Apply(content, now);
        return record;
    }

    /// <summary>
    /// The copy a partner receives when <paramref name="release"/> is released: the same content, markings, source
    /// grading, entities and links, held by the recipient, with its provenance. A copy is a snapshot: later changes to
    /// the source do not reach it (they would need a release of their own).
    /// </summary>
    public static Record CreateReleaseCopy(Record source, Release release, SharingAgreement agreement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(agreement);
        if (release.Status != ReleaseStatus.Released || release.RecordId != source.Id || release.AgreementId != agreement.Id)
        {
            throw new DomainStateException("a release copy is made only for a released release of this record under its agreement");
        }

        var provenance = new ReleaseProvenance(
            release.Id,
            source.Provenance?.OriginalRecordId ?? source.Id,
            source.Id,
            release.ReleasingAgencyId,
            release.RequestedBy,
            Instants.Normalize(now));
        var copy = CopyOf(
            source, RecordId.New(now), source.OriginatorAgencyId, release.RecipientAgencyId, source.AuthorUserId, source.CreatedAt, provenance, agreement, release.RecipientUserIds, now);
        source.ReleasedNow();
        return copy;
    }

    /// <summary>A release was judged on the record as it is now: the peak restarts from its present marking.</summary>
    public void ReleasedNow()
    {
        PeakClassification = Marking.Classification;
        PeakTlp = Marking.Tlp;
    }

    /// <summary>
    /// The copy a partner's node receives for a release made on the originator's node: the content as it travelled
    /// (read from the STIX bundle into <paramref name="received"/>, whose entities are this node's), held by the
    /// recipient, with the id the releasing node gave the copy and the release's provenance, visible only while
    /// <paramref name="agreement"/> (the same agreement on both nodes) is in force here.
    /// </summary>
    public static Record CreateReceivedCopy(
        RecordId copyId,
        Record received,
        AgencyId originatorAgencyId,
        AgencyId recipientAgencyId,
        UserId authorUserId,
        DateTimeOffset createdAt,
        ReleaseProvenance provenance,
        SharingAgreement agreement,
        IReadOnlyCollection<UserId> recipientUserIds,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(provenance);
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(recipientUserIds);
        return CopyOf(
            received,
            copyId,
            originatorAgencyId,
            recipientAgencyId,
            authorUserId,
            createdAt,
            provenance with { ReleasedAt = Instants.Normalize(provenance.ReleasedAt) },
            agreement,
            recipientUserIds,
            now);
    }

    /// <summary>
    /// A copy of <paramref name="content"/>'s content, markings, grading, threat domains, entities and links, held by
    /// <paramref name="holderAgencyId"/> under <paramref name="agreement"/> with its provenance: what a release copy and
    /// a received copy have in common.
    /// </summary>
    private static Record CopyOf(
        Record content,
        RecordId id,
        AgencyId originatorAgencyId,
        AgencyId holderAgencyId,
        UserId authorUserId,
        DateTimeOffset createdAt,
        ReleaseProvenance provenance,
        SharingAgreement agreement,
        IEnumerable<UserId> recipientUserIds,
        DateTimeOffset now)
    {
        var copy = new Record
        {
            Id = id,
            Kind = content.Kind,
            OriginatorAgencyId = originatorAgencyId,
            HolderAgencyId = holderAgencyId,
            AuthorUserId = authorUserId,
            CreatedAt = Instants.Normalize(createdAt),
            UpdatedAt = Instants.Normalize(now),
            Title = content.Title,
            Body = content.Body,
            Language = content.Language,
            LegalBasis = content.LegalBasis,
            Purpose = content.Purpose,
            RetentionUntil = content.RetentionUntil,
            ReviewDate = content.ReviewDate,
            Marking = content.Marking,
            SourceGrading = content.SourceGrading,
            Version = 1,
            PeakClassification = content.Marking.Classification,
            PeakTlp = content.Marking.Tlp,
            ReleasedUnderAgreementId = agreement.Id,
            ReleasedUnder = agreement,
            Provenance = provenance,
        };
        copy._threatDomains = content._threatDomains;
        copy._mentions = [.. content._mentions.Select(m => new RecordMention(copy.Id, m.EntityId))];
        copy._links = [.. content._links.Select(l => new Link(copy.Id, l))];
        copy._recipients = [.. recipientUserIds.Select(u => new RecordRecipient(copy.Id, u.Value))];
        return copy;
    }

    /// <summary>Replaces the content; the record keeps its identity, originator, author and creation time.</summary>
    public void Update(RecordContent content, DateTimeOffset now) => Apply(content, now);

    /// <summary>
    /// Replaces what the record asserts: the entities it mentions and the links between them.
    /// Every link must join two mentioned entities.
    /// </summary>
    public void SetAssertions(IReadOnlyCollection<Entity> entities, IReadOnlyList<LinkDraft> links)
    {
        ArgumentNullException.ThrowIfNull(entities);
        SetAssertions([.. entities.Select(e => e.Id)], links);
    }

    /// <summary>The same, by entity id (an import that streams its entities out before it makes the record).</summary>
    public void SetAssertions(IReadOnlyCollection<EntityId> entityIds, IReadOnlyList<LinkDraft> links)
    {
        ArgumentNullException.ThrowIfNull(entityIds);
        ArgumentNullException.ThrowIfNull(links);
        var mentioned = entityIds.ToHashSet();
        Guard.That(mentioned.Count <= MaxMentions, "entities", ValidationCodes.TooMany, $"at most {MaxMentions} entities per record", MaxMentions);
        Guard.That(links.Count <= MaxLinks, "links", ValidationCodes.TooMany, $"at most {MaxLinks} links per record", MaxLinks);
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            Guard.That(mentioned.Contains(link.FromEntityId), $"links[{i}].from", ValidationCodes.NotARecordEntity, "must be one of the record's entities");
            Guard.That(mentioned.Contains(link.ToEntityId), $"links[{i}].to", ValidationCodes.NotARecordEntity, "must be one of the record's entities");
        }

        // Keep the mention objects that stay, so a store tracking them sees only what really changed.
        var kept = _mentions.Where(m => mentioned.Contains(m.EntityId)).ToList();
        _mentions = [.. kept, .. mentioned.Except(kept.Select(m => m.EntityId)).Select(id => new RecordMention(Id, id))];
        _links = [.. links.Select(l => new Link(Id, l))];
        Version++;
    }

    /// <summary>
    /// Names who may see a TLP:RED record besides its author. Only TLP:RED records have recipients: for any other
    /// TLP level the list must be empty (the marking, not a list, decides who sees them).
    /// </summary>
    public void SetRecipients(IReadOnlyCollection<UserId> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        Guard.That(userIds.Count == 0 || Marking.Tlp == Tlp.Red, "recipients", ValidationCodes.RecipientsOnlyRed, "only TLP:RED records have named recipients");
        Guard.That(userIds.Count <= 200, "recipients", ValidationCodes.TooMany, "at most 200 recipients", 200);
        var wanted = userIds.Where(u => u != AuthorUserId).ToHashSet();
        var kept = _recipients.Where(r => wanted.Contains(new UserId(r.UserId))).ToList();
        _recipients = [.. kept, .. wanted.Except(kept.Select(r => new UserId(r.UserId))).Select(u => new RecordRecipient(Id, u.Value))];
        Version++;
    }

    public bool IsPastRetention(DateTimeOffset now) => now >= RetentionUntil;

    /// <summary>Whether the record is due for review (its review date has come) on <paramref name="today"/>.</summary>
    public bool IsDueForReview(DateOnly today) => ReviewDate <= today;

    /// <summary>
    /// A legal reviewer keeps the record: the next review date moves forward (and, if needed, the retention end).
    /// The reason is the caller's to record in the audit log.
    /// </summary>
    public void ExtendReview(DateOnly nextReview, DateTimeOffset? retentionUntil, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var retention = retentionUntil is { } r ? Instants.Normalize(r) : RetentionUntil;
        Guard.That(retention > now, "retentionUntil", ValidationCodes.MustBeFuture, "must be in the future");
        Guard.That(nextReview > today, "reviewDate", ValidationCodes.ReviewAfterToday, "the next review must be after today");
        Guard.That(nextReview <= DateOnly.FromDateTime(retention.UtcDateTime), "reviewDate", ValidationCodes.ReviewBeforeRetention, "must not be after retentionUntil");
        ReviewDate = nextReview;
        RetentionUntil = retention;
        UpdatedAt = Instants.Normalize(now);
        Version++;
    }

    private void Apply(RecordContent content, DateTimeOffset now)
    {
        Guard.That(content.RetentionUntil > now, "retentionUntil", ValidationCodes.MustBeFuture, "must be in the future");
        Guard.That(content.ReviewDate <= DateOnly.FromDateTime(content.RetentionUntil.UtcDateTime), "reviewDate", ValidationCodes.ReviewBeforeRetention, "must not be after retentionUntil");
        Kind = content.Kind;
        Title = content.Title;
        Body = content.Body;
        Language = content.Language;
        LegalBasis = content.LegalBasis;
        Purpose = content.Purpose;
        RetentionUntil = Instants.Normalize(content.RetentionUntil);
        ReviewDate = content.ReviewDate;
        Marking = content.Marking;
        PeakClassification = content.Marking.Classification > PeakClassification ? content.Marking.Classification : PeakClassification;
        PeakTlp = content.Marking.Tlp > PeakTlp ? content.Marking.Tlp : PeakTlp;
        SourceGrading = content.SourceGrading;
        _threatDomains = [.. content.ThreatDomains];
        if (content.Marking.Tlp != Tlp.Red)
        {
            _recipients = [];
        }

        UpdatedAt = Instants.Normalize(now);
        Version++;
    }
}

/// <summary>Where a release copy came from: the release, the originator's own record, the record it was copied from
/// (the original, or a copy the releasing agency had received), the releasing agency and user, the release time.</summary>
public sealed record ReleaseProvenance(ReleaseId ReleaseId, RecordId OriginalRecordId, RecordId SourceRecordId, AgencyId ReleasingAgencyId, UserId ReleasedByUserId, DateTimeOffset ReleasedAt);

/// <summary>A named recipient of a TLP:RED record.</summary>
/// <remarks>
/// <see cref="UserId"/> is the user's key as the accounts store keeps it (Identity keys users by Guid), not a
/// <see cref="Common.UserId"/>: the row holds a foreign key to the user table, and EF Core requires a foreign key to
/// have the CLR type of the key it refers to (value converters do not bridge the two). Compare it with
/// <c>userId.Value</c>; everything else about recipients (<see cref="Record.SetRecipients"/>, releases) is typed.
/// </remarks>
public sealed record RecordRecipient(RecordId RecordId, Guid UserId);

/// <summary>The record mentions the entity.</summary>
public sealed record RecordMention(RecordId RecordId, EntityId EntityId);
