namespace Jisr.Storage.HitCheck;

/// <summary>
/// A partner's hit/no-hit filter for one agreement, as received in a signed federation message: the filter bytes,
/// the key epoch and salt its key was derived with. One per agreement and owner agency: a newer one replaces it.
/// </summary>
public sealed class ReceivedHitFilter
{
    public Guid Id { get; set; }

    public Guid AgreementId { get; set; }

    /// <summary>The partner agency whose holdings the filter describes (hosted by <see cref="PeerId"/>).</summary>
    public Guid OwnerAgencyId { get; set; }

    /// <summary>The agency of this node it was published to.</summary>
    public Guid RecipientAgencyId { get; set; }

    public Guid PeerId { get; set; }

    public int Epoch { get; set; }

    public byte[] Salt { get; set; } = [];

    public byte[] Filter { get; set; } = [];

    public int KeyCount { get; set; }

    public DateTimeOffset BuiltAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The federation message that carried it (its signed envelope is in the inbox).</summary>
    public Guid MessageId { get; set; }
}

/// <summary>What this node last published for one agreement and owner agency: rebuilt filters are sent only when this changes.</summary>
public sealed class PublishedHitFilter
{
    public Guid AgreementId { get; set; }

    public Guid OwnerAgencyId { get; set; }

    public int Epoch { get; set; }

    /// <summary>SHA-256 of the sorted unkeyed keys: the same holdings give the same digest.</summary>
    public string ContentDigest { get; set; } = "";

    public int KeyCount { get; set; }

    public DateTimeOffset PublishedAt { get; set; }
}

/// <summary>What an agency holds that an agreement's filter may describe: names, and identifiers as written (kind, value, country).</summary>
public sealed record MatchFilterHoldings(int Records, IReadOnlyList<string> Names, IReadOnlyList<(string Kind, string Value, string? Country)> Identifiers)
{
    /// <summary>The records whose entities these are: a later change to one of them touches this filter.</summary>
    public IReadOnlySet<RecordId> RecordIds { get; init; } = new HashSet<RecordId>();
}
