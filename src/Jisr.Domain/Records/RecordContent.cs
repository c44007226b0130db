namespace Jisr.Domain.Records;

/// <summary>The editable content of a record, validated as a whole before it touches a <see cref="Record"/>.</summary>
public sealed record RecordContent
{
    private RecordContent()
    {
    }

    public RecordKind Kind { get; private init; }

    public string Title { get; private init; } = string.Empty;

    public string Body { get; private init; } = string.Empty;

    public string Language { get; private init; } = string.Empty;

    public string LegalBasis { get; private init; } = string.Empty;

    public string Purpose { get; private init; } = string.Empty;

    public DateTimeOffset RetentionUntil { get; private init; }

    public DateOnly ReviewDate { get; private init; }

    // Always set by Create: no placeholder marking or grade that could pass for a real one.
    public Marking Marking { get; private init; } = null!;

    public SourceGrading SourceGrading { get; private init; } = null!;

    public IReadOnlyList<ThreatDomain> ThreatDomains { get; private init; } = [];

    public static RecordContent Create(
        RecordKind kind,
        string? title,
        string? body,
        string? language,
        string? legalBasis,
        string? purpose,
        DateTimeOffset retentionUntil,
        DateOnly reviewDate,
        Marking marking,
        SourceGrading sourceGrading,
        IReadOnlyCollection<ThreatDomain> threatDomains)
    {
        ArgumentNullException.ThrowIfNull(marking);
        ArgumentNullException.ThrowIfNull(threatDomains);
        Guard.That(Enum.IsDefined(kind), "kind", ValidationCodes.UnknownValue, "is not a known record kind");
        Guard.That(threatDomains.Count > 0, "threatDomains", ValidationCodes.ThreatDomainRequired, "at least one threat domain is required");
        Guard.That(threatDomains.All(Enum.IsDefined), "threatDomains", ValidationCodes.UnknownValue, "contains an unknown threat domain");
        var grading = sourceGrading ?? throw DomainValidationException.Coded("sourceGrading", ValidationCodes.Required, "is required (e.g. B2)");
        var lang = Guard.Text(language, "language", 8).ToLowerInvariant();
        Guard.That(lang.Length is 2 or 3 && lang.All(char.IsAsciiLetterLower), "language", ValidationCodes.NotALanguage, $"'{language}' is not an ISO 639 language code (e.g. ar, fr, en)", language ?? string.Empty);
        return new RecordContent
        {
            Kind = kind,
            Title = Guard.Text(title, "title", Record.MaxTitleLength),
            Body = Guard.Text(body, "body", Record.MaxBodyLength, required: false),
            Language = lang,
            LegalBasis = Guard.Text(legalBasis, "legalBasis", 500),
            Purpose = Guard.Text(purpose, "purpose", 500),
            RetentionUntil = Instants.Normalize(retentionUntil),
            ReviewDate = reviewDate,
            Marking = marking,
            SourceGrading = grading,
            ThreatDomains = [.. threatDomains.Distinct().Order()],
        };
    }
}
