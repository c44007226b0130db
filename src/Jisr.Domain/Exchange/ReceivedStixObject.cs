namespace Jisr.Domain.Exchange;

/// <summary>
/// A STIX object as an agency received it (import, MISP, later TAXII): its exact JSON, so a re-export gives back what
/// came in, custom properties and unknown types included, and where it came from (<see cref="CreatedByRef"/>, the
/// bundle). When it was mapped to a record, an entity or a link, the Jisr id says which; the object belongs to the
/// importing agency like everything it imported.
/// </summary>
public sealed class ReceivedStixObject
{
    public const int MaxIdLength = 300;

    private ReceivedStixObject()
    {
        StixId = string.Empty;
        Type = string.Empty;
        Json = string.Empty;
        Source = string.Empty;
    }

    public long Sequence { get; private set; }

    public AgencyId AgencyId { get; private set; }

    public string StixId { get; private set; }

    public string Type { get; private set; }

    /// <summary>The version (STIX <c>modified</c>); null for objects without versions (cyber-observables, markings).</summary>
    public string? Modified { get; private set; }

    public string Json { get; private set; }

    /// <summary>The identity that made the object, as the sender said.</summary>
    public string? CreatedByRef { get; private set; }

    /// <summary>What it came in: "stix:bundle--…", "misp:event-uuid".</summary>
    public string Source { get; private set; }

    public RecordId? RecordId { get; private set; }

    public EntityId? EntityId { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public static ReceivedStixObject Create(AgencyId agencyId, string stixId, string type, string? modified, string json, string? createdByRef, string source, DateTimeOffset now) => new()
    {
        AgencyId = agencyId,
        StixId = Guard.Text(stixId, "id", MaxIdLength),
        Type = Guard.Text(type, "type", 250),
        Modified = modified,
        Json = json,
        CreatedByRef = createdByRef,
        Source = Guard.Text(source, "source", 300),
        ReceivedAt = Instants.Normalize(now),
    };

    /// <summary>Notes what the object became in Jisr.</summary>
    public void MappedTo(RecordId? recordId, EntityId? entityId)
    {
        RecordId = recordId;
        EntityId = entityId;
    }
}
