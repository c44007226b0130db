using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;

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
        Marking = Marking.Create(Classification.Unclassified, Tlp.Clear, HandlingCode.H0);
    }

    public Guid Id { get; private set; }

    public RecordKind Kind { get; private set; }

    public Guid OriginatorAgencyId { get; private set; }

    public Guid AuthorUserId { get; private set; }

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

    public IReadOnlyList<ThreatDomain> ThreatDomains => _threatDomains;

    public IReadOnlyList<RecordMention> Mentions => _mentions;

    public IReadOnlyList<Link> Links => _links;

    /// <summary>For a TLP:RED record, the users (besides the author) who may see it; empty otherwise.</summary>
    public IReadOnlyList<RecordRecipient> Recipients => _recipients;

    public static Record Create(Guid originatorAgencyId, Guid authorUserId, RecordContent content, DateTimeOffset now)
    {
        var record = new Record
        {
            Id = Guid.CreateVersion7(now),
            OriginatorAgencyId = originatorAgencyId,
            AuthorUserId = authorUserId,
            CreatedAt = Instants.Normalize(now),
        };
        record.Apply(content, now);
        return record;
    }

    /// <summary>Replaces the content; the record keeps its identity, originator, author and creation time.</summary>
    public void Update(RecordContent content, DateTimeOffset now) => Apply(content, now);

    /// <summary>
    /// Replaces what the record asserts: the entities it mentions and the links between them.
    /// Every link must join two mentioned entities.
    /// </summary>
    public void SetAssertions(IReadOnlyCollection<Entity> entities, IReadOnlyList<LinkDraft> links)
    {
        Guard.That(entities.Count <= MaxMentions, "entities", $"at most {MaxMentions} entities per record");
        Guard.That(links.Count <= MaxLinks, "links", $"at most {MaxLinks} links per record");
        var mentioned = entities.Select(e => e.Id).ToHashSet();
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            Guard.That(mentioned.Contains(link.FromEntityId), $"links[{i}].from", "must be one of the record's entities");
            Guard.That(mentioned.Contains(link.ToEntityId), $"links[{i}].to", "must be one of the record's entities");
        }

        // Keep the mention objects that stay, so a store tracking them sees only what really changed.
        var kept = _mentions.Where(m => mentioned.Contains(m.EntityId)).ToList();
        _mentions = [.. kept, .. mentioned.Except(kept.Select(m => m.EntityId)).Select(id => new RecordMention(Id, id))];
        _links = [.. links.Select(l => new Link(Id, l))];
    }

    /// <summary>
    /// Names who may see a TLP:RED record besides its author. Only TLP:RED records have recipients: for any other
    /// TLP level the list must be empty (the marking, not a list, decides who sees them).
    /// </summary>
    public void SetRecipients(IReadOnlyCollection<Guid> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        Guard.That(userIds.Count == 0 || Marking.Tlp == Tlp.Red, "recipients", "only TLP:RED records have named recipients");
        Guard.That(userIds.Count <= 200, "recipients", "at most 200 recipients");
        var wanted = userIds.Where(u => u != AuthorUserId).ToHashSet();
        var kept = _recipients.Where(r => wanted.Contains(r.UserId)).ToList();
        _recipients = [.. kept, .. wanted.Except(kept.Select(r => r.UserId)).Select(u => new RecordRecipient(Id, u))];
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
        Guard.That(retention > now, "retentionUntil", "must be in the future");
        Guard.That(nextReview > today, "reviewDate", "the next review must be after today");
        Guard.That(nextReview <= DateOnly.FromDateTime(retention.UtcDateTime), "reviewDate", "must not be after retentionUntil");
        ReviewDate = nextReview;
        RetentionUntil = retention;
        UpdatedAt = Instants.Normalize(now);
    }

    private void Apply(RecordContent content, DateTimeOffset now)
    {
        Guard.That(content.RetentionUntil > now, "retentionUntil", "must be in the future");
        Guard.That(content.ReviewDate <= DateOnly.FromDateTime(content.RetentionUntil.UtcDateTime), "reviewDate", "must not be after retentionUntil");
        Kind = content.Kind;
        Title = content.Title;
        Body = content.Body;
        Language = content.Language;
        LegalBasis = content.LegalBasis;
        Purpose = content.Purpose;
        RetentionUntil = Instants.Normalize(content.RetentionUntil);
        ReviewDate = content.ReviewDate;
        Marking = content.Marking;
        SourceGrading = content.SourceGrading;
        _threatDomains = [.. content.ThreatDomains];
        if (content.Marking.Tlp != Tlp.Red)
        {
            _recipients = [];
        }

        UpdatedAt = Instants.Normalize(now);
    }
}

/// <summary>A named recipient of a TLP:RED record.</summary>
public sealed record RecordRecipient(Guid RecordId, Guid UserId);

/// <summary>The record mentions the entity.</summary>
public sealed record RecordMention(Guid RecordId, Guid EntityId);
