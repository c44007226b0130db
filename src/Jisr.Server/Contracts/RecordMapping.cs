namespace Jisr.Server.Contracts;

/// <summary>What a record request asks for, validated: the content, the entities (new and existing) and the links.</summary>
public sealed record RecordAssertions(RecordContent Content, IReadOnlyList<Entity> NewEntities, IReadOnlyList<Entity> AllEntities, IReadOnlyList<LinkDraft> Links);

public static class RecordMapping
{
    public const int MaxEntitiesPerRequest = Record.MaxMentions;

    public static RecordContent ToContent(RecordRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var marking = request.Marking ?? throw DomainValidationException.Coded("marking", ValidationCodes.Required, "is required: {\"classification\", \"tlp\", \"handling\"}");
        var markingValue = Nested("marking", () => Marking.Parse(marking.Classification, marking.Tlp, marking.Handling, marking.HandlingNote));
        return RecordContent.Create(
            RecordVocabulary.Kinds.Parse(request.Kind, "kind"),
            request.Title,
            request.Body,
            request.Language,
            request.LegalBasis,
            request.Purpose,
            request.RetentionUntil ?? throw DomainValidationException.Coded("retentionUntil", ValidationCodes.Required, "is required (a UTC date-time such as 2030-01-31T00:00:00Z)"),
            request.ReviewDate ?? throw DomainValidationException.Coded("reviewDate", ValidationCodes.Required, "is required (a date such as 2027-06-30)"),
            markingValue,
            SourceGrading.Parse(request.SourceGrading, "sourceGrading"),
            [.. (request.ThreatDomains ?? []).Select((d, i) => RecordVocabulary.ThreatDomains.Parse(d, $"threatDomains[{i}]"))]);
    }

    /// <summary>
    /// Resolves the request's entities and links. <paramref name="existing"/> holds the entities referred to by id
    /// that the caller may read; an id missing from it is refused exactly like an unknown one.
    /// </summary>
    public static RecordAssertions ToAssertions(RecordRequest request, RecordContent content, IReadOnlyDictionary<EntityId, Entity> existing, AgencyId agencyId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(existing);
        var requested = request.Entities ?? [];
        Guard.That(requested.Count <= MaxEntitiesPerRequest, "entities", ValidationCodes.TooMany, $"at most {MaxEntitiesPerRequest} entities per record", MaxEntitiesPerRequest);
        var newEntities = new List<Entity>();
        var all = new List<Entity>();
        var byRef = new Dictionary<string, Entity>(StringComparer.Ordinal);
        for (var i = 0; i < requested.Count; i++)
        {
            var item = requested[i] ?? throw DomainValidationException.Coded($"entities[{i}]", ValidationCodes.NotAnObject, "must be an object");
            Entity entity;
            if (item.Id is { } id)
            {
                Guard.That(item.Type is null, $"entities[{i}].type", ValidationCodes.IdOrType, "give either an existing entity's id or a new entity's type, not both");
                entity = existing.TryGetValue(new EntityId(id), out var found) ? found : throw DomainValidationException.Coded($"entities[{i}].id", ValidationCodes.PartnerEntity, "is not an entity you can refer to");
                var referable = AccessPolicy.CanReferToEntity(agencyId, entity);
                Guard.That(referable.IsAllowed, $"entities[{i}].id", ValidationCodes.PartnerEntity, referable.Reason ?? "cannot be referred to");
            }
            else
            {
                entity = Nested($"entities[{i}]", () => EntityMapping.ToDomain(item, agencyId, now));
                newEntities.Add(entity);
            }

            if (item.Ref is { } reference)
            {
                Guard.That(reference.Length is > 0 and <= 64, $"entities[{i}].ref", ValidationCodes.LengthBetween, "must be 1-64 characters", 1, 64);
                Guard.That(byRef.TryAdd(reference, entity), $"entities[{i}].ref", ValidationCodes.UsedTwice, $"'{reference}' is used twice", reference);
            }

            if (!all.Contains(entity))
            {
                all.Add(entity);
            }
        }

        var links = (request.Links ?? []).Select((link, i) => Nested($"links[{i}]", () =>
        {
            var from = Resolve(link?.From, "from", byRef, all);
            var to = Resolve(link?.To, "to", byRef, all);
            return LinkDraft.Create(
                from,
                to,
                EntityVocabulary.LinkTypes.Parse(link!.Type, "type"),
                link.ValidFrom is null ? null : PartialDate.Parse(link.ValidFrom, "validFrom"),
                link.ValidTo is null ? null : PartialDate.Parse(link.ValidTo, "validTo"),
                now);
        })).ToList();

        return new RecordAssertions(content, newEntities, all, links);
    }

    public static MarkingResponse ToResponse(Marking marking)
    {
        ArgumentNullException.ThrowIfNull(marking);
        return new MarkingResponse(
            Marking.ClassificationNames[marking.Classification],
            Marking.TlpNames[marking.Tlp],
            Marking.HandlingNames[marking.Handling],
            marking.HandlingNote,
            marking.NotForJudicialUseWithoutConsent);
    }

    public static RecordSummary ToSummary(Record record, RecordOrigin origin) => ToSummary(RecordHeader.Of(record), origin);

    public static RecordSummary ToSummary(RecordHeader record, RecordOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(origin);
        return new RecordSummary(
            record.Id.Value,
            RecordVocabulary.Kinds[record.Kind],
            record.Title,
            record.Language,
            origin.Originator,
            origin.Provenance,
            record.CreatedAt,
            ToResponse(record.Marking),
            record.SourceGrading.ToString(),
            [.. record.ThreatDomains.Select(d => RecordVocabulary.ThreatDomains[d])],
            record.ReviewDate);
    }

    /// <summary>The full record; <paramref name="recipients"/> defaults to the record's own (loaded) recipients.</summary>
    public static RecordResponse ToResponse(Record record, RecordOrigin origin, IReadOnlyList<Entity> entities, IReadOnlyList<Guid>? recipients = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(origin);
        return new RecordResponse(
            record.Id.Value,
            RecordVocabulary.Kinds[record.Kind],
            record.Title,
            record.Body,
            record.Language,
            origin.Originator,
            origin.Provenance,
            record.AuthorUserId.Value,
            record.CreatedAt,
            record.UpdatedAt,
            record.LegalBasis,
            record.Purpose,
            record.RetentionUntil,
            record.ReviewDate,
            ToResponse(record.Marking),
            record.SourceGrading.ToString(),
            [.. record.ThreatDomains.Select(d => RecordVocabulary.ThreatDomains[d])],
            [.. entities.Select(EntityMapping.ToResponse)],
            [.. record.Links.Select(ToResponse)],
            recipients ?? [.. record.Recipients.Select(r => r.UserId)]);
    }

    public static LinkResponse ToResponse(Link link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return new LinkResponse(link.Id, link.RecordId.Value, link.FromEntityId.Value, link.ToEntityId.Value, EntityVocabulary.LinkTypes[link.Type], link.ValidFrom?.ToString(), link.ValidTo?.ToString());
    }

    /// <summary>Runs a domain factory and places any field error under <paramref name="prefix"/>.</summary>
    private static T Nested<T>(string prefix, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (DomainValidationException invalid)
        {
            throw invalid.Under(prefix);
        }
    }

    private static EntityId Resolve(string? reference, string field, Dictionary<string, Entity> byRef, List<Entity> all)
    {
        Guard.That(!string.IsNullOrEmpty(reference), field, ValidationCodes.Required, "is required: an entity's ref in this request, or the id of one of the record's entities");
        if (byRef.TryGetValue(reference!, out var entity))
        {
            return entity.Id;
        }

        return TypedId.TryParse<EntityId>(reference, out var id) && all.Any(e => e.Id == id)
            ? id
            : throw DomainValidationException.Coded(field, ValidationCodes.NotARecordEntity, $"'{reference}' is neither a ref nor the id of one of the record's entities");
    }
}
