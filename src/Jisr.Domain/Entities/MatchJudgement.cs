namespace Jisr.Domain.Entities;

/// <summary>An analyst's decision on a proposed match: the two person entities are one person, or are not.</summary>
public enum MatchDecision
{
    Confirmed,
    Rejected,
}

/// <summary>
/// An agency's judgement on a pair of person entities, which later resolution runs respect: a confirmed pair is always
/// proposed (and shown as one person), a rejected one never. One judgement per agency and pair, stored in a fixed order
/// (lower id first) so "A with B" and "B with A" are the same judgement; an analyst who changes their mind changes it,
/// and the audit log keeps every decision. Each agency judges for itself: a partner's judgement is not shown.
/// </summary>
public sealed class MatchJudgement
{
    public const int MaxNoteLength = 1000;

    private MatchJudgement()
    {
    }

    public Guid Id { get; private set; }

    public AgencyId AgencyId { get; private set; }

    /// <summary>The lower of the two entity ids (ordinal order of their Guid strings).</summary>
    public EntityId FirstEntityId { get; private set; }

    public EntityId SecondEntityId { get; private set; }

    public MatchDecision Decision { get; private set; }

    public UserId JudgedBy { get; private set; }

    public DateTimeOffset JudgedAt { get; private set; }

    public string? Note { get; private set; }

    /// <summary>Counts the decisions; two analysts changing the judgement at once: the second fails (409) and decides again.</summary>
    public int Version { get; private set; }

    /// <summary>The pair in the stored order: the id whose Guid string sorts first, then the other.</summary>
    public static (EntityId First, EntityId Second) Order(EntityId a, EntityId b) =>
        string.CompareOrdinal(a.ToString(), b.ToString()) <= 0 ? (a, b) : (b, a);

    public static MatchJudgement Create(AgencyId agencyId, EntityId a, EntityId b, MatchDecision decision, UserId judgedBy, string? note, DateTimeOffset now)
    {
        Guard.That(a != b, "b", ValidationCodes.SamePerson, "a person cannot be judged against itself");
        Guard.That(Enum.IsDefined(decision), "decision", ValidationCodes.MustBeOneOf, "must be confirmed or rejected", "confirmed, rejected");
        var (first, second) = Order(a, b);
        return new MatchJudgement
        {
            Id = Guid.CreateVersion7(now),
            AgencyId = agencyId,
            FirstEntityId = first,
            SecondEntityId = second,
            Decision = decision,
            JudgedBy = judgedBy,
            JudgedAt = Instants.Normalize(now),
            Note = Guard.OptionalText(note, "note", MaxNoteLength),
            Version = 1,
        };
    }

    /// <summary>A new decision on the same pair (the same one again is allowed: it records who looked last).</summary>
    public void Decide(MatchDecision decision, UserId judgedBy, string? note, DateTimeOffset now)
    {
        Guard.That(Enum.IsDefined(decision), "decision", ValidationCodes.MustBeOneOf, "must be confirmed or rejected", "confirmed, rejected");
        Decision = decision;
        JudgedBy = judgedBy;
        JudgedAt = Instants.Normalize(now);
        Note = Guard.OptionalText(note, "note", MaxNoteLength);
        Version++;
    }
}
